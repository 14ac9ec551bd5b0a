// Private: the SCRAM message grammar of RFC 5802 §7, as pure functions. No crypto here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace facteur::sasl::detail {

// RFC 5802 §5.1 "n": ',' and '=' in a saslname are sent as "=2C" and "=3D".
std::string saslname_escape(std::string_view name);

// RFC 5802 §7 server-first-message: [reserved-mext ","] nonce "," salt "," iteration-count
// ["," extensions].
struct ServerFirst {
  std::string nonce;       // full nonce: client nonce + server nonce
  std::string salt;        // base64-decoded
  std::uint32_t iterations = 0;
};

// RFC 5802 §7 server-final-message: (server-error / verifier) ["," extensions].
struct ServerFinal {
  std::string verifier;    // base64-decoded ServerSignature, when "v="
  std::string error;       // server-error-value, when "e="
};

template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;       // why it was rejected, when value is empty
};

// Rejects: a mandatory extension "m=" (§5.1), a missing or misplaced r/s/i, a nonce that is not
// printable, does not start with `client_nonce` or adds nothing to it (§5.1 "r"), a salt that is
// not strict non-empty base64, an iteration count that is not a posit-number or is above
// scram_max_iterations. A server that answers with "e=" is reported with that error value.
Parsed<ServerFirst> parse_server_first(std::string_view message, std::string_view client_nonce);

// Rejects anything but "v=" with strict base64 or "e=" with a value as the first attribute.
Parsed<ServerFinal> parse_server_final(std::string_view message);

}  // namespace facteur::sasl::detail
