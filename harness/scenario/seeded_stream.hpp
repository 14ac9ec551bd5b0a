// The octets of an FTP seeded transfer: an endless deterministic stream per seed, readable from any
// offset in O(1) (so a REST resume regenerates exactly the tail), produced in chunks of any size.
// Octet i is byte (i mod 8) (little-endian) of the (i div 8)-th output of SplitMix64 seeded from
// the spec seed (seeded_content.hpp, Stream::ftp_data); SplitMix64's state after k steps is
// start + k·γ, which is what makes the jump cheap. Any other stream of seeded_content.hpp can be
// read the same way (Stream::attachment gives attachment_bytes(seed, 0, n): HTTP file parts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/scenario/seeded_content.hpp"

namespace facteur::scenario {

class SeededStream {
 public:
  SeededStream(std::uint64_t seed, std::uint64_t offset = 0) : SeededStream(seed, Stream::ftp_data, offset) {}
  SeededStream(std::uint64_t seed, Stream which, std::uint64_t offset);
  // The next `n` octets into `out`.
  void fill(char* out, std::size_t n);
  // How many of `data` equal the next octets of the stream (data.size() when all do); advances
  // the stream by data.size() either way.
  std::size_t compare(std::string_view data);
  std::uint64_t position() const { return position_; }

 private:
  std::uint64_t word(std::uint64_t index) const;
  std::uint64_t start_;
  std::uint64_t position_;
};

}  // namespace facteur::scenario
