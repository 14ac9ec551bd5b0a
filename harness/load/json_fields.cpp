#include "harness/load/json_fields.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace facteur::load::json_fields {
using nlohmann::json;

namespace {
// Compact JSON text that never throws: invalid UTF-8 (possible in a document built in code) is replaced.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

void fail(std::string_view path, std::string_view reason) {
  throw FieldError{fmt::format("{}: {}", path, reason)};
}

std::string key_path(std::string_view path, std::string_view key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (plain) return fmt::format("{}.{}", path, key);
  return fmt::format("{}[{}]", path, dump(json(key)));
}

std::string index_path(std::string_view path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

std::string describe(const json& value) {
  std::string text = dump(value);  // strings escaped as JSON escapes them ("\n", "\"")
  if (value.is_string()) text = "'" + text.substr(1, text.size() - 2) + "'";
  constexpr std::size_t kLongest = 60;  // a message quotes a value, not a whole document
  if (text.size() > kLongest) {
    std::size_t cut = kLongest - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    text = text.substr(0, cut) + "...";
  }
  return text;
}

void expect_object(const json& value, std::string_view path) {
  if (!value.is_object()) fail(path, "expected an object, found " + describe(value));
}

void check_keys(const json& object, std::string_view path, std::span<const std::string_view> allowed,
                const std::string& why) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) fail(key_path(path, key), why);
  }
}

const json& required(const json& object, std::string_view path, std::string_view key) {
  const auto found = object.find(key);
  if (found == object.end()) fail(key_path(path, key), "missing");
  return *found;
}

std::uint64_t read_uint(const json& value, std::string_view path, std::uint64_t max) {
  if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
    fail(path, "expected a whole number ≥ 0, found " + describe(value));
  }
  const auto n = value.get<std::uint64_t>();
  if (n > max) fail(path, fmt::format("{} is more than {}", n, max));
  return n;
}

int read_int(const json& value, std::string_view path, int min, int max) {
  if (!value.is_number_integer()) fail(path, "expected a whole number, found " + describe(value));
  const bool huge = value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max);
  if (huge || value.get<std::int64_t>() < min || value.get<std::int64_t>() > max) {
    fail(path, fmt::format("{} is not between {} and {}", dump(value), min, max));
  }
  return static_cast<int>(value.get<std::int64_t>());
}

double read_number(const json& value, std::string_view path, double min, double max) {
  if (!value.is_number()) fail(path, "expected a number, found " + describe(value));
  const auto n = value.get<double>();
  if (!std::isfinite(n) || n < min || n > max) fail(path, fmt::format("{} is not between {} and {}", dump(value), min, max));
  return n;
}

const std::string& read_string(const json& value, std::string_view path) {
  if (!value.is_string()) fail(path, "expected a string, found " + describe(value));
  return value.get_ref<const std::string&>();
}

}  // namespace facteur::load::json_fields
