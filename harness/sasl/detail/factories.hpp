// Private: one factory per mechanism, used by the name table in registry.cpp.
#pragma once

#include <memory>

#include "harness/sasl/detail/crypto.hpp"
#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl::detail {

// Overwrites the secrets a mechanism holds when it is destroyed.
inline void wipe(Credentials& credentials) {
  cleanse(credentials.password);
  cleanse(credentials.token);
}

std::unique_ptr<Mechanism> make_plain(Credentials credentials);
std::unique_ptr<Mechanism> make_login(Credentials credentials);
std::unique_ptr<Mechanism> make_cram_md5(Credentials credentials);
// `name` is the registered spelling ("SCRAM-SHA-1"); `digest` sha1 or sha256.
std::unique_ptr<Mechanism> make_scram(std::string_view name, Digest digest, Credentials credentials,
                                      NonceSource nonce);
std::unique_ptr<Mechanism> make_xoauth2(Credentials credentials);

}  // namespace facteur::sasl::detail
