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

// One line of `length` octets and its CRLF, written at `p` (the caller sized the string: appending
// octet by octet cost a capacity check each); returns the end.
char* write_line(char* p, SplitMix64& rng, std::size_t length) {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyz";
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  char previous = '\0';
  for (std::size_t i = 0; i < length; ++i) {
    const std::uint64_t r = rng.next();
    if (i == 0) {
      previous = letters[r % 26];
    } else if (i + 1 < length && previous != ' ' && r % 7 == 0) {
      previous = ' ';  // words, so the text folds and compresses like text
    } else {
      previous = chars[(r >> 8) % 36];
    }
    *p++ = previous;
  }
  *p++ = '\r';
  *p++ = '\n';
  return p;
}

}  // namespace

std::string filler_lines(std::uint64_t seed, std::size_t octets) {
  constexpr std::size_t full = 76 + 2;
  std::string out;
  if (octets < 2) return out;
  out.resize(octets);  // the lines below add up to exactly `octets`
  SplitMix64 rng = stream(seed, Stream::filler);
  std::size_t full_lines = octets / full;
  const std::size_t rest = octets % full;
  if (rest == 1) --full_lines;  // 78 + 1 = 79 octets become lines of 40 and 39
  char* p = out.data();
  for (std::size_t i = 0; i < full_lines; ++i) p = write_line(p, rng, 76);
  if (rest == 1) {
    p = write_line(p, rng, 38);
    p = write_line(p, rng, 37);
  } else if (rest >= 2) {
    p = write_line(p, rng, rest - 2);
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
