// ASCII helpers for the pure parsers: case folding that ignores the locale (protocol keywords are
// ASCII and case-insensitive: RFC 5321 §4.1.1.1, RFC 2449 §5, RFC 2389 §3, RFC 3659 §7.5), and
// octets quoted into error messages. Header-only, so a parser library needs no link to core.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace facteur::ascii {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_upper(c);
  return out;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return to_upper(x) == to_upper(y); });
}

// Octets as an error message quotes them: printable ASCII as is, CR / LF / quote / backslash / the
// rest escaped, so a message never carries a line break or a control octet from the wire.
inline std::string printable(std::string_view octets) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(octets.size());
  for (const char c : octets) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    }
  }
  return out;
}

}  // namespace facteur::ascii
