// Deterministic content for generated messages: the same seed gives the same octets on every
// platform (SplitMix64, no std:: distributions), so a receiver can regenerate and compare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace facteur::scenario {

// SplitMix64 (Steele, Lea, Flood 2014): a bijection of its state per step, so the first 2^64
// outputs of one stream are all distinct.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// Independent streams drawn from one spec seed.
enum class Stream : std::uint64_t {
  attachment = 0x6174746163680000ULL,
  filler = 0x66696C6C65720000ULL,
  boundary = 0x626F756E64000000ULL,
  message_id = 0x6D73676964000000ULL,
  ftp_data = 0x6674706461746100ULL,
};
SplitMix64 stream(std::uint64_t seed, Stream which, std::uint64_t index = 0);

// The raw (pre-base64) octets of attachment `index` (0-based) of a message with `seed`.
std::string attachment_bytes(std::uint64_t seed, std::size_t index, std::size_t size);

// Exactly `octets` octets of CRLF-terminated ASCII lines of at most 76 characters, each starting
// with a letter and never ending with a space ([a-z0-9 ]). One octet cannot be a line: gives "".
std::string filler_lines(std::uint64_t seed, std::size_t octets);

// 16 lowercase hex digits drawn from `rng`.
std::string hex16(SplitMix64& rng);

}  // namespace facteur::scenario
