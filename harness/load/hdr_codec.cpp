// HdrHistogram V2 encoding, its zlib-compressed form and base64 (layout in hdr_codec.hpp).
#include "harness/load/hdr_codec.hpp"

#include "harness/core/base64.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace facteur::load {
namespace {

constexpr std::size_t header_size = 40;
constexpr std::size_t compressed_header_size = 8;
constexpr std::size_t max_varint_size = 9;

std::nullopt_t reject(std::string* error, std::string reason) {
  if (error) *error = std::move(reason);
  return std::nullopt;
}

std::string hex32(std::uint32_t value) {
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += "0123456789abcdef"[value >> shift & 0xF];
  return out;
}

// ---- big-endian fields ----

void put_be(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out += static_cast<char>(value >> shift & 0xFF);
}

std::uint64_t get_be(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(bytes); ++i) {
    value = value << 8 | static_cast<unsigned char>(in[at + i]);
  }
  return value;
}

std::uint32_t get_be32(std::string_view in, std::size_t at) {
  return static_cast<std::uint32_t>(get_be(in, at, 4));
}

// ---- ZigZag LEB128, up to 9 bytes: eight 7-bit groups, then one full 8-bit byte ----

void put_varint(std::string& out, std::int64_t signed_value) {
  std::uint64_t value =
      static_cast<std::uint64_t>(signed_value) << 1 ^ static_cast<std::uint64_t>(signed_value >> 63);
  for (int i = 0; i < 8; ++i) {
    if (value < 0x80) {
      out += static_cast<char>(value);
      return;
    }
    out += static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);  // the 9th byte: bits 56..63
}

// Reads one varint at `pos`; false when the input ends inside it.
bool get_varint(std::string_view in, std::size_t& pos, std::int64_t& out) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < max_varint_size; ++i) {
    if (pos >= in.size()) return false;
    const auto byte = static_cast<unsigned char>(in[pos++]);
    if (i == 8) {
      value |= std::uint64_t{byte} << 56;
      break;
    }
    value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
    if ((byte & 0x80) == 0) break;
  }
  out = static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
  return true;
}

// ---- zlib ----

std::optional<std::string> inflate_bounded(std::string_view in, std::size_t limit, std::string* error) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return reject(error, "zlib: inflateInit failed");
  std::string out;
  // zlib's API takes non-const input; it does not write to it.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  std::array<char, 16384> chunk{};
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - stream.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&stream);
      return reject(error, "inflated encoding exceeds " + std::to_string(limit) + " bytes");
    }
    out.append(chunk.data(), produced);
  }
  // Z_BUF_ERROR here means the input ended before the stream did.
  std::string reason = std::string("zlib: ") + (stream.msg ? stream.msg : "truncated or corrupt stream");
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return reject(error, std::move(reason));
  return out;
}

}  // namespace

std::string encode_hdr(const HdrHistogram& histogram) {
  const HdrConfig& config = histogram.config();
  std::string out;
  out.reserve(header_size + 16);
  put_be(out, hdr_v2_cookie, 4);
  put_be(out, 0, 4);  // payload length, filled in below
  put_be(out, 0, 4);  // normalizing index offset
  put_be(out, static_cast<std::uint64_t>(config.significant_digits), 4);
  put_be(out, config.lowest_discernible, 8);
  put_be(out, config.highest_trackable, 8);
  put_be(out, std::bit_cast<std::uint64_t>(1.0), 8);  // integer-to-double conversion ratio

  // Counts up to the largest sample's slot; a run of n ≥ 2 zeros is written as -n. Counts beyond
  // the format's int64 range (2^63 samples in one slot) saturate.
  constexpr std::uint64_t max_count = std::numeric_limits<std::int64_t>::max();
  const auto counts = histogram.counts();
  const std::size_t limit = histogram.max_index() + 1;
  for (std::size_t i = 0; i < limit;) {
    const std::uint64_t count = counts[i++];
    if (count != 0) {
      put_varint(out, static_cast<std::int64_t>(std::min(count, max_count)));
      continue;
    }
    std::int64_t zeros = 1;
    while (i < limit && counts[i] == 0) {
      ++zeros;
      ++i;
    }
    put_varint(out, zeros > 1 ? -zeros : 0);
  }

  std::string length;
  put_be(length, out.size() - header_size, 4);
  out.replace(4, 4, length);
  return out;
}

std::string encode_hdr_compressed(const HdrHistogram& histogram, int level) {
  const std::string raw = encode_hdr(histogram);
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(compressed_header_size + size, '\0');
  // compress2 only fails for a bad level or a short buffer (compressBound rules that out).
  const int status = compress2(reinterpret_cast<Bytef*>(out.data() + compressed_header_size), &size,
                               reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                               std::clamp(level, -1, 9));
  if (status != Z_OK) return {};
  out.resize(compressed_header_size + size);
  std::string header;
  put_be(header, hdr_v2_compressed_cookie, 4);
  put_be(header, size, 4);
  out.replace(0, compressed_header_size, header);
  return out;
}

std::string encode_hdr_base64(const HdrHistogram& histogram) {
  return facteur::base64_encode(encode_hdr_compressed(histogram));
}

std::optional<HdrHistogram> decode_hdr(std::string_view bytes, std::string* error,
                                       const HdrDecodeLimits& limits) {
  if (bytes.size() < header_size) return reject(error, "encoding shorter than its 40-byte header");
  const std::uint32_t cookie = get_be32(bytes, 0);
  if ((cookie & ~0xF0u) != hdr_v2_cookie_base) {
    return reject(error, "not a V2 histogram encoding (cookie " + hex32(cookie) + ")");
  }
  const auto payload_length = static_cast<std::int32_t>(get_be32(bytes, 4));
  // Bytes 8..11 (normalizing index offset) and 32..39 (conversion ratio) are not applied.
  const auto digits = static_cast<std::int32_t>(get_be32(bytes, 12));
  const auto lowest = static_cast<std::int64_t>(get_be(bytes, 16, 8));
  const auto highest = static_cast<std::int64_t>(get_be(bytes, 24, 8));
  if (payload_length < 0 || static_cast<std::size_t>(payload_length) > bytes.size() - header_size) {
    return reject(error, "payload length " + std::to_string(payload_length) + " but " +
                    std::to_string(bytes.size() - header_size) + " bytes follow the header");
  }
  if (lowest < 1 || highest < 1) {
    return reject(error, "header: lowest and highest values must be positive");
  }
  const HdrConfig config{static_cast<std::uint64_t>(lowest), static_cast<std::uint64_t>(highest), digits};
  if (std::string why; !HdrHistogram::is_valid(config, &why)) {
    return reject(error, "header: " + why);
  }
  const std::size_t slots = HdrHistogram::slot_count(config);
  if (slots > limits.max_counts) {
    return reject(error, "header asks for " + std::to_string(slots) + " slots, above the limit of " +
                    std::to_string(limits.max_counts));
  }

  HdrHistogram histogram(config);
  const std::string_view payload = bytes.substr(header_size, static_cast<std::size_t>(payload_length));
  std::size_t pos = 0;
  std::size_t index = 0;
  while (pos < payload.size()) {
    std::int64_t word = 0;
    if (!get_varint(payload, pos, word)) {
      return reject(error, "payload ends inside a count");
    }
    if (word < 0) {
      // A run of -word zero counts (-(word + 1) + 1 avoids overflow at INT64_MIN).
      const std::uint64_t zeros = static_cast<std::uint64_t>(-(word + 1)) + 1;
      if (zeros > slots - index) {
        return reject(error, "zero run past the histogram's last slot");
      }
      index += static_cast<std::size_t>(zeros);
      continue;
    }
    if (index >= slots) {
      return reject(error, "count past the histogram's last slot");
    }
    const auto count = static_cast<std::uint64_t>(word);
    if (count > std::numeric_limits<std::uint64_t>::max() - histogram.total_count()) {
      return reject(error, "total count overflows");
    }
    histogram.add_at_index(index++, count);
  }
  return histogram;
}

std::optional<HdrHistogram> decode_hdr_compressed(std::string_view bytes, std::string* error,
                                                  const HdrDecodeLimits& limits) {
  if (bytes.size() < compressed_header_size) {
    return reject(error, "compressed encoding shorter than its 8-byte header");
  }
  const std::uint32_t cookie = get_be32(bytes, 0);
  if ((cookie & ~0xF0u) != hdr_v2_compressed_cookie_base) {
    return reject(error, "not a V2 compressed histogram encoding (cookie " + hex32(cookie) + ")");
  }
  const std::uint32_t length = get_be32(bytes, 4);
  if (length > bytes.size() - compressed_header_size) {
    return reject(error, "compressed length " + std::to_string(length) + " but " +
                    std::to_string(bytes.size() - compressed_header_size) + " bytes follow");
  }
  const std::optional<std::string> raw =
      inflate_bounded(bytes.substr(compressed_header_size, length), limits.max_inflated, error);
  if (!raw) return std::nullopt;
  return decode_hdr(*raw, error, limits);
}

std::optional<HdrHistogram> decode_hdr_base64(std::string_view text, std::string* error,
                                              const HdrDecodeLimits& limits) {
  const std::optional<std::string> bytes = facteur::base64_decode(text);
  if (!bytes) {
    return reject(error, "histogram is not valid base64");
  }
  return decode_hdr_compressed(*bytes, error, limits);
}

}  // namespace facteur::load
