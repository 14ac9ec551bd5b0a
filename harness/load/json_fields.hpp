// Reading JSON values with errors that name where they are, as users read paths:
// "load.stages[1].duration: '3x' is not a duration". Internal to harness/load: the executor
// config and the metrics reader share it. Readers throw FieldError; reading() turns it into the
// public nullopt-with-reason form at the API boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace facteur::load::json_fields {

struct FieldError {
  std::string message;  // "path: reason"
};

[[noreturn]] void fail(std::string_view path, std::string_view reason);

// "load" + "vus" → "load.vus"; a key that is not a plain name is quoted: metrics["smtp.data"].
std::string key_path(std::string_view path, std::string_view key);
std::string index_path(std::string_view path, std::size_t index);  // "load.stages[1]"

// How a value looks in a message: strings in single quotes, everything else as JSON.
std::string describe(const nlohmann::json& value);

void expect_object(const nlohmann::json& value, std::string_view path);
// Every key of `object` is one of `allowed`; otherwise "path.key: <why>" with why(key).
void check_keys(const nlohmann::json& object, std::string_view path, std::span<const std::string_view> allowed,
                const std::string& why);
// object[key]; "path.key: missing" when absent.
const nlohmann::json& required(const nlohmann::json& object, std::string_view path, std::string_view key);

std::uint64_t read_uint(const nlohmann::json& value, std::string_view path, std::uint64_t max = UINT64_MAX);
int read_int(const nlohmann::json& value, std::string_view path, int min, int max);
double read_number(const nlohmann::json& value, std::string_view path, double min, double max);
const std::string& read_string(const nlohmann::json& value, std::string_view path);

// Runs `read` and returns its value, or nullopt with the FieldError's message in `error`.
template <class Read>
auto reading(std::string* error, Read&& read) -> std::optional<decltype(read())> {
  try {
    return std::forward<Read>(read)();
  } catch (const FieldError& e) {
    if (error) *error = e.message;
    return std::nullopt;
  }
}

}  // namespace facteur::load::json_fields
