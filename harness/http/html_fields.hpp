// The value of a form's <input> in an HTML page (a hidden CSRF token, a reference), found by the
// input's name. A small tolerant scanner, not an HTML parser; the rule:
//
//  - Comments (<!-- … -->) are skipped, and so is the content of <script>, <style> and <textarea>
//    (raw text in HTML: an "<input" there is not an element).
//  - A tag is "<" + name (ASCII case-insensitive) followed by whitespace, "/" or ">". For each
//    <input …> the attributes are read as the HTML tokenizer reads them: a name up to whitespace,
//    "/", ">" or "="; then optionally "=" and a value, double-quoted, single-quoted, or unquoted up to
//    whitespace or ">". Attribute names are ASCII case-insensitive; of a repeated attribute the
//    first counts (as in HTML).
//  - Character references in attribute values are decoded: &amp; &lt; &gt; &quot; &apos; &nbsp;,
//    &#NN; and &#xHH; (as UTF-8; 0, surrogates and values above U+10FFFF become U+FFFD); any other
//    "&" is kept as it is.
//  - The first <input> whose decoded name equals `name` (exactly) wins; its decoded value, or ""
//    when it has no value attribute. nullopt when there is none (or a tag is not closed).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace facteur::http {

std::optional<std::string> input_value(std::string_view html, std::string_view name);
// Decodes the character references listed above.
std::string decode_entities(std::string_view text);

}  // namespace facteur::http
