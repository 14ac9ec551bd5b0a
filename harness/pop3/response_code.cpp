// RFC 2449 §8 extended response codes: "-ERR [IN-USE] Do you have another POP session running?".
#include <cctype>

#include "harness/pop3/response.hpp"

namespace facteur::pop3 {

// resp-code = "[" resp-level *("/" resp-level) "]"; resp-level = 1*rchar;
// rchar = %x21-2E / %x30-5C / %x5E-7F (printable ASCII without "/" and "]"). The code is
// case-insensitive (§8), so it is returned upper-cased.
std::string parse_response_code(std::string_view text) {
  if (text.empty() || text.front() != '[') return {};
  std::string code;
  bool level_empty = true;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ']') return level_empty ? std::string{} : code;
    if (c == '/') {
      if (level_empty) return {};
      level_empty = true;
    } else if (c >= 0x21 && c <= 0x7f) {
      level_empty = false;
    } else {
      return {};
    }
    code.push_back(static_cast<char>(std::toupper(c)));
  }
  return {};  // no closing bracket
}

}  // namespace facteur::pop3
