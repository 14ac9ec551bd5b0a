// A raw step's octets written as parts, for what a JSON string cannot hold or should not spell out:
//   "EHLO "                         a template string (as in "raw": "…")
//   {"hex": "00ff0d"}               octets by their hex value (NUL, 8-bit, invalid UTF-8)
//   {"repeat": "A", "count": 65536} a string repeated (overlong lines stay readable in a finding)
// They are joined into one template: octets from hex and repeat parts are escaped so that a "${"
// among them is sent as it is, never read as a reference.
#include <nlohmann/json.hpp>

#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
using nlohmann::json;

namespace {

constexpr std::size_t kMaxRawOctets = 64 * 1024 * 1024;

// "${" → "$${" (template.hpp: the escape wherever it occurs).
std::string escaped(std::string_view octets) {
  std::string out;
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (octets[i] == '$' && i + 1 < octets.size() && octets[i + 1] == '{') out += '$';
    out += octets[i];
  }
  return out;
}

// Joins a part to the template so far. A '$' ending one part and a '{' starting the next would read
// as a reference: the '$' is escaped ("$${" gives "${"). A '$' right before a ${reference} cannot be
// written at all (it would read as the escape), so the caller refuses it.
bool join(std::string& out, std::string_view piece) {
  if (!out.empty() && out.back() == '$' && !piece.empty() && piece.front() == '{') out += '$';
  if (!out.empty() && out.back() == '$' && piece.rfind("${", 0) == 0) return false;
  out += piece;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Reader::raw_parts(const json& parts, const std::string& ptr) const {
  expect_type(parts, ptr, json::value_t::array, "an array of parts (strings, {hex}, {repeat, count})");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string p = ptr + "/" + std::to_string(i);
    const json& part = parts[i];
    if (part.is_string()) {
      check_template_at(part.get<std::string>(), p);
      if (!join(out, part.get<std::string>())) fail(p, "a '$' cannot come right before a ${reference}");
    } else {
      expect_type(part, p, json::value_t::object, "a string, {hex} or {repeat, count}");
      if (part.contains("hex")) {
        check_keys(part, p, {"hex"});
        const std::string hex = string_at(part, p, "hex", true);
        if (hex.size() % 2 != 0) fail(p + "/hex", "hex needs an even number of digits");
        std::string octets;
        for (std::size_t k = 0; k < hex.size(); k += 2) {
          const int hi = hex_value(hex[k]), lo = hex_value(hex[k + 1]);
          if (hi < 0 || lo < 0) fail(p + "/hex", "'" + hex.substr(k, 2) + "' is not a hex octet");
          octets += static_cast<char>(hi * 16 + lo);
        }
        if (!join(out, escaped(octets))) fail(p, "a '$' cannot come right before a ${reference}");
      } else {
        check_keys(part, p, {"repeat", "count"});
        const std::string unit = string_at(part, p, "repeat", true);
        if (!part.contains("count")) fail(p, "missing required key 'count'");
        const int count = int_at(part, p, "count", 0, 64 * 1024 * 1024);
        if (unit.empty()) fail(p + "/repeat", "the repeated string must not be empty");
        if (unit.size() * static_cast<std::size_t>(count) > kMaxRawOctets) {
          fail(p, "a raw step holds at most 64 MiB");
        }
        std::string octets;
        octets.reserve(unit.size() * static_cast<std::size_t>(count));
        for (int k = 0; k < count; ++k) octets += unit;
        join(out, escaped(octets));
      }
    }
    if (out.size() > kMaxRawOctets) fail(p, "a raw step holds at most 64 MiB");
  }
  return out;
}

}  // namespace facteur::scenario
