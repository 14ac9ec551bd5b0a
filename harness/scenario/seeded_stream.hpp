// The octets of an FTP seeded transfer: an endless deterministic stream per seed, readable from any
// offset in O(1) (so a REST resume regenerates exactly the tail), produced in chunks of any size.
// Octet i is byte (i mod 8) (little-endian) of the (i div 8)-th output of SplitMix64 seeded from
// the spec seed (seeded_content.hpp, Stream::ftp_data); SplitMix64's state after k steps is
// start + k·γ, which is what makes the jump cheap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace facteur::scenario {

class SeededStream {
 public:
  SeededStream(std::uint64_t seed, std::uint64_t offset = 0);
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
