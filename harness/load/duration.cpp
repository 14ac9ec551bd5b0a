// Durations as k6 (and Go) write them: parse_duration and format_duration of executor.hpp.
// A duration is one or more <number><unit> parts ("1m30s", "1.5s", "250ms"), or a bare "0".
// Arithmetic is in integers: the decimal point is moved, never multiplied in floating point, so
// "0.1s" is exactly 100 ms and every formatted duration parses back to itself.
#include <array>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

constexpr std::uint64_t kMaxNanos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::uint64_t kSecond = 1'000'000'000;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;

// A unit is coefficient · 10^exponent nanoseconds.
struct Unit {
  std::string_view name;
  std::uint64_t coefficient;
  std::size_t exponent;
};
constexpr std::array<Unit, 7> kUnits{{
    {"ns", 1, 0}, {"us", 1, 3}, {"µs", 1, 3}, {"ms", 1, 6}, {"s", 1, 9}, {"m", 6, 10}, {"h", 36, 11}}};
constexpr std::string_view kUnitList = "ns, us, ms, s, m, h";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// value · 10 + digit, or false past kMaxNanos.
bool push_digit(std::uint64_t& value, char digit) {
  const auto d = static_cast<std::uint64_t>(digit - '0');
  if (value > (kMaxNanos - d) / 10) return false;
  value = value * 10 + d;
  return true;
}

// whole.fraction units in nanoseconds (truncated below 1 ns); false past kMaxNanos.
bool to_nanos(std::string_view whole, std::string_view fraction, const Unit& unit, std::uint64_t& out) {
  std::uint64_t shifted = 0;  // whole.fraction · 10^exponent, integer part
  for (const char c : whole) {
    if (!push_digit(shifted, c)) return false;
  }
  for (std::size_t i = 0; i < unit.exponent; ++i) {
    if (!push_digit(shifted, i < fraction.size() ? fraction[i] : '0')) return false;
  }
  if (shifted > kMaxNanos / unit.coefficient) return false;
  out = shifted * unit.coefficient;
  // What is left of the fraction, times the coefficient (≤ 36): 17 digits keep it in 64 bits.
  std::uint64_t rest = 0, scale = 1;
  for (std::size_t i = unit.exponent; i < fraction.size() && i < unit.exponent + 17; ++i) {
    rest = rest * 10 + static_cast<std::uint64_t>(fraction[i] - '0');
    scale *= 10;
  }
  const std::uint64_t extra = rest * unit.coefficient / scale;
  if (out > kMaxNanos - extra) return false;
  out += extra;
  return true;
}

const Unit* find_unit(std::string_view name) {
  for (const Unit& unit : kUnits) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

// The reason `text` is not a duration, or empty with `out` set.
std::string parse(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return "it is empty";
  if (text.front() == '-') return "a duration is never negative";
  if (text == "0") return {};
  out = 0;
  while (!text.empty()) {
    std::size_t i = 0;
    while (i < text.size() && is_digit(text[i])) ++i;
    const std::string_view whole = text.substr(0, i);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
      const std::size_t start = ++i;
      while (i < text.size() && is_digit(text[i])) ++i;
      fraction = text.substr(start, i - start);
      if (fraction.empty()) return fmt::format("expected a digit after the point in '{}'", text);
    }
    if (whole.empty()) return fmt::format("expected a number at '{}'", text);
    const std::size_t unit_start = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
    const std::string_view unit_name = text.substr(unit_start, i - unit_start);
    if (unit_name.empty()) return fmt::format("a number needs a unit ({})", kUnitList);
    const Unit* unit = find_unit(unit_name);
    if (unit == nullptr) return fmt::format("unknown unit '{}' ({})", unit_name, kUnitList);
    std::uint64_t part = 0;
    if (!to_nanos(whole, fraction, *unit, part) || out > kMaxNanos - part) {
      return fmt::format("longer than {}", format_duration(Nanos::max()));
    }
    out += part;
    text.remove_prefix(i);
  }
  return {};
}

// value / per as a decimal: "1", "1.5", "1.000001" (no trailing zeros).
std::string decimal(std::uint64_t value, std::uint64_t per) {
  std::string out = std::to_string(value / per);
  std::uint64_t fraction = value % per;
  if (fraction == 0) return out;
  out += '.';
  for (std::uint64_t digit = per / 10; digit > 0 && fraction > 0; digit /= 10) {
    out += static_cast<char>('0' + fraction / digit);
    fraction %= digit;
  }
  return out;
}

}  // namespace

std::optional<Nanos> parse_duration(std::string_view text, std::string* error) {
  std::uint64_t nanos = 0;
  const std::string why = parse(text, nanos);
  if (!why.empty()) {
    if (error) *error = fmt::format("'{}' is not a duration: {}", text, why);
    return std::nullopt;
  }
  return Nanos(static_cast<Nanos::rep>(nanos));
}

std::string format_duration(Nanos d) {
  if (d.count() == 0) return "0s";
  std::string out;
  auto n = static_cast<std::uint64_t>(d.count());
  if (d.count() < 0) {
    out = "-";
    n = 0 - n;  // also right for the lowest value, whose negation int64 cannot hold
  }
  if (n < 1'000) return out + std::to_string(n) + "ns";
  if (n < 1'000'000) return out + decimal(n, 1'000) + "us";
  if (n < kSecond) return out + decimal(n, 1'000'000) + "ms";
  if (n >= kHour) out += std::to_string(n / kHour) + "h";
  if (n % kHour >= kMinute) out += std::to_string(n % kHour / kMinute) + "m";
  if (n % kMinute != 0) out += decimal(n % kMinute, kSecond) + "s";
  return out;
}

}  // namespace facteur::load
