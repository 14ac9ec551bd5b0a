// What an atom of a pattern stands for: a variable, a wildcard, a directive or itself.
#pragma once

#include <string_view>

#include "harness/imap/response.hpp"

namespace facteur::imap::detail {

enum class PatternAtom { literal, any, rest, variable, directive, escaped };

constexpr bool is_var_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

constexpr PatternAtom classify(std::string_view text) {
  if (text.empty() || text[0] != '$') return PatternAtom::literal;
  if (text == "$") return PatternAtom::any;
  if (text == "$*") return PatternAtom::rest;
  if (text[1] == '!') return PatternAtom::directive;
  if (text[1] == '$') return PatternAtom::escaped;  // "$$x" is the atom "$x"
  for (char c : text.substr(1)) {
    if (!is_var_char(c)) return PatternAtom::literal;
  }
  return PatternAtom::variable;
}

inline PatternAtom classify(const Value& v) {
  return v.kind == Value::Kind::atom ? classify(std::string_view(v.text)) : PatternAtom::literal;
}

}  // namespace facteur::imap::detail
