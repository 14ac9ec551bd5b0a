// The default SCRAM client nonce: RFC 5802 §5.1 "r" asks for random printable characters without
// ','. Base64 of 24 random bytes gives 32 such characters (192 bits, no padding).
#include <openssl/rand.h>

#include <stdexcept>

#include "harness/sasl/detail/crypto.hpp"
#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {

std::string default_nonce() {
  std::string random(24, '\0');
  // Failure means the OS entropy source is unusable: a broken host, not a protocol event.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: no entropy for the SCRAM nonce");
  }
  std::string nonce = base64_encode(random);
  detail::cleanse(random);
  return nonce;
}

}  // namespace facteur::sasl
