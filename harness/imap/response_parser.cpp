// parse_response: one IMAP response (RFC 9051 §7, RFC 3501 §7) framed out of a byte buffer, with
// limits; parse_values: the same value grammar over one line of text.
//
// Two passes over a response, as for SMTP replies: the first validates and frames it without
// building anything (so "need more" on a growing buffer costs a scan of the line, and none of a
// literal's octets), the second builds the Response once it is known to be complete.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "harness/imap/detail/tokenizer.hpp"
#include "harness/imap/response.hpp"

namespace facteur::imap {
namespace {

using detail::Scanner;
using detail::Stop;

constexpr std::size_t npos = std::string_view::npos;

// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">, i.e. CHAR minus atom-specials, plus "]".
constexpr bool is_tag_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::strchr("(){%*\"\\+", c) == nullptr;
}

constexpr bool is_name_char(char c) { return detail::is_atom_char(c, false); }

// A word for an error message: long or odd words are cut, never echoed whole.
std::string shown(std::string_view word) {
  std::string out;
  for (char c : word.substr(0, 32)) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f ? std::string(1, c) : fmt::format("\\x{:02X}", u);
  }
  return word.size() > 32 ? out + "..." : out;
}

// A run of octets matching `pred` (a tag, a status word, a response name). False when the input
// ends inside it (need_more, or the line limit).
bool read_word(Scanner& s, bool (*pred)(char), std::string_view& word) {
  const std::size_t at = s.pos;
  for (;;) {
    if (!s.available()) return false;
    if (!pred(s.in[s.pos])) break;
    ++s.pos;
  }
  word = s.in.substr(at, s.pos - at);
  return true;
}

// RFC 9051 §9 number64 at most; nullopt past 2^64 - 1.
std::optional<std::uint64_t> to_number(std::string_view digits) {
  std::uint64_t n = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

bool is_status(std::string_view upper_word, bool tagged) {
  if (upper_word == "OK" || upper_word == "NO" || upper_word == "BAD") return true;
  return !tagged && (upper_word == "PREAUTH" || upper_word == "BYE");
}

// Finds the CRLF ending a line of text that is not tokenised (resp-text, base64): any octet but
// CR and LF (RFC 9051 §9 TEXT-CHAR; 8-bit allowed for UTF-8). Sets `text_end` to the CR.
bool frame_text_line(Scanner& s, std::size_t& text_end) {
  const std::size_t from = s.pos;
  const std::size_t stop_at = std::min(s.in.size(), s.limit);
  const char* base = s.in.data();
  const void* hit = from < stop_at ? std::memchr(base + from, '\n', stop_at - from) : nullptr;
  const std::size_t lf = hit == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(hit) - base);
  // A CR in the last octet looked at may still be followed by its LF.
  const std::size_t cr_end = lf != npos ? std::max(lf, from + 1) - 1 : std::max(stop_at, from + 1) - 1;
  if (from < cr_end) {
    if (const void* cr = std::memchr(base + from, '\r', cr_end - from)) {
      return s.fail(fmt::format("bare CR at offset {}", static_cast<const char*>(cr) - base));
    }
  }
  if (lf == npos) {
    s.pos = stop_at;
    return s.available();  // false: need_more, or the line limit
  }
  if (lf == from || s.in[lf - 1] != '\r') return s.fail(fmt::format("bare LF at offset {}", lf));
  text_end = lf - 1;
  s.pos = lf + 1;
  return true;
}

// A response code "[" atom [SP args] "]" at `open` (RFC 9051 §7.1), within in[0, end). Returns
// the offset after its "]", or npos when the text has no code. Arguments are tokenised when they
// can be; otherwise the code keeps its name and its raw text as one atom (never an error: servers
// invent codes, and RFC 9051 lets an unknown code carry any text but "]").
std::size_t read_code(std::string_view in, std::size_t open, std::size_t end, const Limits& limits, Response& r) {
  const std::string_view line = in.substr(0, end);
  std::size_t name_end = open + 1;
  while (name_end < end && detail::is_atom_char(line[name_end], true)) ++name_end;
  if (name_end == open + 1) return npos;
  const std::string name = detail::upper(line.substr(open + 1, name_end - open - 1));
  if (name_end < end && line[name_end] == ']') {
    r.code = name;
    return name_end + 1;
  }
  if (name_end < end && line[name_end] == ' ') {
    Scanner s(line, limits, true);
    s.pos = name_end;
    std::vector<Value> args;
    if (detail::read_sequence(s, &args, ']', open, 0, true)) {
      r.code = name;
      r.code_args = std::move(args);
      return s.pos;
    }
  }
  const std::size_t close = line.find(']', name_end);
  if (close == npos) return npos;
  r.code = name;
  const std::size_t raw = name_end < close && line[name_end] == ' ' ? name_end + 1 : name_end;
  if (raw < close && limits.max_values > 0) {
    r.code_args.push_back(Value{Value::Kind::atom, std::string(line.substr(raw, close - raw)), false, false, '(', {}});
  }
  return close + 1;
}

// After a status word (or "+"): [SP] ["[" code "]" [SP]] text CRLF.
bool read_status_text(Scanner& s, Response* r, std::string_view word, bool continuation) {
  if (!s.available()) return false;
  const char c = s.in[s.pos];
  if (c == ' ') {
    ++s.pos;
  } else if (!continuation && c != '\r' && c != '\n') {
    return s.fail(fmt::format("expected SP after {} at offset {}", shown(word), s.pos));
  }
  const std::size_t text_start = s.pos;
  std::size_t text_end = 0;
  if (!frame_text_line(s, text_end)) return false;
  if (r == nullptr) return true;
  std::size_t from = text_start;
  if (text_start < text_end && s.in[text_start] == '[') {
    const std::size_t after = read_code(s.in, text_start, text_end, s.limits, *r);
    if (after != npos) from = after < text_end && s.in[after] == ' ' ? after + 1 : after;
  }
  r->text.assign(s.in.substr(from, text_end - from));
  return true;
}

bool read_untagged(Scanner& s, Response* r) {
  ++s.pos;  // "*"
  if (!s.available()) return false;
  if (s.in[s.pos] != ' ') return s.fail(fmt::format("expected SP after '*' at offset {}", s.pos));
  ++s.pos;
  std::string_view word;
  std::size_t at = s.pos;
  if (!read_word(s, is_name_char, word)) return false;
  if (word.empty()) return s.fail(fmt::format("expected a response name at offset {}", at));
  std::optional<std::uint64_t> number;
  if (std::all_of(word.begin(), word.end(), detail::is_digit)) {
    // message-data (RFC 9051 §7.4): number SP name
    number = to_number(word);
    if (!number) return s.fail(fmt::format("message number at offset {} is too large", at));
    if (!s.available()) return false;
    if (s.in[s.pos] != ' ') return s.fail(fmt::format("expected SP after the message number at offset {}", s.pos));
    ++s.pos;
    at = s.pos;
    if (!read_word(s, is_name_char, word)) return false;
    if (word.empty()) return s.fail(fmt::format("expected a response name at offset {}", at));
  }
  const std::string name = detail::upper(word);
  if (r != nullptr) {
    r->kind = Response::Kind::untagged;
    r->number = number;
    r->name = name;
  }
  if (!number && is_status(name, false)) {
    if (r != nullptr) r->status = name;
    return read_status_text(s, r, word, false);
  }
  if (!s.available()) return false;
  const char c = s.in[s.pos];
  if (c != ' ' && c != '\r' && c != '\n') {
    return s.fail(fmt::format("expected SP after {} at offset {}", shown(word), s.pos));
  }
  return detail::read_sequence(s, r != nullptr ? &r->data : nullptr, 0, 0, 0, false);
}

bool read_tagged(Scanner& s, Response* r) {
  std::string_view tag;
  if (!read_word(s, is_tag_char, tag)) return false;
  if (tag.empty()) {
    return s.fail(fmt::format("a response starts with a tag, '*' or '+', not 0x{:02X} (offset 0)",
                              static_cast<unsigned char>(s.in[0])));
  }
  const char c = s.in[s.pos];
  if (c == '\r' || c == '\n') return s.fail(fmt::format("tagged response without a status (offset {})", s.pos));
  if (c != ' ') {
    return s.fail(fmt::format("invalid octet 0x{:02X} in tag at offset {}", static_cast<unsigned char>(c), s.pos));
  }
  ++s.pos;
  std::string_view word;
  const std::size_t at = s.pos;
  if (!read_word(s, is_name_char, word)) return false;
  const std::string status = detail::upper(word);
  if (!is_status(status, true)) {
    return s.fail(fmt::format("tagged response {}: status '{}' at offset {} is not OK, NO or BAD", shown(tag),
                              shown(word), at));
  }
  if (r != nullptr) {
    r->kind = Response::Kind::tagged;
    r->tag.assign(tag);
    r->status = status;
    r->name = status;
  }
  return read_status_text(s, r, word, false);
}

bool read_response(Scanner& s, Response* r) {
  if (!s.available()) return false;
  switch (s.in[0]) {
    case '+':
      if (r != nullptr) r->kind = Response::Kind::continuation;
      ++s.pos;
      return read_status_text(s, r, "+", true);
    case '*':
      return read_untagged(s, r);
    default:
      return read_tagged(s, r);
  }
}

}  // namespace

ParseResult parse_response(std::string_view input, const Limits& limits) {
  ParseResult result;
  Scanner frame(input, limits, false);
  if (!read_response(frame, nullptr)) {
    if (frame.stop == Stop::error) {
      result.status = ParseStatus::error;
      result.error = std::move(frame.error);
    }
    return result;
  }
  Scanner build(input.substr(0, frame.pos), limits, false);
  if (!read_response(build, &result.response) || build.pos != frame.pos) {  // cannot happen: same octets
    result = ParseResult{};
    result.status = ParseStatus::error;
    result.error = "internal error: the response parsed differently twice";
    return result;
  }
  result.status = ParseStatus::complete;
  result.consumed = frame.pos;
  result.response.wire_bytes = frame.pos;
  result.response.literal_octets = build.literal_octets;
  return result;
}

std::optional<std::vector<Value>> parse_values(std::string_view text, std::string* error) {
  const Limits limits;
  Scanner s(text, limits, true);
  std::vector<Value> values;
  if (!detail::read_sequence(s, &values, 0, 0, 0, false)) {
    if (error != nullptr) *error = std::move(s.error);
    return std::nullopt;
  }
  return values;
}

}  // namespace facteur::imap
