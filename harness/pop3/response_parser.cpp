// ResponseFramer: one POP3 response (RFC 1939 §3) framed out of a growing byte buffer, with limits.
//
// Each line is framed once: the framer remembers where the current line starts and how far it was
// searched for its LF, so feeding a buffer that grew by n octets costs O(n). Kept body lines are
// copied from the buffer when their CRLF arrives.
//
// Stable errors: every error has a "proof point", the buffer size at which the octets prove it (a
// line limit: the octet that makes the line too long without a LF; a bare LF: that LF). The framer
// reports the error with the smallest proof point (ties in a fixed order), and a proof point only
// depends on the octets before it, so a buffer of any size fails the same way, however it was fed.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/pop3/response.hpp"

namespace facteur::pop3 {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
constexpr std::string_view kTerminator = ".\r\n";  // RFC 1939 §3: the line "." ends a multi-line body

// Position of `c` in s[from, to), or npos. memchr keeps the scan linear and vectorised.
std::size_t find_byte(std::string_view s, std::size_t from, std::size_t to, char c) {
  if (from >= to) return npos;
  const void* hit = std::memchr(s.data() + from, c, to - from);
  return hit == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

std::size_t add_sat(std::size_t a, std::size_t b) { return b > size_max - a ? size_max : a + b; }

// The ways a status line may begin (RFC 1939 §3: status [SP text] CRLF; RFC 5034 §4:
// continue-req = "+" SP [base64] CRLF, and a bare "+" CRLF as servers send it). No form is a prefix
// of another, so at most one matches.
struct StatusForm {
  std::string_view prefix;
  Response::Kind kind;
};
constexpr StatusForm kForms[] = {
    {"+OK ", Response::Kind::ok},           {"+OK\r\n", Response::Kind::ok},
    {"-ERR ", Response::Kind::err},         {"-ERR\r\n", Response::Kind::err},
    {"+ ", Response::Kind::continuation},   {"+\r\n", Response::Kind::continuation},
};

struct FormMatch {
  const StatusForm* form = nullptr;  // the form matched, when all its octets are in `seen`
  std::size_t bad_at = 0;            // when no form can match: octets that prove it (> 0)
};

// Matches the start of the status line against kForms. Neither a match nor bad_at: need more.
FormMatch match_status_form(std::string_view seen) {
  FormMatch result;
  std::size_t latest_death = 0;  // a form dies at its first octet that differs from `seen`
  bool alive = false;
  for (const StatusForm& form : kForms) {
    const std::size_t n = std::min(form.prefix.size(), seen.size());
    const auto diff = std::mismatch(form.prefix.begin(), form.prefix.begin() + static_cast<std::ptrdiff_t>(n),
                                    seen.begin());
    const auto agree = static_cast<std::size_t>(diff.first - form.prefix.begin());
    if (agree == form.prefix.size()) {
      result.form = &form;
      return result;
    }
    if (agree == seen.size()) {
      alive = true;
    } else {
      latest_death = std::max(latest_death, agree + 1);
    }
  }
  if (!alive) result.bad_at = latest_death;
  return result;
}

}  // namespace

ResponseFramer::ResponseFramer(bool multiline_if_ok, Limits limits)
    : limits_(limits), multiline_if_ok_(multiline_if_ok) {}

ResponseFramer::Step ResponseFramer::fail(std::string message) {
  phase_ = Phase::failed;
  error_ = std::move(message);
  return Step::failed;
}

// The status line. Errors, by proof point: a form that cannot match (at its first wrong octet), the
// line limit (max_line octets without a LF), a bare LF (at the LF). Octets past max_line are not
// looked at, so the limit wins over anything they would show.
ResponseFramer::Step ResponseFramer::frame_status(std::string_view in) {
  const std::size_t bound = limits_.max_line;  // the LF must sit before it
  const std::size_t end = std::min(in.size(), bound);
  const FormMatch match = match_status_form(in.substr(0, end));
  if (match.bad_at != 0) {
    return fail(fmt::format("expected +OK or -ERR, found \"{}\"", ascii::printable(in.substr(0, match.bad_at))));
  }
  if (match.form == nullptr) {
    if (in.size() >= bound) return fail(fmt::format("status line exceeds {} octets", limits_.max_line));
    return Step::need_more;
  }

  const std::string_view prefix = match.form->prefix;
  std::size_t lf = prefix.size() - 1;  // the form ends the line: "+OK\r\n"
  if (prefix.back() == ' ') {
    lf = find_byte(in, std::clamp(scanned_, prefix.size(), end), end, '\n');
    if (lf == npos) {
      scanned_ = end;
      if (in.size() >= bound) return fail(fmt::format("status line exceeds {} octets", limits_.max_line));
      return Step::need_more;
    }
    if (in[lf - 1] != '\r') return fail("bare LF in status line");
  }

  response_.kind = match.form->kind;
  const std::size_t text_begin = std::min(prefix.size(), lf - 1);
  response_.text.assign(in.substr(text_begin, lf - 1 - text_begin));
  if (response_.kind != Response::Kind::continuation) response_.code = parse_response_code(response_.text);
  response_.multiline = multiline_if_ok_ && response_.kind == Response::Kind::ok;
  line_start_ = scanned_ = lf + 1;
  ++line_number_;
  return Step::line;
}

// One body line. Errors, by proof point:
//   line limit  max_line octets of the line without a LF;
//   body limit  the line is not the terminator (an octet differs from ".\r\n") and its LF cannot
//               come before the octet that would take body_octets past max_body;
//   bare LF     the LF, when not preceded by CR.
// Ties: line limit before body limit, bare LF before body limit.
ResponseFramer::Step ResponseFramer::frame_body_line(std::string_view in) {
  const std::size_t pos = line_start_;
  const std::size_t size = in.size();
  // First octet ruling out the terminator line, npos while the line may still be ".\r\n".
  std::size_t dead = npos;
  for (std::size_t i = 0; i < kTerminator.size() && pos + i < size; ++i) {
    if (in[pos + i] != kTerminator[i]) {
      dead = pos + i;
      break;
    }
  }
  const std::size_t stuffed = pos < size && in[pos] == '.' ? 1 : 0;  // RFC 1939 §3 byte-stuffing
  const std::size_t line_bound = add_sat(pos, limits_.max_line);
  // A content line fits the body limit iff its LF sits before this: unstuffed octets + CRLF <= room.
  const std::size_t body_bound = add_sat(pos + stuffed, limits_.max_body - response_.body_octets);
  const std::size_t body_proof = dead == npos ? size_max : std::max(body_bound, dead + 1);
  const std::size_t line_no = line_number_ - 1;

  const std::size_t end = std::min(size, line_bound);
  const std::size_t lf = find_byte(in, std::clamp(scanned_, pos, end), end, '\n');
  if (lf == npos) {
    scanned_ = end;
    if (line_bound <= size && line_bound <= body_proof) {
      return fail(fmt::format("body line {} exceeds {} octets", line_no, limits_.max_line));
    }
    if (body_proof <= size) return fail(fmt::format("body exceeds {} octets", limits_.max_body));
    return Step::need_more;
  }
  const bool bare_lf = lf == pos || in[lf - 1] != '\r';
  if (dead != npos && lf >= body_bound && !(bare_lf && lf + 1 <= body_proof)) {
    return fail(fmt::format("body exceeds {} octets", limits_.max_body));
  }
  if (bare_lf) return fail(fmt::format("bare LF in body line {}", line_no));

  line_start_ = scanned_ = lf + 1;
  ++line_number_;
  if (dead == npos) return Step::end;  // with its LF in, the line is exactly ".\r\n"

  const std::string_view content = in.substr(pos + stuffed, lf - 1 - pos - stuffed);
  ++response_.line_count;
  response_.body_octets += content.size() + 2;
  response_.body_hash = fnv1a64("\r\n", fnv1a64(content, response_.body_hash));
  if (response_.lines.size() < limits_.keep_lines) response_.lines.emplace_back(content);
  return Step::line;
}

ParseResult ResponseFramer::feed(std::string_view in) {
  ParseResult result;
  if (phase_ != Phase::failed && in.size() < seen_) {
    fail(fmt::format("buffer shrank from {} to {} octets between feeds", seen_, in.size()));
  }
  if (phase_ == Phase::failed) {
    result.status = ParseStatus::error;
    result.error = error_;
    return result;
  }
  seen_ = in.size();
  if (phase_ == Phase::complete) return parse_response(in.substr(0, line_start_), multiline_if_ok_, limits_);

  const auto outcome = [&](Step step) {
    if (step == Step::failed) {
      result.status = ParseStatus::error;
      result.error = error_;
    } else if (step == Step::end) {
      phase_ = Phase::complete;
      response_.wire_bytes = line_start_;
      result.status = ParseStatus::complete;
      result.consumed = line_start_;
      result.response = std::move(response_);
    }
    return std::move(result);
  };

  if (phase_ == Phase::status) {
    const Step step = frame_status(in);
    if (step != Step::line) return outcome(step);
    if (!response_.multiline) return outcome(Step::end);
    phase_ = Phase::body;
  }
  for (;;) {
    const Step step = frame_body_line(in);
    if (step != Step::line) return outcome(step);
  }
}

ParseResult parse_response(std::string_view buffer, bool multiline_if_ok, const Limits& limits) {
  return ResponseFramer(multiline_if_ok, limits).feed(buffer);
}

}  // namespace facteur::pop3
