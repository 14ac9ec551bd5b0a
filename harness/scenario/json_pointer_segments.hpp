// Splitting a JSON Pointer (RFC 6901) into its unescaped reference tokens. Internal to the locator.
#pragma once

#include <string>
#include <string_view>

namespace facteur::scenario::detail {

// Calls `visit(std::string_view token)` for each reference token of `pointer`, unescaped
// (RFC 6901 §4: "~1" → '/', then "~0" → '~'; any other '~' is kept as it is). "" has no tokens;
// a pointer that does not start with '/' is read as if it did. Stops early when `visit` returns
// false.
template <class Visit>
void for_each_pointer_token(std::string_view pointer, Visit&& visit) {
  if (pointer.empty()) return;
  if (pointer.front() == '/') pointer.remove_prefix(1);
  std::string token;
  for (;;) {
    const auto slash = pointer.find('/');
    const auto raw = pointer.substr(0, slash);
    token.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    if (!visit(std::string_view(token))) return;
    if (slash == std::string_view::npos) return;
    pointer.remove_prefix(slash + 1);
  }
}

}  // namespace facteur::scenario::detail
