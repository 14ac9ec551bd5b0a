// Private: the few OpenSSL 3 primitives the mechanisms need, over std::string bytes.
// Only non-deprecated APIs (EVP_Digest, HMAC(), PKCS5_PBKDF2_HMAC). Nothing here logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace facteur::sasl::detail {

enum class Digest { md5, sha1, sha256 };

std::size_t digest_size(Digest digest);

// H(data): RFC 5802 §2.2 "H".
std::string hash(Digest digest, std::string_view data);

// HMAC(key, data) (RFC 2104): RFC 2195 keyed digest, RFC 5802 §2.2 "HMAC".
std::string hmac(Digest digest, std::string_view key, std::string_view data);

// Hi(password, salt, i) of RFC 5802 §2.2 is PBKDF2 (RFC 2898) with HMAC and dkLen = digest size.
// `iterations` must be at least 1 and fit an int.
std::string pbkdf2(Digest digest, std::string_view password, std::string_view salt,
                   std::uint32_t iterations);

// Equality without an early exit, for comparing signatures.
bool equal_constant_time(std::string_view a, std::string_view b);

// Overwrites the bytes before the string is released (keys, salted passwords).
void cleanse(std::string& secret);

std::string hex_lower(std::string_view raw);

}  // namespace facteur::sasl::detail
