#include "harness/http/form_urlencoded.hpp"

namespace facteur::http {
namespace {

bool kept(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '*' || c == '-' ||
         c == '.' || c == '_';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string form_escape(std::string_view octets) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(octets.size());
  for (char ch : octets) {
    const auto c = static_cast<unsigned char>(ch);
    if (kept(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string form_urlencode(const FieldList& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += form_escape(name);
    out.push_back('=');
    out += form_escape(value);
  }
  return out;
}

std::string with_query(std::string_view path, const FieldList& query) {
  std::string out(path);
  if (query.empty()) return out;
  out.push_back(out.find('?') == std::string::npos ? '?' : '&');
  out += form_urlencode(query);
  return out;
}

std::optional<FieldList> form_urldecode(std::string_view body) {
  FieldList out;
  std::size_t from = 0;
  while (from <= body.size()) {
    const std::size_t amp = body.find('&', from);
    const std::string_view pair = body.substr(from, amp == std::string_view::npos ? std::string_view::npos : amp - from);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      auto name = unescape(pair.substr(0, eq));
      auto value = unescape(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!name || !value) return std::nullopt;
      out.emplace_back(std::move(*name), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    from = amp + 1;
  }
  return out;
}

}  // namespace facteur::http
