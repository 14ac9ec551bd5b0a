// application/x-www-form-urlencoded, as browsers write it (the WHATWG URL standard's serializer,
// which RFC 7578 §1 and HTML forms refer to): octets of UTF-8 names and values, ALPHA / DIGIT /
// "*" "-" "." "_" kept, SP as "+", everything else "%XX" (upper-case hex). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace facteur::http {

using FieldList = std::vector<std::pair<std::string, std::string>>;

// One name or value.
std::string form_escape(std::string_view octets);
// name=value&name=value, in the given order, duplicates kept.
std::string form_urlencode(const FieldList& fields);
// `path` with `query` appended ("?" or "&" if it already has a query); `path` unchanged if empty.
std::string with_query(std::string_view path, const FieldList& query);

// The inverse, strict: "+" is SP, "%XX" needs two hex digits (nullopt otherwise), a pair without
// "=" has an empty value, empty pairs ("a=1&&b=2") are skipped.
std::optional<FieldList> form_urldecode(std::string_view body);

}  // namespace facteur::http
