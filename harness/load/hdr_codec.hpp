// The HdrHistogram V2 exchange format, as written by the Java, C and JS implementations, and its
// zlib-compressed and base64 forms (the last is what interval logs carry, hdr_interval_log.hpp).
//
// V2 encoding, all integers big-endian:
//   int32  cookie            0x1c849303 | 0x10 (the 0x10 marks the ZigZag LEB128 word format)
//   int32  payload length    bytes after this 40-byte header
//   int32  normalizing index offset   (0 for an integer histogram)
//   int32  significant digits
//   int64  lowest discernible value
//   int64  highest trackable value
//   double integer-to-double conversion ratio  (1.0 for an integer histogram)
//   payload: the counts from index 0 up to the slot of the largest sample, each as a ZigZag LEB128
//   varint (at most 9 bytes, the 9th holding 8 bits); a run of n ≥ 2 zero counts is written as -n.
// Compressed form: int32 cookie 0x1c849304 | 0x10, int32 length, then the V2 encoding deflated
// as a zlib stream (RFC 1950).
//
// Decoders never throw on input and allocate at most what the limits allow. The normalizing
// index offset and the conversion ratio are read but not applied: they only matter to floating-
// point (DoubleHistogram) logs, and hdr-histogram-js writes placeholders there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {

inline constexpr std::uint32_t hdr_v2_cookie_base = 0x1c849303;
inline constexpr std::uint32_t hdr_v2_compressed_cookie_base = 0x1c849304;
inline constexpr std::uint32_t hdr_v2_cookie = hdr_v2_cookie_base | 0x10;
inline constexpr std::uint32_t hdr_v2_compressed_cookie = hdr_v2_compressed_cookie_base | 0x10;

struct HdrDecodeLimits {
  std::size_t max_counts = std::size_t{1} << 23;         // slots of the histogram to allocate (64 MiB)
  std::size_t max_inflated = std::size_t{128} << 20;     // bytes of a decompressed encoding
};

// V2 encoding of `histogram` (bytes in a std::string).
std::string encode_hdr(const HdrHistogram& histogram);
// Compressed form; `level` is zlib's (-1 = its default, as the Java and JS writers use).
std::string encode_hdr_compressed(const HdrHistogram& histogram, int level = -1);
// Base64 (RFC 4648 §4, padded) of the compressed form: an interval log's histogram column.
std::string encode_hdr_base64(const HdrHistogram& histogram);

// Decoders: nullopt with a reason in `error` (when given) for a wrong cookie, a truncated or
// over-long buffer, a header the histogram cannot be built from, counts past its last slot or a
// total that overflows, a zlib error, invalid base64, or a limit exceeded.
std::optional<HdrHistogram> decode_hdr(std::string_view bytes, std::string* error = nullptr,
                                       const HdrDecodeLimits& limits = {});
std::optional<HdrHistogram> decode_hdr_compressed(std::string_view bytes, std::string* error = nullptr,
                                                  const HdrDecodeLimits& limits = {});
std::optional<HdrHistogram> decode_hdr_base64(std::string_view text, std::string* error = nullptr,
                                              const HdrDecodeLimits& limits = {});

}  // namespace facteur::load
