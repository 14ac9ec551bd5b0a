#include "harness/http/chunked.hpp"

#include <fmt/format.h>

namespace facteur::http {

std::string encode_chunk(std::string_view data) {
  if (data.empty()) return {};
  std::string out = fmt::format("{:X}\r\n", data.size());
  out.append(data);
  out += "\r\n";
  return out;
}

std::optional<std::string> decode_chunked(std::string_view wire) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t eol = wire.find("\r\n", at);
    if (eol == std::string_view::npos || eol == at || eol - at > 15) return std::nullopt;
    std::size_t size = 0;
    for (std::size_t i = at; i < eol; ++i) {
      const char c = wire[i];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::nullopt;
      size = size * 16 + static_cast<std::size_t>(d);
    }
    at = eol + 2;
    if (size == 0) {
      if (wire.substr(at) != "\r\n") return std::nullopt;
      return out;
    }
    if (wire.size() - at < size + 2 || wire.substr(at + size, 2) != "\r\n") return std::nullopt;
    out.append(wire.substr(at, size));
    at += size + 2;
  }
}

}  // namespace facteur::http
