// Generated test messages (RFC 5322 + MIME, RFC 2045/2046): size, 8-bit and UTF-8 content,
// attachments, lines starting with dots. Deterministic from a seed so a receiver can check them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace facteur::scenario {

struct AttachmentSpec {
  std::string filename = "attachment.bin";
  std::string content_type = "application/octet-stream";
  std::size_t size = 1024;        // octets before base64
};

struct MessageSpec {
  std::string from = "sender@example.test";
  std::string to = "rcpt@example.test";
  std::string subject = "facteur test message";
  std::string message_id;         // generated "<seed-hex.counter.run-token@facteur.test>" when empty
  std::string date;               // RFC 5322 date; "now" when empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  std::string body = "This is a facteur test message.\r\n";
  std::size_t size = 0;           // when > 0, pad the body with generated lines up to ~size octets total
  bool eight_bit = false;         // add 8-bit (UTF-8) body text; Content-Transfer-Encoding: 8bit
  bool utf8_headers = false;      // raw UTF-8 in Subject (RFC 6532 / SMTPUTF8)
  bool leading_dots = false;      // add lines ".", "..", ".text" to the body (dot-stuffing checks)
  std::size_t line_length = 0;    // when > 0, add one body line of exactly this many octets (no CRLF)
  std::vector<AttachmentSpec> attachments;  // multipart/mixed when non-empty
  std::uint64_t seed = 1;
};

// The message as octets with CRLF line endings (not dot-stuffed). Header order: Date, From, To,
// Subject, Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding, then `headers`.
// Header values are made single-line and folded at 78 characters where they have whitespace.
// `body` line endings become CRLF. With `size`, the result is exactly `size` octets unless the
// message without padding is already that long (then it is left as is) or one octet short.
// Deterministic for a given spec when `date` and `message_id` are set (the generated Message-ID
// adds a process-wide counter and a per-process token, so IDs stay unique under load and across runs).
std::string build_message(const MessageSpec& spec);

// Largest `size`, `line_length` or attachment size message_spec_from_json accepts.
inline constexpr std::size_t max_generated_octets = std::size_t{1} << 30;

// Reads a spec from scenario JSON (keys as the field names above; attachments as an array of
// {filename, content_type, size}). Throws std::invalid_argument naming the offending key.
// `headers` is an object (name → value) or an array of [name, value] pairs (repeatable names).
// An object's headers come in the iteration order of the json type: sorted by name for
// nlohmann::json, document order for nlohmann::ordered_json.
MessageSpec message_spec_from_json(const nlohmann::json& j);
MessageSpec message_spec_from_json(const nlohmann::ordered_json& j);

}  // namespace facteur::scenario
