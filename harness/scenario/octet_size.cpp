#include "harness/scenario/octet_size.hpp"

#include <array>
#include <limits>

namespace facteur::scenario {

std::optional<std::uint64_t> parse_octet_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  const std::string_view unit = text.substr(i);
  struct Unit {
    std::string_view name;
    std::uint64_t factor;
  };
  static constexpr std::array<Unit, 11> kUnits{{
      {"", 1}, {"B", 1},
      {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30}, {"TiB", 1ULL << 40},
      {"kB", 1000ULL}, {"KB", 1000ULL}, {"MB", 1000'000ULL}, {"GB", 1000'000'000ULL}, {"TB", 1000'000'000'000ULL},
  }};
  if (unit.empty() && text.back() == ' ') return std::nullopt;  // "10 ": a unit was meant
  for (const auto& u : kUnits) {
    if (u.name != unit) continue;
    if (value > kMax / u.factor) return std::nullopt;
    return value * u.factor;
  }
  return std::nullopt;
}

}  // namespace facteur::scenario
