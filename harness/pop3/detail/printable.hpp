// Octets quoted into messages: printable ASCII as is, CR / LF / quote / backslash / the rest escaped.
#pragma once

#include <string>
#include <string_view>

namespace facteur::pop3::detail {

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

}  // namespace facteur::pop3::detail
