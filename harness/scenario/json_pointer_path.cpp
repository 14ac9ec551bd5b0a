// JSON Pointer → the "$.a[0]["b c"]" path shown to users.
#include <cstdio>

#include "harness/scenario/json_locator.hpp"
#include "harness/scenario/json_pointer_segments.hpp"

namespace facteur::scenario {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 6901 §4: an array index is "0" or digits without a leading zero.
bool is_index(std::string_view token) {
  if (token.empty() || (token.size() > 1 && token.front() == '0')) return false;
  for (char c : token) {
    if (!is_digit(c)) return false;
  }
  return true;
}

bool is_identifier(std::string_view token) {
  if (token.empty() || !is_alpha(token.front())) return false;
  for (char c : token) {
    if (!is_alpha(c) && !is_digit(c)) return false;
  }
  return true;
}

void append_quoted(std::string& out, std::string_view token) {
  out += "[\"";
  for (char c : token) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  out += "\"]";
}

}  // namespace

std::string pointer_to_path(std::string_view pointer) {
  std::string path = "$";
  detail::for_each_pointer_token(pointer, [&](std::string_view token) {
    if (is_index(token)) {
      path.push_back('[');
      path += token;
      path.push_back(']');
    } else if (is_identifier(token)) {
      path.push_back('.');
      path += token;
    } else {
      append_quoted(path, token);
    }
    return true;
  });
  return path;
}

}  // namespace facteur::scenario
