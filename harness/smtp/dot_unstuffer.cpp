// DATA transparency on the receiving side (RFC 5321 §4.5.2): a line made of a single "." ends the
// data; otherwise a leading "." is removed. Also POP3 multi-line responses (RFC 1939 §3).
#include <cstring>

#include "harness/smtp/dot_stuffing.hpp"

namespace facteur::smtp {
namespace {

// States of DotUnstuffer::state_. The payload starts at a line start: the CRLF that ends the
// DATA command (or the POP3 status line) is the first CRLF of "CRLF.CRLF".
enum State : int {
  line_start = 0,  // nothing of the current line seen yet
  mid_line,        // inside a line
  after_cr,        // inside a line, just after a CR (written to out)
  dot,             // a line started with '.', not written
  dot_cr,          // the line is ".\r" so far, nothing written
  done,            // end marker consumed
};

}  // namespace

DotUnstuffer::Step DotUnstuffer::feed(std::string_view in, std::string& out) {
  std::size_t i = 0;
  while (i < in.size() && state_ != done) {
    const char c = in[i];
    switch (state_) {
      case line_start:
        if (c == '.') {
          state_ = dot;
          ++i;
        } else {
          state_ = mid_line;
        }
        break;
      case mid_line: {
        // Fast path: copy up to and including the next CR.
        const void* hit = std::memchr(in.data() + i, '\r', in.size() - i);
        const std::size_t end = hit == nullptr
                                    ? in.size()
                                    : static_cast<std::size_t>(static_cast<const char*>(hit) - in.data()) + 1;
        out.append(in.data() + i, end - i);
        if (hit != nullptr) state_ = after_cr;
        i = end;
        break;
      }
      case after_cr:
        if (c == '\n') {
          out.push_back('\n');
          state_ = line_start;
          ++i;
        } else if (c == '\r') {
          out.push_back('\r');
          ++i;
        } else {
          state_ = mid_line;
        }
        break;
      case dot:
        if (c == '\r') {
          state_ = dot_cr;
          ++i;
        } else {
          state_ = mid_line;  // ".x" → "x", ".." → "."
        }
        break;
      case dot_cr:
        if (c == '\n') {
          state_ = done;  // ".\r\n" on its own line: the end marker
          ++i;
        } else {
          out.push_back('\r');  // ".\rx": the dot goes, the CR is data
          state_ = after_cr;
        }
        break;
      default:
        break;
    }
  }
  return Step{i, state_ == done};
}

void DotUnstuffer::reset() { state_ = line_start; }

}  // namespace facteur::smtp
