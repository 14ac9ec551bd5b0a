// ASCII case helpers shared by the EHLO parser and the extension queries (keywords are
// case-insensitive, RFC 5321 §4.1.1.1). Locale-independent on purpose.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace facteur::smtp::detail {

constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_upper(c);
  return out;
}

inline bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return to_upper(x) == to_upper(y); });
}

}  // namespace facteur::smtp::detail
