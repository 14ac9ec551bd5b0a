// The value tokenizer (RFC 9051 §4, §9): atoms, numbers, NIL, quoted strings, literals, lists.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "harness/imap/detail/tokenizer.hpp"

namespace facteur::imap::detail {
namespace {

constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();

std::size_t saturating_add(std::size_t a, std::size_t b) { return b > kMax - a ? kMax : a + b; }

bool is_nil(std::string_view text) { return iequal(text, "NIL"); }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// RFC 9051 §4.3: quoted = DQUOTE *QUOTED-CHAR DQUOTE, where only DQUOTE and "\" are escaped.
// 8-bit octets (UTF-8) are kept; CR, LF and NUL are not allowed.
bool read_quoted(Scanner& s, Value* out) {
  const std::size_t open_at = s.pos++;
  std::string* text = nullptr;
  if (out != nullptr) {
    out->kind = Value::Kind::string;
    text = &out->text;
  }
  for (;;) {
    if (!s.available()) return false;
    const char c = s.in[s.pos];
    if (c == '"') {
      ++s.pos;
      return true;
    }
    if (c == '\r' || c == '\n') {
      return s.fail(fmt::format("quoted string opened at offset {} not closed before the end of the line "
                                "(offset {})", open_at, s.pos));
    }
    if (c == '\0') return s.fail(fmt::format("NUL in quoted string at offset {}", s.pos));
    char octet = c;
    if (c == '\\') {
      ++s.pos;
      if (!s.available()) return false;
      octet = s.in[s.pos];
      if (octet != '"' && octet != '\\') {
        return s.fail(fmt::format("invalid escape in quoted string at offset {}: only \\\" and \\\\ are allowed",
                                  s.pos - 1));
      }
    }
    if (text != nullptr) text->push_back(octet);
    ++s.pos;
  }
}

// RFC 9051 §4.3: literal = "{" number64 ["+"] "}" CRLF *CHAR8, literal8 = "~{" number64 "}" CRLF *OCTET.
// The "+" of a non-synchronising literal (RFC 7888) is tolerated in responses. The octets are
// not looked at: when they are not all there yet, the answer is need_more without scanning them.
bool read_literal(Scanner& s, Value* out, bool binary) {
  const std::size_t at = s.pos;
  if (s.text_mode) return s.fail(fmt::format("literal at offset {} is not allowed here", at));
  s.pos += binary ? 2 : 1;  // "~{" or "{"
  std::size_t n = 0;
  std::size_t digits = 0;
  for (;;) {
    if (!s.available()) return false;
    const char c = s.in[s.pos];
    if (!is_digit(c)) break;
    const auto d = static_cast<std::size_t>(c - '0');
    n = n > (kMax - d) / 10 ? kMax : n * 10 + d;
    ++digits;
    ++s.pos;
  }
  if (digits == 0) return s.fail(fmt::format("literal at offset {}: expected its length", at));
  if (s.in[s.pos] == '+') {
    ++s.pos;
    if (!s.available()) return false;
  }
  if (s.in[s.pos] != '}') return s.fail(fmt::format("literal at offset {}: expected '}}' at offset {}", at, s.pos));
  ++s.pos;
  // The announced length is judged as soon as it is known.
  if (n > s.limits.max_literal) {
    return s.fail(fmt::format("literal at offset {} announces {} octets, more than the limit of {}", at, n,
                              s.limits.max_literal));
  }
  const std::size_t start = s.pos + 2;  // after CRLF; the response goes on with at least a CRLF
  if (saturating_add(start, 2) > s.limits.max_response || n > s.limits.max_response - start - 2) {
    return s.fail(fmt::format("literal at offset {} makes the response exceed {} octets", at,
                              s.limits.max_response));
  }
  if (!s.available()) return false;
  if (s.in[s.pos] != '\r') {
    return s.fail(fmt::format("literal at offset {}: its announcement must end the line (offset {})", at, s.pos));
  }
  ++s.pos;
  if (!s.available()) return false;
  if (s.in[s.pos] != '\n') return s.fail(fmt::format("bare CR at offset {}", s.pos - 1));
  ++s.pos;
  if (s.in.size() - start < n) {
    s.stop = Stop::need_more;
    return false;
  }
  if (out != nullptr) {
    out->kind = Value::Kind::string;
    out->literal = true;
    out->binary = binary;
    out->text.assign(s.in.substr(start, n));
  }
  s.literal_octets += n;
  s.pos = start + n;
  s.start_line(s.pos);  // the line goes on after the literal, with a fresh line limit
  return true;
}

// An atom, a number or NIL. An atom followed by "[" takes the section up to its matching "]"
// (whatever it holds) and an optional partial "<n>" / "<n.m>": BODY[HEADER.FIELDS (FROM)]<0>.
bool read_atom(Scanner& s, Value* out, std::size_t depth, bool in_brackets) {
  const std::size_t at = s.pos;
  bool section = false;
  while (!s.at_text_end()) {
    if (!s.available()) return false;
    const char c = s.in[s.pos];
    if (c == '[') {
      if (depth + 1 > s.limits.max_depth) {
        return s.fail(fmt::format("lists nested deeper than {} at offset {}", s.limits.max_depth, s.pos));
      }
      const std::size_t values = s.values;  // a section is part of one atom, not values of its own
      ++s.pos;
      if (!read_sequence(s, nullptr, ']', s.pos - 1, depth + 1, true)) return false;
      s.values = values;
      section = true;
      if (s.at_text_end()) break;
      if (!s.available()) return false;
      if (s.in[s.pos] != '<') break;
      // RFC 9051 §9: "<" number ["." nz-number] ">"
      const std::size_t partial_at = s.pos++;
      std::size_t digits = 0;
      bool dot = false;
      for (;;) {
        if (!s.available()) return false;
        const char p = s.in[s.pos];
        if (is_digit(p)) {
          ++digits;
        } else if (p == '.' && digits > 0 && !dot) {
          dot = true;
          digits = 0;
        } else if (p == '>' && digits > 0) {
          ++s.pos;
          break;
        } else {
          return s.fail(fmt::format("bad partial at offset {}: expected <n> or <n.m>", partial_at));
        }
        ++s.pos;
      }
      break;
    }
    if (!is_atom_char(c, in_brackets)) break;
    ++s.pos;
  }
  if (out == nullptr) return true;
  const std::string_view text = s.in.substr(at, s.pos - at);
  out->text.assign(text);
  if (!section && all_digits(text)) {
    out->kind = Value::Kind::number;
  } else if (!section && is_nil(text)) {
    out->kind = Value::Kind::nil;
    out->text.clear();
  } else {
    out->kind = Value::Kind::atom;
  }
  return true;
}

}  // namespace

void Scanner::start_line(std::size_t at) {
  line_start = at;
  limit = text_mode ? kMax : std::min(saturating_add(at, limits.max_line), limits.max_response);
}

bool Scanner::available() {
  if (pos < in.size() && pos < limit) return true;
  if (text_mode) return fail(fmt::format("text ends early at offset {}", pos));
  if (pos < limit) {
    if (stop == Stop::none) stop = Stop::need_more;
    return false;
  }
  // The line (or the response) had to end before `limit`, and it has not.
  if (limit == limits.max_response && saturating_add(line_start, limits.max_line) != limit) {
    return fail(fmt::format("response exceeds {} octets", limits.max_response));
  }
  return fail(fmt::format("line starting at offset {} exceeds {} octets", line_start, limits.max_line));
}

bool Scanner::fail(std::string message) {
  if (stop != Stop::error) {
    stop = Stop::error;
    error = std::move(message);
  }
  return false;
}

bool read_sequence(Scanner& s, std::vector<Value>* out, char close, std::size_t open_at, std::size_t depth,
                   bool in_brackets) {
  bool need_space = false;  // a value just ended: SP, a closer or the line end must follow
  bool after_list = false;  // ... unless it was a ( ) list: "((a)(b))" as in BODYSTRUCTURE
  for (;;) {
    if (s.at_text_end()) {
      if (close == 0) return true;
      return s.fail(fmt::format("list opened at offset {} is not closed", open_at));
    }
    if (!s.available()) return false;
    const char c = s.in[s.pos];
    if (c == ' ') {
      ++s.pos;
      need_space = false;
      continue;
    }
    if (close != 0 && c == close) {  // (close 0 is the line end, not a NUL octet)
      ++s.pos;
      return true;
    }
    if (c == '\r' || c == '\n') {
      if (s.text_mode) return s.fail(fmt::format("line break at offset {}", s.pos));
      if (close != 0) {
        return s.fail(fmt::format("list opened at offset {} is not closed at the end of the line (offset {})",
                                  open_at, s.pos));
      }
      // RFC 9051 §2.2: lines end with CRLF, never a bare CR or LF.
      if (c == '\n') return s.fail(fmt::format("bare LF at offset {}", s.pos));
      ++s.pos;
      if (!s.available()) return false;
      if (s.in[s.pos] != '\n') return s.fail(fmt::format("bare CR at offset {}", s.pos - 1));
      ++s.pos;
      return true;
    }
    if (c == ')' || (c == ']' && in_brackets)) {
      return s.fail(fmt::format("unbalanced '{}' at offset {}", c, s.pos));
    }
    if (need_space && !(after_list && c == '(')) {
      return s.fail(fmt::format("expected SP between values at offset {}", s.pos));
    }
    Value* value = out != nullptr ? &out->emplace_back() : nullptr;
    after_list = c == '(';
    if (!read_value(s, value, depth, in_brackets)) return false;
    need_space = true;
  }
}

bool read_value(Scanner& s, Value* out, std::size_t depth, bool in_brackets) {
  const std::size_t at = s.pos;
  if (++s.values > s.limits.max_values) {
    return s.fail(fmt::format("more than {} values (offset {})", s.limits.max_values, at));
  }
  const char c = s.in[at];
  if (c == '(' || c == '[') {
    if (depth + 1 > s.limits.max_depth) {
      return s.fail(fmt::format("lists nested deeper than {} at offset {}", s.limits.max_depth, at));
    }
    if (out != nullptr) {
      out->kind = Value::Kind::list;
      out->open = c;
    }
    ++s.pos;
    return read_sequence(s, out != nullptr ? &out->items : nullptr, c == '(' ? ')' : ']', at, depth + 1,
                         in_brackets || c == '[');
  }
  if (c == '"') return read_quoted(s, out);
  if (c == '{') return read_literal(s, out, false);
  if (c == '~') {  // "~{" starts a literal8; otherwise "~" is an atom octet
    if (!s.text_mode) {
      ++s.pos;
      const bool more = s.available();
      s.pos = at;
      if (!more) return false;
    }
    if (at + 1 < s.in.size() && s.in[at + 1] == '{') return read_literal(s, out, true);
  }
  if (is_atom_char(c, in_brackets)) return read_atom(s, out, depth, in_brackets);
  return s.fail(fmt::format("unexpected octet 0x{:02X} at offset {}", static_cast<unsigned char>(c), at));
}

}  // namespace facteur::imap::detail
