// Text encodings for generated messages: base64 bodies (RFC 2045 §6.8), encoded-words
// (RFC 2047), header folding (RFC 5322 §2.2.3) and CRLF line endings (RFC 5322 §2.1).
#pragma once

#include <string>
#include <string_view>

namespace facteur::scenario {

// Base64 in lines of at most 76 characters, each line CRLF-terminated ("" for no input).
std::string base64_lines(std::string_view raw);

// `text` as UTF-8 "B" encoded-words ("=?UTF-8?B?...?=") separated by single spaces. Each word
// holds whole characters (RFC 2047 §5) and is at most 64 characters, so "Subject: " plus one word
// stays within the 76 characters RFC 2047 §2 allows a line.
std::string encoded_words(std::string_view text);

// True when `text` has an octet outside US-ASCII.
bool has_8bit(std::string_view text);

// A header value on one line: a line break followed by WSP is a fold and is removed (RFC 5322
// §2.2.3 unfolding); any other CR, LF or CRLF becomes one space.
std::string single_line(std::string_view value);

// "Name: value" + CRLF, folded before whitespace so that lines keep to 78 characters where the
// value allows it (RFC 5322 §2.1.1). A run without whitespace longer than that is left whole.
std::string fold_header(std::string_view name, std::string_view value);

// Every CRLF, bare LF and bare CR becomes CRLF; a non-empty text gets a final CRLF.
std::string crlf_lines(std::string_view text);

}  // namespace facteur::scenario
