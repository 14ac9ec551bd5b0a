// SCRAM message parsing (RFC 5802 §7). Total over any input: never throws, never reads past it.
#include "harness/sasl/detail/scram_messages.hpp"

#include <vector>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl::detail {
namespace {

struct Attribute {
  char name = 0;
  std::string_view value;
};

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// RFC 5802 §7: printable = %x21-2B / %x2D-7E (printable ASCII except ',').
bool is_printable(std::string_view s) {
  for (const char c : s) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

// Splits on ',' into attr-val pairs (ALPHA "=" 1*value-char); `error` names the bad one.
struct Split {
  std::vector<Attribute> attributes;
  std::string error;
};

Split split_attributes(std::string_view message) {
  Split out;
  if (message.empty()) {
    out.error = "empty message";
    return out;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = message.find(',', start);
    const std::string_view field =
        message.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::size_t index = out.attributes.size() + 1;
    // value = 1*value-char; value-char excludes NUL (and ',', which we split on).
    if (field.size() < 3 || !is_alpha(field[0]) || field[1] != '=' ||
        field.find('\0') != std::string_view::npos) {
      out.error = "attribute " + std::to_string(index) + " is not attr=value (RFC 5802 7)";
      out.attributes.clear();
      return out;
    }
    out.attributes.push_back({field[0], field.substr(2)});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// RFC 5802 §7: posit-number = %x31-39 *DIGIT, capped by scram_max_iterations.
std::optional<std::uint32_t> parse_iterations(std::string_view text, std::string& error) {
  if (text.empty() || text[0] < '1' || text[0] > '9') {
    error = "iteration count is not a positive number (RFC 5802 7 posit-number)";
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      error = "iteration count is not a positive number (RFC 5802 7 posit-number)";
      return std::nullopt;
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > scram_max_iterations) {
      error = "iteration count above the client's limit of " + std::to_string(scram_max_iterations);
      return std::nullopt;
    }
  }
  return static_cast<std::uint32_t>(value);
}

std::string unsupported_mext() {
  return "server requires a mandatory extension (m=) the client does not support (RFC 5802 5.1)";
}

}  // namespace

std::string saslname_escape(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (c == ',') out += "=2C";
    else if (c == '=') out += "=3D";
    else out += c;
  }
  return out;
}

Parsed<ServerFirst> parse_server_first(std::string_view message, std::string_view client_nonce) {
  Parsed<ServerFirst> out;
  Split split = split_attributes(message);
  if (!split.error.empty()) {
    out.error = "server-first-message: " + split.error;
    return out;
  }
  const auto& attrs = split.attributes;
  if (attrs[0].name == 'e') {
    out.error = "server error instead of server-first-message: " + std::string(attrs[0].value);
    return out;
  }
  for (const auto& attr : attrs) {
    // RFC 5802 §5.1 "m": its presence MUST cause authentication failure.
    if (attr.name == 'm') {
      out.error = unsupported_mext();
      return out;
    }
  }
  if (attrs.size() < 3 || attrs[0].name != 'r' || attrs[1].name != 's' || attrs[2].name != 'i') {
    out.error = "server-first-message must start r=...,s=...,i=... (RFC 5802 7)";
    return out;
  }

  ServerFirst first;
  // RFC 5802 §5.1 "r": the client MUST verify the nonce starts with its own; the server appends.
  const std::string_view nonce = attrs[0].value;
  if (!is_printable(nonce)) {
    out.error = "nonce has a non-printable character (RFC 5802 7 printable)";
    return out;
  }
  if (nonce.substr(0, client_nonce.size()) != client_nonce) {
    out.error = "server nonce does not start with the client nonce (RFC 5802 5.1)";
    return out;
  }
  if (nonce.size() == client_nonce.size()) {
    out.error = "server did not append its own nonce (RFC 5802 5.1)";
    return out;
  }
  first.nonce = std::string(nonce);

  auto salt = base64_decode(attrs[1].value);
  if (!salt || salt->empty()) {
    out.error = "salt is not valid non-empty base64 (RFC 5802 7)";
    return out;
  }
  first.salt = std::move(*salt);

  auto iterations = parse_iterations(attrs[2].value, out.error);
  if (!iterations) return out;
  first.iterations = *iterations;
  // Further attributes are optional extensions: RFC 5802 §5.1 says ignore them.
  out.value = std::move(first);
  return out;
}

Parsed<ServerFinal> parse_server_final(std::string_view message) {
  Parsed<ServerFinal> out;
  Split split = split_attributes(message);
  if (!split.error.empty()) {
    out.error = "server-final-message: " + split.error;
    return out;
  }
  const auto& attrs = split.attributes;
  ServerFinal final_message;
  if (attrs[0].name == 'e') {
    final_message.error = std::string(attrs[0].value);
    out.value = std::move(final_message);
    return out;
  }
  for (const auto& attr : attrs) {
    if (attr.name == 'm') {
      out.error = unsupported_mext();
      return out;
    }
  }
  if (attrs[0].name != 'v') {
    out.error = "server-final-message must start with v= or e= (RFC 5802 7)";
    return out;
  }
  auto verifier = base64_decode(attrs[0].value);
  if (!verifier) {
    out.error = "server signature v= is not valid base64 (RFC 5802 7)";
    return out;
  }
  final_message.verifier = std::move(*verifier);
  out.value = std::move(final_message);
  return out;
}

}  // namespace facteur::sasl::detail
