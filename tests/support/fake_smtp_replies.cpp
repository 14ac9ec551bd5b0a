#include "tests/support/fake_smtp_replies.hpp"

#include <fmt/format.h>

namespace facteur::test {

std::string format_reply(int code, std::string_view enhanced, const std::vector<std::string>& lines,
                         const Misbehaviour& bad) {
  const char* eol = bad.bare_lf_replies ? "\n" : "\r\n";
  const std::string prefix = enhanced.empty() || bad.no_enhanced_codes ? "" : std::string(enhanced) + " ";
  std::string out;
  const std::size_t n = lines.empty() ? 1 : lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool last = i + 1 == n;
    // RFC 5321 §4.2.1: every line carries the same code; all but the last use '-'.
    const int line_code = bad.multiline_code_changes && n > 1 && i == 1 ? code + 1 : code;
    const char separator = last && !(bad.multiline_last_dash && n > 1) ? ' ' : '-';
    const std::string text = lines.empty() ? std::string() : lines[i];
    out += fmt::format("{}{}{}{}{}", line_code, separator, prefix, text, eol);
  }
  return out;
}

std::string format_literal(std::string_view reply, const Misbehaviour& bad) {
  const char* eol = bad.bare_lf_replies ? "\n" : "\r\n";
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    const auto nl = reply.find('\n', pos);
    out += reply.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    out += eol;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

}  // namespace facteur::test
