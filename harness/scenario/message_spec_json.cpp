// MessageSpec from scenario JSON: every key checked, every mistake named (a configuration error,
// so it throws; STYLE.md §7).
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/scenario/message_builder.hpp"

namespace facteur::scenario {
namespace {

[[noreturn]] void wrong_type(const std::string& key, std::string_view expected, std::string_view got) {
  throw std::invalid_argument(fmt::format("message key '{}' must be {} (got {})", key, expected, got));
}

template <class Json>
std::string as_string(const Json& v, const std::string& key) {
  if (!v.is_string()) wrong_type(key, "a string", v.type_name());
  return v.template get<std::string>();
}

template <class Json>
bool as_bool(const Json& v, const std::string& key) {
  if (!v.is_boolean()) wrong_type(key, "a boolean", v.type_name());
  return v.template get<bool>();
}

template <class Json>
std::uint64_t as_unsigned(const Json& v, const std::string& key) {
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.template get<std::int64_t>() < 0)) {
    wrong_type(key, "a non-negative integer", v.is_number() ? "a negative or fractional number" : v.type_name());
  }
  return v.template get<std::uint64_t>();
}

template <class Json>
std::size_t as_octets(const Json& v, const std::string& key) {
  const std::uint64_t n = as_unsigned(v, key);
  if (n > max_generated_octets) {
    throw std::invalid_argument(fmt::format("message key '{}' must be at most {}", key, max_generated_octets));
  }
  return static_cast<std::size_t>(n);
}

// RFC 5322 §3.6.8: field-name = 1*ftext, printable US-ASCII except ':'.
std::string field_name(std::string name, const std::string& key) {
  bool ok = !name.empty();
  for (char c : name) {
    if (c < 33 || c > 126 || c == ':') ok = false;
  }
  if (!ok) throw std::invalid_argument(fmt::format("message key '{}': invalid header name '{}'", key, name));
  return name;
}

template <class Json>
std::vector<std::pair<std::string, std::string>> as_headers(const Json& v) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (v.is_object()) {
    for (const auto& [name, value] : v.items()) {
      const std::string key = "headers." + name;
      headers.emplace_back(field_name(name, "headers"), as_string(value, key));
    }
    return headers;
  }
  if (!v.is_array()) wrong_type("headers", "an object or an array of [name, value] pairs", v.type_name());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string key = fmt::format("headers[{}]", i);
    const auto& pair = v[i];
    if (!pair.is_array() || pair.size() != 2) wrong_type(key, "a [name, value] pair", pair.type_name());
    headers.emplace_back(field_name(as_string(pair[0], key + "[0]"), key), as_string(pair[1], key + "[1]"));
  }
  return headers;
}

template <class Json>
std::vector<AttachmentSpec> as_attachments(const Json& v) {
  if (!v.is_array()) wrong_type("attachments", "an array", v.type_name());
  std::vector<AttachmentSpec> attachments;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string prefix = fmt::format("attachments[{}]", i);
    const auto& item = v[i];
    if (!item.is_object()) wrong_type(prefix, "an object", item.type_name());
    AttachmentSpec a;
    for (const auto& [name, value] : item.items()) {
      const std::string key = prefix + "." + name;
      if (name == "filename") {
        a.filename = as_string(value, key);
      } else if (name == "content_type") {
        a.content_type = as_string(value, key);
      } else if (name == "size") {
        a.size = as_octets(value, key);
      } else {
        throw std::invalid_argument(fmt::format("unknown message key '{}'", key));
      }
    }
    attachments.push_back(std::move(a));
  }
  return attachments;
}

template <class Json>
MessageSpec from_json(const Json& j) {
  if (!j.is_object()) {
    throw std::invalid_argument(fmt::format("message must be an object (got {})", j.type_name()));
  }
  MessageSpec spec;
  for (const auto& [key, value] : j.items()) {
    if (key == "from") {
      spec.from = as_string(value, key);
    } else if (key == "to") {
      spec.to = as_string(value, key);
    } else if (key == "subject") {
      spec.subject = as_string(value, key);
    } else if (key == "message_id") {
      spec.message_id = as_string(value, key);
    } else if (key == "date") {
      spec.date = as_string(value, key);
    } else if (key == "headers") {
      spec.headers = as_headers(value);
    } else if (key == "body") {
      spec.body = as_string(value, key);
    } else if (key == "size") {
      spec.size = as_octets(value, key);
    } else if (key == "eight_bit") {
      spec.eight_bit = as_bool(value, key);
    } else if (key == "utf8_headers") {
      spec.utf8_headers = as_bool(value, key);
    } else if (key == "leading_dots") {
      spec.leading_dots = as_bool(value, key);
    } else if (key == "line_length") {
      spec.line_length = as_octets(value, key);
    } else if (key == "attachments") {
      spec.attachments = as_attachments(value);
    } else if (key == "seed") {
      spec.seed = as_unsigned(value, key);
    } else {
      throw std::invalid_argument(fmt::format("unknown message key '{}'", key));
    }
  }
  return spec;
}

}  // namespace

MessageSpec message_spec_from_json(const nlohmann::json& j) { return from_json(j); }
MessageSpec message_spec_from_json(const nlohmann::ordered_json& j) { return from_json(j); }

}  // namespace facteur::scenario
