// SASL client mechanisms (RFC 4422), written once and used by SMTP AUTH (RFC 4954), POP3 AUTH
// (RFC 5034) and IMAP AUTHENTICATE. Pure: challenges in, responses out; the protocol dialect does
// the base64 framing and the transport. OpenSSL supplies the primitives (HMAC, PBKDF2, hashes).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/base64.hpp"

namespace facteur::sasl {

// The `{}` initialisers let callers name only the fields they need ({.authcid = ..., .token = ...})
// without GCC's -Wmissing-field-initializers firing on designated initialisers.
struct Credentials {
  std::string authcid{};   // user name
  std::string password{};
  std::string authzid{};   // optional authorisation identity
  std::string token{};     // bearer token for XOAUTH2
};

// Source of client nonces (SCRAM); injectable so tests can use the RFC 5802/7677 examples.
using NonceSource = std::function<std::string()>;

struct StepResult {
  bool ok = true;
  std::string response;  // raw (not base64) client response
  std::string error;     // why the exchange cannot go on (malformed challenge, bad server signature)
};

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  virtual std::string_view name() const = 0;          // "SCRAM-SHA-256"
  // The initial response sent with the AUTH command, if the mechanism has one (PLAIN, XOAUTH2,
  // SCRAM's client-first, LOGIN none). Called once, before any step().
  virtual std::optional<std::string> initial_response() = 0;
  // One server challenge (already base64-decoded) → the client's answer.
  virtual StepResult step(std::string_view challenge) = 0;
  // Checks data that arrives with the final success reply (SCRAM server-final "v=..."); mechanisms
  // without such data accept an empty string. Returns an error text, or empty when verified.
  virtual std::string verify_success(std::string_view server_final) { (void)server_final; return {}; }
  // True once the mechanism has seen and verified everything it needs from the server.
  virtual bool server_verified() const { return true; }
  // The server's own error text, kept for diagnostics: the XOAUTH2 JSON error challenge, the value
  // of a SCRAM server-final "e=". Empty when the server reported none.
  virtual std::string_view server_error() const { return {}; }
};

// PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login), CRAM-MD5 (RFC 2195),
// SCRAM-SHA-1 (RFC 5802), SCRAM-SHA-256 (RFC 7677), XOAUTH2 (Google's bearer-token form).
// Name is case-insensitive; nullptr for an unknown mechanism.
std::unique_ptr<Mechanism> make_mechanism(std::string_view name, Credentials credentials,
                                          NonceSource nonce = {});

std::vector<std::string> supported_mechanisms();

// The NonceSource used when none is given: 24 bytes from RAND_bytes, base64-encoded (32 printable
// characters, never ','), as RFC 5802 §5.1 asks of "r=".
std::string default_nonce();

// SCRAM iteration counts above this are refused: RFC 5802 sets no upper bound, and a hostile
// server could otherwise pin the client's CPU. 10,000,000 PBKDF2 rounds already take seconds.
inline constexpr std::uint32_t scram_max_iterations = 10'000'000;

// The dialects base64-frame SASL messages with the one codec in core.
using facteur::base64_decode;
using facteur::base64_encode;

}  // namespace facteur::sasl
