// The value tokenizer shared by parse_response, parse_values and the pattern parser: atoms (with
// their section and partial), numbers, NIL, quoted strings, literals, ( ) and [ ] lists.
//
// It reads left to right and decides only on octets it has: when it runs out it stops with
// need_more (or, at a line or response limit, with an error), so a longer input always takes the
// same path up to that point. That is what makes errors stable and prefixes "need more".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "harness/imap/response.hpp"

namespace facteur::imap::detail {

constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_upper(c);
  return out;
}

inline bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  }
  return true;
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Octets an atom of a response may hold. Lenient on purpose: RFC 9051 ATOM-CHAR plus "\" (flags),
// "%" and "*" (list wildcards, "\*"), and 8-bit octets (UTF-8 mailbox names). "]" belongs to an
// atom (ASTRING-CHAR) except inside a [ ] context, where it closes it. "[" starts a section.
constexpr bool is_atom_char(char c, bool in_brackets) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return false;  // SP and CTL
  switch (c) {
    case '(': case ')': case '{': case '"': case '[':
      return false;
    case ']':
      return !in_brackets;
    default:
      return true;
  }
}

enum class Stop { none, need_more, error };

// Reading position in one response (or, in text mode, one line of text without CRLF).
struct Scanner {
  Scanner(std::string_view input, const Limits& lim, bool text) : in(input), limits(lim), text_mode(text) {
    start_line(0);
  }

  std::string_view in;
  const Limits& limits;
  bool text_mode = false;          // parse_values: the end of `in` ends the line; no literals
  std::size_t pos = 0;
  std::size_t line_start = 0;      // start of the current line (the response, or after a literal)
  std::size_t limit = 0;           // this line's octets, CRLF included, must end before this
  std::size_t values = 0;
  std::size_t literal_octets = 0;
  Stop stop = Stop::none;
  std::string error;

  void start_line(std::size_t at);
  bool at_text_end() const { return text_mode && pos >= in.size(); }
  // True when in[pos] may be read as part of the current line; otherwise stops with need_more
  // or, once a limit is proven exceeded (or the text ended), an error.
  bool available();
  bool fail(std::string message);  // records the first error; returns false
};

// SP-separated values up to `close` (')' or ']', consumed) or, with close == 0, to the end of the
// line: CRLF (consumed) in a response, the end of the text in text mode. `out` may be null to
// validate and frame without building (the first pass of parse_response). `open_at` is the
// offset of the list's opening octet, for messages.
bool read_sequence(Scanner& s, std::vector<Value>* out, char close, std::size_t open_at,
                   std::size_t depth, bool in_brackets);

// One value at s.pos (which must be available). `depth` is the nesting of the enclosing list.
bool read_value(Scanner& s, Value* out, std::size_t depth, bool in_brackets);

}  // namespace facteur::imap::detail
