// ReplyFramer: one FTP reply (RFC 959 §4.2) framed out of a growing byte buffer, with limits.
//
// Each line is framed once: the framer remembers where the current line starts and how far it was
// searched for its LF, so feeding a buffer that grew by n octets costs O(n). A line's text is copied
// when its CRLF arrives.
//
// Stable errors: every error has a "proof point", the buffer size at which the octets prove it (a
// bad code digit: that digit; a bare LF: that LF; a limit: the octet that makes the line too long
// without a LF, or the LF of a line that is not the last and leaves no room in the reply). Only the
// octets below the current line's limit are looked at, in order, so the first proof wins and a
// buffer of any size fails the same way, however it was fed.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/ftp/reply.hpp"

namespace facteur::ftp {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Position of `c` in s[from, to), or npos. memchr keeps the scan linear and vectorised.
std::size_t find_byte(std::string_view s, std::size_t from, std::size_t to, char c) {
  if (from >= to) return npos;
  const void* hit = std::memchr(s.data() + from, c, to - from);
  return hit == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

// The text after "NNN-", "NNN " or a bare "NNN".
std::string_view after_code(std::string_view line) { return line.substr(std::min<std::size_t>(4, line.size())); }

}  // namespace

ReplyFunction Reply::function() const {
  const int digit = code / 10 % 10;
  return digit <= 5 ? static_cast<ReplyFunction>(digit) : ReplyFunction::unassigned;
}

std::string Reply::text() const {
  std::string joined;
  for (const auto& line : lines) {
    if (&line != &lines.front()) joined += '\n';
    joined += line;
  }
  return joined;
}

ReplyFramer::ReplyFramer(ReplyLimits limits) : limits_(limits) {}

ReplyFramer::Step ReplyFramer::fail(std::string message) {
  phase_ = Phase::failed;
  error_ = std::move(message);
  return Step::failed;
}

void ReplyFramer::keep(std::string_view text) {
  if (reply_.lines.size() < limits_.keep_lines) reply_.lines.emplace_back(text);
}

// The first line's code and separator, octet by octet up to `end` (RFC 959 §4.2: three digits,
// the first one of 1-5 as §4.2.1 assigns them, then SP, '-' or the end of the line). Returns
// Step::line while nothing is wrong, even when the octets are not all in yet.
ReplyFramer::Step ReplyFramer::check_code(std::string_view in, std::size_t end) {
  const std::size_t n = end - line_start_;
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 3); ++i) {
    const char c = in[line_start_ + i];
    if (!ascii::is_digit(c) || (i == 0 && (c < '1' || c > '5'))) {
      return fail(fmt::format("reply line 1: code \"{}\" is not three digits in 100..599",
                              ascii::printable(in.substr(line_start_, i + 1))));
    }
    code_[i] = c;
  }
  if (n < 4) return Step::line;
  const char sep = in[line_start_ + 3];
  if (sep == '\n') return fail("bare LF in reply line 1");
  const bool crlf = sep == '\r' && (n < 5 || in[line_start_ + 4] == '\n');
  if (sep != ' ' && sep != '-' && !crlf) {
    return fail(fmt::format("reply line 1: code {} must be followed by ' ', '-' or CRLF",
                            std::string_view(code_, 3)));
  }
  return Step::line;
}

// One line. Its LF must sit before `bound` for the line to fit max_line and the reply max_reply.
ReplyFramer::Step ReplyFramer::frame_line(std::string_view in) {
  const std::size_t pos = line_start_;  // < max_reply: a line that is not the last ended before it
  const std::size_t line_no = reply_.line_count + 1;
  const bool reply_bound = limits_.max_line > limits_.max_reply - pos;
  const std::size_t bound = reply_bound ? limits_.max_reply : pos + limits_.max_line;
  const std::size_t end = std::min(in.size(), bound);

  if (phase_ == Phase::first && check_code(in, end) == Step::failed) return Step::failed;
  const std::size_t lf = find_byte(in, std::clamp(scanned_, pos, end), end, '\n');
  if (lf == npos) {
    scanned_ = end;
    if (in.size() < bound) return Step::need_more;
    return reply_bound ? fail(fmt::format("reply exceeds {} octets", limits_.max_reply))
                       : fail(fmt::format("reply line {} exceeds {} octets", line_no, limits_.max_line));
  }
  if (lf == pos || in[lf - 1] != '\r') return fail(fmt::format("bare LF in reply line {}", line_no));

  const std::string_view line = in.substr(pos, lf - 1 - pos);
  line_start_ = scanned_ = lf + 1;
  ++reply_.line_count;
  if (phase_ == Phase::first) {
    reply_.code = (code_[0] - '0') * 100 + (code_[1] - '0') * 10 + (code_[2] - '0');
    reply_.multiline = line.size() > 3 && line[3] == '-';
    keep(after_code(line));
    if (!reply_.multiline) return Step::end;
    phase_ = Phase::more;
  } else {
    // RFC 959 §4.2: the reply ends at its code followed by SP (or, RFC 3659 §7.2, by nothing).
    const bool own_code = line.size() >= 3 && line.compare(0, 3, std::string_view(code_, 3)) == 0;
    if (own_code && (line.size() == 3 || line[3] == ' ')) {
      keep(after_code(line));
      return Step::end;
    }
    keep(own_code && line[3] == '-' ? after_code(line) : line);
  }
  if (line_start_ >= limits_.max_reply) return fail(fmt::format("reply exceeds {} octets", limits_.max_reply));
  return Step::line;
}

ReplyParse ReplyFramer::feed(std::string_view in) {
  if (phase_ != Phase::failed && in.size() < seen_) {
    fail(fmt::format("buffer shrank from {} to {} octets between feeds", seen_, in.size()));
  }
  seen_ = std::max(seen_, in.size());
  Step step = Step::failed;
  switch (phase_) {
    case Phase::failed:
      break;
    case Phase::complete:
      return parse_reply(in.substr(0, line_start_), limits_);
    case Phase::first:
    case Phase::more:
      do step = frame_line(in);
      while (step == Step::line);
      break;
  }
  ReplyParse result;
  if (step == Step::end) {
    phase_ = Phase::complete;
    reply_.wire_bytes = line_start_;
    result.status = ParseStatus::complete;
    result.consumed = line_start_;
    result.reply = std::move(reply_);
  } else if (step == Step::failed) {
    result.status = ParseStatus::error;
    result.error = error_;
  }
  return result;
}

ReplyParse parse_reply(std::string_view buffer, const ReplyLimits& limits) { return ReplyFramer(limits).feed(buffer); }

}  // namespace facteur::ftp
