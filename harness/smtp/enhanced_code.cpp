// Enhanced status codes at the start of a reply's text (RFC 2034 §4, RFC 3463 §2).
#include <fmt/format.h>

#include "harness/smtp/reply.hpp"

namespace facteur::smtp {
namespace {

// Reads 1*3DIGIT at text[pos...]; advances pos. Returns -1 when there is no digit.
int read_number(std::string_view text, std::size_t& pos) {
  int value = 0;
  std::size_t digits = 0;
  while (pos < text.size() && digits < 3 && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  return digits == 0 ? -1 : value;
}

}  // namespace

std::string EnhancedCode::str() const { return fmt::format("{}.{}.{}", klass, subject, detail); }

// RFC 2034 §4: status-code = class "." subject "." detail; class = "2" / "4" / "5";
// subject, detail = 1*3digit; followed by SP and the text (or nothing).
// The class is not compared with the reply code here: a mismatch is the server's bug to report.
std::optional<EnhancedCode> parse_enhanced_code(std::string_view text) {
  if (text.size() < 5) return std::nullopt;  // shortest is "2.0.0"
  EnhancedCode result;
  const char klass = text[0];
  if ((klass != '2' && klass != '4' && klass != '5') || text[1] != '.') return std::nullopt;
  result.klass = klass - '0';
  std::size_t pos = 2;
  result.subject = read_number(text, pos);
  if (result.subject < 0 || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  result.detail = read_number(text, pos);
  if (result.detail < 0) return std::nullopt;
  if (pos < text.size() && text[pos] != ' ') return std::nullopt;  // "5.1.1234" or "2.0.0x"
  return result;
}

}  // namespace facteur::smtp
