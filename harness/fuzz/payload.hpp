// The octets a fuzz input sends, kept as parts so that a finding stays readable and replayable:
// text, ${…} template references (kept whole: a password is sent by reference, never written into
// a finding), and repeated runs (a 1 MiB line is one part). Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace facteur::fuzz {

struct Part {
  enum class Kind { text, ref, repeat };
  Kind kind = Kind::text;
  std::string bytes;       // text: the octets; ref: "${name}"; repeat: the unit
  std::size_t count = 1;   // repeat only
};

using Payload = std::vector<Part>;

Payload text(std::string_view octets);
// Splits a scenario template into text and references ("$${" stays text "${").
Payload from_template(std::string_view tmpl);
void append(Payload& p, std::string_view octets);  // merges with a trailing text part
void append(Payload& p, const Payload& more);
// Octets sent, references counted by their written length.
std::size_t size(const Payload& p);
// The "parts" array of a raw step (harness/scenario/raw_parts.cpp): valid UTF-8 text as strings
// (with "${" escaped), other octets as {"hex"}, runs as {"repeat", "count"}.
nlohmann::ordered_json to_parts_json(const Payload& p);
// Readable one-line form for messages: "EHLO x\r\n" → "EHLO x\r\n" with octets escaped, runs as "A×65536".
std::string describe(const Payload& p, std::size_t max_chars = 160);

}  // namespace facteur::fuzz
