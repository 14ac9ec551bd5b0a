// IMAP server responses as typed values (RFC 9051 §7, RFC 3501 §7), and the pure parser that
// produces them. Nothing here touches a socket: bytes in, "need more" / response / error out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::imap {

// One value of the response grammar. Atoms keep their text as sent ("\\Seen", "BODY[1.2]<0>",
// "BODY[HEADER.FIELDS (FROM TO)]": a section and a partial are part of the atom they follow).
struct Value {
  enum class Kind { atom, number, string, nil, list };
  Kind kind = Kind::atom;
  std::string text;          // atom text, number digits, or string contents (quoted: unescaped)
  bool literal = false;      // string: sent as a literal {n} / {n+} / ~{n}
  bool binary = false;       // string: sent as literal8 ~{n} (RFC 3516 / RFC 9051)
  char open = '(';           // list: '(' for a parenthesised list, '[' for a response code
  std::vector<Value> items;  // list members

  bool is_atom(std::string_view upper) const;  // atom whose text equals `upper`, ignoring case
  std::optional<std::uint64_t> number() const; // the value of a number (or an all-digit atom)
  std::string wire() const;  // IMAP text of the value: strings quoted (literals as {n}), lists in ()/[]

  friend bool operator==(const Value&, const Value&) = default;  // every field, items deeply
};

struct Response {
  enum class Kind { tagged, untagged, continuation };
  Kind kind = Kind::untagged;
  std::string tag;                       // tagged: the tag as sent
  std::string status;                    // "OK" "NO" "BAD" "PREAUTH" "BYE" (upper) for a status response
  std::optional<std::uint64_t> number;   // message data: "* 3 EXISTS" → 3
  std::string name;                      // upper-case: the status, or "EXISTS", "FETCH", "CAPABILITY", "LIST", ...
  std::string code;                      // response code name, upper-case ("UIDVALIDITY"); "" when none
  std::vector<Value> code_args;          // the values after the code name inside [ ]
  std::string text;                      // human-readable text of a status or continuation response
  std::vector<Value> data;               // values after the name in a data response (FETCH: one list)
  std::size_t literal_octets = 0;        // octets carried in literals
  std::size_t wire_bytes = 0;            // octets of the whole response on the wire, CRLFs included

  bool is_status() const { return !status.empty(); }
  // The response as a list of values for pattern matching, without the tag or "*":
  // [number?] name data...; a status response is [status, code as a '[' list if any].
  std::vector<Value> items() const;
};

struct Limits {
  std::size_t max_line = 64 * 1024;               // octets of one line, literals excluded
  std::size_t max_literal = 256 * 1024 * 1024;    // octets of one literal
  std::size_t max_response = 512 * 1024 * 1024;   // octets of one response, literals included
  std::size_t max_depth = 64;                     // nesting of lists
  std::size_t max_values = 1'000'000;             // values in one response
};

enum class ParseStatus { complete, need_more, error };

struct ParseResult {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;  // complete: octets of the response incl. its final CRLF
  Response response;         // valid when complete
  std::string error;         // error: what was wrong and at which offset
};

// Parses the first response in `input`. Never reads past `input`, never throws on any input.
// A literal's announced length is checked against the limits as soon as its "{n}" line is in;
// an error is reported as soon as the octet proving it is in `input`, and longer inputs give the
// same error, so callers may re-parse a growing buffer.
ParseResult parse_response(std::string_view input, const Limits& limits = {});

// Parses values from text with no CRLF (a pattern, a command argument): atoms, numbers, quoted
// strings, NIL, ( ) and [ ] lists. Literals are not allowed. nullopt + `error` on bad syntax.
std::optional<std::vector<Value>> parse_values(std::string_view text, std::string* error = nullptr);

}  // namespace facteur::imap
