// parse_reply: one SMTP reply (RFC 5321 §4.2) framed out of a byte buffer, with limits.
//
// Two passes over the reply: the first validates and frames it without allocating (so "need more"
// costs nothing but a scan), the second copies the text of each line once the reply is complete.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "harness/smtp/reply.hpp"

namespace facteur::smtp {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Position of `c` in s[from, to), or npos. memchr keeps the scan linear and vectorised.
std::size_t find_byte(std::string_view s, std::size_t from, std::size_t to, char c) {
  if (from >= to) return npos;
  const void* hit = std::memchr(s.data() + from, c, to - from);
  return hit == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

ReplyParse fail(std::string message) {
  ReplyParse result;
  result.status = ParseStatus::error;
  result.error = std::move(message);
  return result;
}

ReplyParse need_more() { return ReplyParse{}; }

// Framing of a reply that was validated by the first pass: copies each line's text.
Reply build_reply(std::string_view in, std::size_t end, std::size_t line_count, int code) {
  Reply reply;
  reply.code = code;
  reply.wire_bytes = end;
  reply.lines.reserve(line_count);
  std::size_t pos = 0;
  while (pos < end) {
    const std::size_t lf = find_byte(in, pos + 3, end, '\n');
    const std::size_t text_begin = pos + 4;  // after "NNN" and the separator
    const std::size_t text_end = lf - 1;     // before CRLF
    reply.lines.emplace_back(text_end > text_begin ? in.substr(text_begin, text_end - text_begin)
                                                   : std::string_view{});
    pos = lf + 1;
  }
  reply.enhanced = parse_enhanced_code(reply.lines.front());
  return reply;
}

}  // namespace

std::string Reply::text() const {
  std::string joined;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i != 0) joined.push_back('\n');
    joined += lines[i];
  }
  return joined;
}

// RFC 5321 §4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//                             Reply-code [ SP textstring ] CRLF
//
// Every error is reported as soon as the octet that proves it has arrived, and the same error is
// reported for every longer input: only octets that could still belong to a reply within the
// limits are looked at, in order.
ReplyParse parse_reply(std::string_view in, const ReplyLimits& limits) {
  char code[3] = {};
  std::size_t pos = 0;  // start of the current line
  for (std::size_t line_no = 1;; ++line_no) {
    // This line's LF must sit before `line_limit` for the line and the reply to fit their limits
    // (pos <= max_reply holds: every earlier line ended within it).
    const bool reply_bound = limits.max_line > limits.max_reply - pos;
    const std::size_t line_limit = reply_bound ? limits.max_reply : pos + limits.max_line;
    const std::size_t end = std::min(in.size(), line_limit);  // octets of this line to look at
    const auto out_of_octets = [&] {
      if (in.size() < line_limit) return need_more();
      return reply_bound ? fail(fmt::format("reply exceeds {} octets", limits.max_reply))
                         : fail(fmt::format("reply line {} exceeds {} octets", line_no, limits.max_line));
    };

    // Reply-code: three digits, 2xx..5xx, the same on every line (RFC 5321 §4.2.1). Messages quote
    // the code up to the offending octet, so a longer input reports the same thing.
    const std::size_t digits = std::min<std::size_t>(end - pos, 3);
    for (std::size_t i = 0; i < digits; ++i) {
      const char c = in[pos + i];
      if (!is_digit(c) || (i == 0 && (c < '2' || c > '5'))) {
        return fail(fmt::format("reply line {}: code '{}' is not three digits in 200..599", line_no,
                                in.substr(pos, i + 1)));
      }
      if (line_no == 1) {
        code[i] = c;
      } else if (c != code[i]) {
        return fail(fmt::format("reply line {}: code {:.<3} differs from {} on line 1", line_no,
                                in.substr(pos, i + 1), std::string_view(code, 3)));
      }
    }
    if (end - pos < 4) return out_of_octets();

    // Separator: '-' (more lines follow), ' ' (last line) or CRLF directly (last line, no text).
    const char sep = in[pos + 3];
    if (sep == '\n') return fail(fmt::format("bare LF in reply line {}", line_no));
    if (sep != '-' && sep != ' ' && sep != '\r') {
      return fail(fmt::format("reply line {}: separator after code must be '-', ' ' or CRLF",
                              line_no));
    }
    if (line_no > limits.max_lines || (sep == '-' && line_no == limits.max_lines)) {
      return fail(fmt::format("reply has more than {} lines", limits.max_lines));
    }

    // RFC 5321 §2.3.8: CR and LF only as the CRLF pair ending the line.
    const std::size_t lf = find_byte(in, pos + 4, end, '\n');
    // A CR in the last octet looked at may still be followed by its LF.
    if (find_byte(in, pos + 3, lf == npos ? end - 1 : lf - 1, '\r') != npos) {
      return fail(fmt::format("bare CR in reply line {}", line_no));
    }
    if (lf == npos) return out_of_octets();
    if (in[lf - 1] != '\r') return fail(fmt::format("bare LF in reply line {}", line_no));

    pos = lf + 1;
    if (sep != '-') {
      const int value = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
      ReplyParse result;
      result.status = ParseStatus::complete;
      result.consumed = pos;
      result.reply = build_reply(in, pos, line_no, value);
      return result;
    }
  }
}

}  // namespace facteur::smtp
