// Queries over a parsed EHLO extension set. Keywords are case-insensitive (RFC 5321 §4.1.1.1).
#include "harness/core/ascii.hpp"
#include "harness/smtp/ehlo.hpp"

namespace facteur::smtp {

using ascii::upper;

bool Extensions::has(std::string_view keyword) const { return keywords.contains(upper(keyword)); }

const std::vector<std::string>* Extensions::params(std::string_view keyword) const {
  const auto it = keywords.find(upper(keyword));
  return it == keywords.end() ? nullptr : &it->second;
}

// RFC 1870 §4: size-param = [1*DIGIT]; 0 means no fixed maximum, an omitted number conveys nothing
// (nullopt). A value that is not all digits or overflows is not a usable limit either (nullopt).
std::optional<unsigned long long> Extensions::size_limit() const {
  const auto* p = params("SIZE");
  if (p == nullptr || p->empty()) return std::nullopt;
  const std::string& digits = p->front();
  if (digits.empty()) return std::nullopt;
  unsigned long long value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<unsigned long long>(c - '0');
    if (value > (~0ULL - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

std::vector<std::string> Extensions::auth_mechanisms() const {
  std::vector<std::string> out;
  if (const auto* p = params("AUTH")) {
    out.reserve(p->size());
    for (const auto& mech : *p) out.push_back(upper(mech));
  }
  return out;
}

}  // namespace facteur::smtp
