// OpenSSL 3 wrappers for detail/crypto.hpp. A failing OpenSSL call here means a broken library
// build (e.g. MD5 disabled by a FIPS provider), not bad input, so it throws.
#include "harness/sasl/detail/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <stdexcept>

namespace facteur::sasl::detail {
namespace {

const EVP_MD* evp(Digest digest) {
  switch (digest) {
    case Digest::md5: return EVP_md5();
    case Digest::sha1: return EVP_sha1();
    case Digest::sha256: return EVP_sha256();
  }
  return nullptr;
}

const unsigned char* bytes(std::string_view s) {
  // OpenSSL wants unsigned char; reading char data through it is allowed aliasing.
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

}  // namespace

std::size_t digest_size(Digest digest) {
  return static_cast<std::size_t>(EVP_MD_get_size(evp(digest)));
}

std::string hash(Digest digest, std::string_view data) {
  std::string out(digest_size(digest), '\0');
  unsigned int length = 0;
  require(EVP_Digest(data.data(), data.size(), bytes(out), &length, evp(digest), nullptr) == 1,
          "EVP_Digest failed");
  out.resize(length);
  return out;
}

std::string hmac(Digest digest, std::string_view key, std::string_view data) {
  require(key.size() <= INT_MAX, "HMAC key too long");
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  // An empty key still needs a non-null pointer.
  const char* key_data = key.empty() ? "" : key.data();
  require(HMAC(evp(digest), key_data, static_cast<int>(key.size()), bytes(data), data.size(),
               bytes(out), &length) != nullptr,
          "HMAC failed");
  out.resize(length);
  return out;
}

std::string pbkdf2(Digest digest, std::string_view password, std::string_view salt,
                   std::uint32_t iterations) {
  require(iterations >= 1 && iterations <= INT_MAX, "PBKDF2 iteration count out of range");
  require(password.size() <= INT_MAX && salt.size() <= INT_MAX, "PBKDF2 input too long");
  std::string out(digest_size(digest), '\0');
  require(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytes(salt),
                            static_cast<int>(salt.size()), static_cast<int>(iterations),
                            evp(digest), static_cast<int>(out.size()), bytes(out)) == 1,
          "PKCS5_PBKDF2_HMAC failed");
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void cleanse(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

std::string hex_lower(std::string_view raw) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (const char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    out += digits[byte >> 4];
    out += digits[byte & 0x0F];
  }
  return out;
}

}  // namespace facteur::sasl::detail
