// DATA transparency on the sending side (RFC 5321 §4.5.2) and line-ending normalisation
// (RFC 5321 §2.3.8: lines end with CRLF, never a bare CR or LF).
#include <cstring>

#include "harness/smtp/dot_stuffing.hpp"

namespace facteur::smtp {
namespace {

// Position of `c` in s from `from`, or s.size(). Linear overall: the caller caches the answer.
std::size_t next_of(std::string_view s, std::size_t from, char c) {
  if (from >= s.size()) return s.size();
  const void* hit = std::memchr(s.data() + from, c, s.size() - from);
  return hit == nullptr ? s.size() : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

}  // namespace

std::string dot_stuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 32 + 5);
  DotStuffer stuffer;
  stuffer.feed(message, out);
  stuffer.finish(out);
  return out;
}

void DotStuffer::feed(std::string_view chunk, std::string& out) {
  std::size_t i = 0;
  if (pending_cr_ && !chunk.empty()) {
    // The previous chunk ended in CR, already written as CRLF: its LF, if here, is swallowed.
    pending_cr_ = false;
    if (chunk.front() == '\n') i = 1;
  }
  std::size_t next_cr = next_of(chunk, i, '\r');
  std::size_t next_lf = next_of(chunk, i, '\n');
  while (i < chunk.size()) {
    if (at_line_start_) {
      at_line_start_ = false;
      if (chunk[i] == '.') out.push_back('.');  // RFC 5321 §4.5.2: leading dot doubled
    }
    if (next_cr < i) next_cr = next_of(chunk, i, '\r');
    if (next_lf < i) next_lf = next_of(chunk, i, '\n');
    const std::size_t eol = next_cr < next_lf ? next_cr : next_lf;
    out.append(chunk.data() + i, eol - i);
    if (eol == chunk.size()) return;
    out.append("\r\n");  // CRLF, bare LF and bare CR all end the line as CRLF
    at_line_start_ = true;
    i = eol + 1;
    if (chunk[eol] == '\r') {
      if (i == chunk.size()) {
        pending_cr_ = true;  // its LF may open the next chunk
      } else if (chunk[i] == '\n') {
        ++i;
      }
    }
  }
}

void DotStuffer::finish(std::string& out) {
  if (!at_line_start_) out.append("\r\n");  // the last line gets its CRLF
  out.append(".\r\n");                      // RFC 5321 §4.1.1.4: end of mail data
  at_line_start_ = true;
  pending_cr_ = false;
}

}  // namespace facteur::smtp
