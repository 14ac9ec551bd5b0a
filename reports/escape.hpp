// Escaping shared by the renderers. Server replies can contain anything: bytes that are not UTF-8,
// C0 controls (XML 1.0 forbids them, terminals execute ESC sequences), "]]>", markup. Every
// renderer passes data through escape() before it reaches its output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace facteur::report::detail {

enum class Escape {
  text,           // plain text, multi-line: \n and \t kept
  line,           // plain text on one line: \n and \t shown as \xNN too
  xml_text,       // XML character data: & < > as entities
  xml_attribute,  // XML attribute value: & < > " ' as entities, \t \n as character references
  html,           // HTML text or attribute value: & < > " ' as entities
};

// Returns `in` with every byte that is not part of valid UTF-8, every C0 control other than \t and
// \n, DEL, the C1 controls (U+0080..U+009F) and the noncharacters U+FFFE/U+FFFF written as the
// visible text "\xNN" (one per byte), then the markup characters of `mode` escaped. Valid text
// without controls or markup passes unchanged, so escaping is idempotent for Escape::text.
std::string escape(std::string_view in, Escape mode);

// Only the bytes that are not valid UTF-8, as "\xNN"; everything else unchanged. The result is
// always valid UTF-8 (what a JSON serializer requires).
std::string valid_utf8(std::string_view in);

// `in` cut to at most `max_bytes`, at a UTF-8 character boundary.
std::string_view truncate_utf8(std::string_view in, std::size_t max_bytes);

}  // namespace facteur::report::detail
