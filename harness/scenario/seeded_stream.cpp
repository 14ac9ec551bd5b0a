#include "harness/scenario/seeded_stream.hpp"

#include <algorithm>

#include "harness/scenario/seeded_content.hpp"

namespace facteur::scenario {
namespace {
constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

SeededStream::SeededStream(std::uint64_t seed, Stream which, std::uint64_t offset) : position_(offset) {
  // The state stream(seed, which) starts from (seeded_content.cpp): one mixing step of seed ^ which.
  SplitMix64 mixer(seed ^ static_cast<std::uint64_t>(which));
  start_ = mixer.next();
}

std::uint64_t SeededStream::word(std::uint64_t index) const { return mix(start_ + (index + 1) * kGamma); }

void SeededStream::fill(char* out, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const std::uint64_t index = position_ / 8;
    unsigned shift = static_cast<unsigned>(position_ % 8) * 8;
    std::uint64_t w = word(index) >> shift;
    for (; shift < 64 && i < n; shift += 8, w >>= 8, ++i, ++position_) out[i] = static_cast<char>(w & 0xFFU);
  }
}

std::size_t SeededStream::compare(std::string_view data) {
  char buffer[4096];
  std::size_t same = data.size();
  for (std::size_t done = 0; done < data.size();) {
    const std::size_t n = std::min(sizeof buffer, data.size() - done);
    fill(buffer, n);
    if (same == data.size()) {
      for (std::size_t k = 0; k < n; ++k) {
        if (buffer[k] != data[done + k]) {
          same = done + k;
          break;
        }
      }
    }
    done += n;
  }
  return same;
}

}  // namespace facteur::scenario
