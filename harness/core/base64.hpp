// Base64 (RFC 4648 §4), written once for every component: SASL exchanges, MIME bodies of
// generated messages, and HdrHistogram interval logs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace facteur {

std::string base64_encode(std::string_view raw);
// Strict decoding: nullopt on any character outside the alphabet, bad padding or non-zero pad bits,
// so a decoded value has exactly one encoding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace facteur
