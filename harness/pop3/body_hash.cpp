// The body hash of a Response: 64-bit FNV-1a (offset basis 14695981039346656037, prime 2^40 + 435).
#include "harness/pop3/response.hpp"

namespace facteur::pop3 {

std::uint64_t fnv1a64(std::string_view octets, std::uint64_t hash) {
  constexpr std::uint64_t prime = 0x100000001b3ULL;
  for (const char c : octets) {
    hash ^= static_cast<unsigned char>(c);
    hash *= prime;
  }
  return hash;
}

}  // namespace facteur::pop3
