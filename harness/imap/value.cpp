#include <cctype>

#include "harness/imap/response.hpp"

namespace facteur::imap {

bool Value::is_atom(std::string_view upper) const {
  if (kind != Kind::atom || text.size() != upper.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != std::toupper(static_cast<unsigned char>(upper[i]))) {
      return false;
    }
  }
  return true;
}

std::optional<std::uint64_t> Value::number() const {
  if ((kind != Kind::number && kind != Kind::atom) || text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

std::string Value::wire() const {
  switch (kind) {
    case Kind::atom:
    case Kind::number:
      return text;
    case Kind::nil:
      return "NIL";
    case Kind::string: {
      if (literal) return (binary ? "~{" : "{") + std::to_string(text.size()) + "}\r\n" + text;
      std::string out = "\"";
      for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + '"';
    }
    case Kind::list: {
      std::string out(1, open);
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ' ';
        out += items[i].wire();
      }
      return out + (open == '[' ? ']' : ')');
    }
  }
  return text;
}

std::vector<Value> Response::items() const {
  std::vector<Value> out;
  if (number) out.push_back(Value{Value::Kind::number, std::to_string(*number), false, false, '(', {}});
  out.push_back(Value{Value::Kind::atom, name, false, false, '(', {}});
  if (is_status()) {
    if (!code.empty()) {
      Value c{Value::Kind::list, {}, false, false, '[', {}};
      c.items.push_back(Value{Value::Kind::atom, code, false, false, '(', {}});
      for (const auto& v : code_args) c.items.push_back(v);
      out.push_back(std::move(c));
    }
    return out;
  }
  for (const auto& v : data) out.push_back(v);
  return out;
}

}  // namespace facteur::imap
