// The chunked transfer coding of a request body (RFC 9112 §7.1): each chunk is its size in hex,
// CRLF, the octets, CRLF; the body ends with the last chunk "0" CRLF and an empty trailer section
// (CRLF). An empty chunk is never written (it would end the body). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace facteur::http {

// One chunk; "" for empty data.
std::string encode_chunk(std::string_view data);
// The last chunk and the empty trailer section.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// The inverse, strict (for tests and the fuzz round trip): chunk-size (hex, no extensions) CRLF
// data CRLF …, "0" CRLF CRLF, nothing after. nullopt otherwise.
std::optional<std::string> decode_chunked(std::string_view wire);

}  // namespace facteur::http
