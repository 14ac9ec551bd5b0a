// Base64 (RFC 4648 §4) with the standard alphabet and padding. Decoding is strict: any character
// outside the alphabet, wrong padding or non-zero pad bits is rejected, so that a decoded value has
// exactly one encoding (what SASL exchanges and the fuzz round trip rely on).
#include <array>
#include <cstdint>

#include "harness/core/base64.hpp"

namespace facteur {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_reverse() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = invalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> reverse = make_reverse();

std::uint8_t sextet(char c) { return reverse[static_cast<unsigned char>(c)]; }

}  // namespace

std::string base64_encode(std::string_view raw) {
  std::string out((raw.size() + 2) / 3 * 4, '=');
  char* put = out.data();
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(raw[k])); };
  auto emit = [&](std::uint32_t group, int chars) {
    const int shifts[] = {18, 12, 6, 0};
    for (int c = 0; c < chars; ++c) *put++ = alphabet[group >> shifts[c] & 0x3F];
  };
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) emit(byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2), 4);
  // RFC 4648 §4: a final quantum of 8 or 16 bits becomes 2 or 3 characters plus "==" or "=",
  // already in place from the initial fill.
  const std::size_t rest = raw.size() - i;
  if (rest == 1) emit(byte(i) << 16, 2);
  else if (rest == 2) emit(byte(i) << 16 | byte(i + 1) << 8, 3);
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // RFC 4648 §3.2: padded encoding, so the length is a multiple of four.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;

  const std::size_t full_end = padding == 0 ? text.size() : text.size() - 4;
  std::string out(full_end / 4 * 3, '\0');
  char* put = out.data();
  for (std::size_t i = 0; i < full_end; i += 4) {
    const std::uint8_t a = sextet(text[i]), b = sextet(text[i + 1]), c = sextet(text[i + 2]),
                       d = sextet(text[i + 3]);
    // '=' is not in the alphabet, so padding anywhere but the last quantum is rejected here.
    if (a == invalid || b == invalid || c == invalid || d == invalid) return std::nullopt;
    const std::uint32_t group = std::uint32_t{a} << 18 | std::uint32_t{b} << 12 | std::uint32_t{c} << 6 | d;
    *put++ = static_cast<char>(group >> 16 & 0xFF);
    *put++ = static_cast<char>(group >> 8 & 0xFF);
    *put++ = static_cast<char>(group & 0xFF);
  }
  if (padding == 0) return out;

  const std::string_view last = text.substr(full_end);
  const std::uint8_t a = sextet(last[0]), b = sextet(last[1]);
  if (a == invalid || b == invalid) return std::nullopt;
  if (padding == 2) {
    // RFC 4648 §3.5: the pad bits (low 4 of the second sextet) must be zero.
    if ((b & 0x0F) != 0) return std::nullopt;
    out += static_cast<char>(a << 2 | b >> 4);
    return out;
  }
  const std::uint8_t c = sextet(last[2]);
  if (c == invalid || (c & 0x03) != 0) return std::nullopt;
  out += static_cast<char>(a << 2 | b >> 4);
  out += static_cast<char>((b & 0x0F) << 4 | c >> 2);
  return out;
}

}  // namespace facteur
