#include "harness/scenario/seeded_content.hpp"

namespace facteur::scenario {

SplitMix64 stream(std::uint64_t seed, Stream which, std::uint64_t index) {
  // Mix seed, stream and index through one SplitMix64 step so nearby seeds give unrelated streams.
  SplitMix64 mixer(seed ^ static_cast<std::uint64_t>(which) ^ (index * 0xD1B54A32D192ED03ULL));
  return SplitMix64(mixer.next());
}

std::string attachment_bytes(std::uint64_t seed, std::size_t index, std::size_t size) {
  SplitMix64 rng = stream(seed, Stream::attachment, index);
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t word = rng.next();
    for (std::size_t k = i; k < size && k < i + 8; ++k, word >>= 8) bytes[k] = static_cast<char>(word & 0xFFU);
  }
  return bytes;
}

namespace {

void append_line(std::string& out, SplitMix64& rng, std::size_t length) {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyz";
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t i = 0; i < length; ++i) {
    const std::uint64_t r = rng.next();
    if (i == 0) {
      out.push_back(letters[r % 26]);
    } else if (i + 1 < length && out.back() != ' ' && r % 7 == 0) {
      out.push_back(' ');  // words, so the text folds and compresses like text
    } else {
      out.push_back(chars[(r >> 8) % 36]);
    }
  }
  out += "\r\n";
}

}  // namespace

std::string filler_lines(std::uint64_t seed, std::size_t octets) {
  constexpr std::size_t full = 76 + 2;
  std::string out;
  if (octets < 2) return out;
  out.reserve(octets);
  SplitMix64 rng = stream(seed, Stream::filler);
  std::size_t full_lines = octets / full;
  const std::size_t rest = octets % full;
  if (rest == 1) --full_lines;  // 78 + 1 = 79 octets become lines of 40 and 39
  for (std::size_t i = 0; i < full_lines; ++i) append_line(out, rng, 76);
  if (rest == 1) {
    append_line(out, rng, 38);
    append_line(out, rng, 37);
  } else if (rest >= 2) {
    append_line(out, rng, rest - 2);
  }
  return out;
}

std::string hex16(SplitMix64& rng) {
  static constexpr char hex[] = "0123456789abcdef";
  std::uint64_t bits = rng.next();
  std::string out(16, '0');
  for (std::size_t i = 16; i-- > 0; bits >>= 4) out[i] = hex[bits & 0xFU];
  return out;
}

}  // namespace facteur::scenario
