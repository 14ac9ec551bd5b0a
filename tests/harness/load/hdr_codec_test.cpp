// The V2 encoding, its compressed and base64 forms: byte layout, exact round trips, an encoding
// made by another implementation (hdr-histogram-js), and every rejection.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "harness/load/hdr_codec.hpp"

namespace facteur::load {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += digits[static_cast<unsigned char>(c) >> 4];
    out += digits[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

std::string payload_of(const HdrHistogram& h) { return encode_hdr(h).substr(40); }

HdrHistogram random_histogram(std::uint64_t seed, const HdrConfig& config) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 22.0);
  std::uniform_int_distribution<std::uint64_t> count(1, 1'000'000);
  HdrHistogram h(config);
  for (int i = 0; i < 5'000; ++i) h.record(static_cast<std::uint64_t>(std::exp(exponent(rng))), count(rng));
  return h;
}

TEST(HdrCodec, HeaderLayout) {
  HdrHistogram h(HdrConfig{1, 3'600'000'000, 3});
  h.record(1);
  const std::string bytes = encode_hdr(h);
  ASSERT_EQ(bytes.size(), 42u);
  EXPECT_EQ(hex(bytes.substr(0, 4)), "1c849313");           // V2 cookie | 0x10
  EXPECT_EQ(hex(bytes.substr(4, 4)), "00000002");           // payload length
  EXPECT_EQ(hex(bytes.substr(8, 4)), "00000000");           // normalizing index offset
  EXPECT_EQ(hex(bytes.substr(12, 4)), "00000003");          // significant digits
  EXPECT_EQ(hex(bytes.substr(16, 8)), "0000000000000001");  // lowest
  EXPECT_EQ(hex(bytes.substr(24, 8)), "00000000d693a400");  // highest: 3.6e9
  EXPECT_EQ(hex(bytes.substr(32, 8)), "3ff0000000000000");  // 1.0
  EXPECT_EQ(hex(bytes.substr(40)), "0002");                 // a single zero, then ZigZag(1)
}

TEST(HdrCodec, PayloadIsZigZagCountsWithZeroRuns) {
  HdrHistogram empty;
  EXPECT_EQ(hex(payload_of(empty)), "00");  // one zero count: slot 0 up to the (zero) max

  HdrHistogram h;
  h.record(3);
  EXPECT_EQ(hex(payload_of(h)), "0502");  // three zeros as ZigZag(-3) = 5, then 1

  h.record(3, 63);  // 64 → ZigZag 128: two bytes
  EXPECT_EQ(hex(payload_of(h)), "058001");

  HdrHistogram big;
  big.record(0, std::uint64_t{1} << 62);  // ZigZag 2^63: nine bytes, the last holding 8 bits
  EXPECT_EQ(hex(payload_of(big)), "808080808080808080");
  HdrHistogram max;
  max.record(0, INT64_MAX);  // ZigZag 2^64 - 2
  EXPECT_EQ(hex(payload_of(max)), "feffffffffffffffff");
  EXPECT_EQ(decode_hdr(encode_hdr(max)), max);
}

TEST(HdrCodec, RoundTripsExactly) {
  for (const HdrConfig config : {HdrConfig{}, HdrConfig{1, 60'000'000, 1}, HdrConfig{1, 60'000'000, 5},
                                 HdrConfig{1024, std::uint64_t{1} << 40, 3}, HdrConfig{1, std::uint64_t{1} << 62, 2}}) {
    const HdrHistogram h = random_histogram(static_cast<std::uint64_t>(config.significant_digits), config);
    std::string error;
    const std::optional<HdrHistogram> plain = decode_hdr(encode_hdr(h), &error);
    ASSERT_TRUE(plain) << error;
    EXPECT_EQ(*plain, h);
    EXPECT_EQ(plain->config(), config);
    EXPECT_EQ(plain->total_count(), h.total_count());
    EXPECT_EQ(plain->min(), h.min());
    EXPECT_EQ(plain->max(), h.max());
    EXPECT_EQ(plain->value_at_percentile(99.9), h.value_at_percentile(99.9));

    EXPECT_EQ(decode_hdr_compressed(encode_hdr_compressed(h), &error), h) << error;
    EXPECT_EQ(decode_hdr_compressed(encode_hdr_compressed(h, 9), &error), h) << error;
    EXPECT_EQ(decode_hdr_base64(encode_hdr_base64(h), &error), h) << error;
  }
  const HdrHistogram empty;
  EXPECT_EQ(decode_hdr_base64(encode_hdr_base64(empty)), empty);
}

TEST(HdrCodec, CompressedFormAndBase64Prefix) {
  HdrHistogram h;
  h.record(42);
  const std::string compressed = encode_hdr_compressed(h);
  EXPECT_EQ(hex(compressed.substr(0, 4)), "1c849314");
  EXPECT_EQ(static_cast<std::size_t>(static_cast<unsigned char>(compressed[7])), compressed.size() - 8);
  EXPECT_EQ(hex(compressed.substr(8, 1)), "78");  // a zlib (RFC 1950) stream
  EXPECT_EQ(encode_hdr_base64(h).substr(0, 5), "HISTF");
}

// Written by hdr-histogram-js 3.0.1 (values 1, 2, 1000, 1500, 100000 ×5, 3000000 at 1 µs .. 1 h,
// 3 digits). It puts 1 in the normalizing-offset field and an integer 1 where the ratio double
// goes: neither is applied, so it decodes to the same counts.
TEST(HdrCodec, DecodesAnEncodingFromHdrHistogramJs) {
  constexpr std::string_view js = "HISTFAAAADJ4nJNpmSzMwMDAz8DAwMjAwMDMAAEgNsO1yUsY4HwmppP8TE/ZmX4mcO30YwIAmtsHoQ==";
  std::string error;
  const std::optional<HdrHistogram> h = decode_hdr_base64(js, &error);
  ASSERT_TRUE(h) << error;
  HdrHistogram expected;
  for (std::uint64_t v : {1u, 2u, 1000u, 1500u, 3'000'000u}) expected.record(v);
  expected.record(100'000, 5);
  EXPECT_EQ(*h, expected);
  EXPECT_EQ(h->total_count(), 10u);
  EXPECT_EQ(h->value_at_percentile(50), 100'031u);  // what hdr-histogram-js reports
  EXPECT_DOUBLE_EQ(h->mean(), expected.mean());
}

TEST(HdrCodec, AcceptsTheCookieWithoutTheWordSizeBitsAndIgnoresTrailingBytes) {
  HdrHistogram h;
  h.record(77, 3);
  std::string bytes = encode_hdr(h);
  bytes[3] = '\x03';  // 0x1c849303
  bytes += "trailing";
  EXPECT_EQ(decode_hdr(bytes), h);
}

struct Rejection {
  std::string bytes;
  std::string reason;
};

std::string header(std::uint32_t payload_length, std::int32_t digits, std::uint64_t lowest, std::uint64_t highest) {
  std::string out;
  auto put = [&](std::uint64_t v, int n) {
    for (int s = (n - 1) * 8; s >= 0; s -= 8) out += static_cast<char>(v >> s & 0xFF);
  };
  put(hdr_v2_cookie, 4);
  put(payload_length, 4);
  put(0, 4);
  put(static_cast<std::uint32_t>(digits), 4);
  put(lowest, 8);
  put(highest, 8);
  put(0x3ff0000000000000, 8);
  return out;
}

TEST(HdrCodec, RejectsMalformedEncodings) {
  const std::string max_count("\xfe\xff\xff\xff\xff\xff\xff\xff\xff", 9);  // ZigZag LEB128 of 2^63 - 1
  const std::string good = encode_hdr(HdrHistogram{});
  std::string bad_cookie = good;
  bad_cookie[0] = '\x1d';
  const Rejection cases[] = {
      {good.substr(0, 39), "encoding shorter than its 40-byte header"},
      {bad_cookie, "not a V2 histogram encoding (cookie 0x1d849313)"},
      {header(5, 3, 1, 1000) + "\x02", "payload length 5 but 1 bytes follow the header"},
      {header(0x80000000, 3, 1, 1000), "payload length -2147483648 but 0 bytes follow the header"},
      {header(1, 0, 1, 1000) + "\x02", "header: significant digits must be within 1..5"},
      {header(1, 3, 0, 1000) + "\x02", "header: lowest and highest values must be positive"},
      {header(1, 3, 600, 1000) + "\x02",
       "header: highest trackable value must be at least twice the lowest discernible value"},
      {header(1, 3, 1, UINT64_MAX) + "\x02", "header: lowest and highest values must be positive"},
      {header(2, 3, 1, 1000) + "\x80\x80", "payload ends inside a count"},
      // 1000 at 3 digits: 2048 slots; a run of 2048 zeros then a count is one past the end.
      {header(3, 3, 1, 1000) + "\xff\x1f\x02", "count past the histogram's last slot"},
      {header(2, 3, 1, 1000) + "\x81\x20", "zero run past the histogram's last slot"},
      {header(8, 3, 1, 1000) + std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8),
       "payload ends inside a count"},
      // Three counts of 2^63 - 1 (nine bytes each) add up past 2^64.
      {header(27, 3, 1, 1000) + max_count + max_count + max_count, "total count overflows"},
  };
  for (const Rejection& c : cases) {
    std::string error;
    EXPECT_FALSE(decode_hdr(c.bytes, &error)) << c.reason;
    EXPECT_EQ(error, c.reason);
  }
}

TEST(HdrCodec, RespectsTheSlotLimit) {
  const std::string bytes = encode_hdr(HdrHistogram(HdrConfig{1, std::uint64_t{1} << 62, 5}));
  std::string error;
  EXPECT_FALSE(decode_hdr(bytes, &error, HdrDecodeLimits{1'000'000, 1 << 20}));
  EXPECT_EQ(error, "header asks for 6160384 slots, above the limit of 1000000");
  EXPECT_TRUE(decode_hdr(bytes, &error));
}

TEST(HdrCodec, RejectsMalformedCompressedForms) {
  HdrHistogram h;
  h.record(5);
  const std::string good = encode_hdr_compressed(h);
  std::string error;

  EXPECT_FALSE(decode_hdr_compressed(good.substr(0, 7), &error));
  EXPECT_EQ(error, "compressed encoding shorter than its 8-byte header");

  EXPECT_FALSE(decode_hdr_compressed(encode_hdr(h), &error));  // the uncompressed form
  EXPECT_EQ(error, "not a V2 compressed histogram encoding (cookie 0x1c849313)");

  EXPECT_FALSE(decode_hdr_compressed(good.substr(0, good.size() - 1), &error));
  EXPECT_EQ(error.rfind("compressed length", 0), 0u) << error;

  std::string short_length = good;  // claims fewer bytes than the stream has: it ends early
  short_length[7] = static_cast<char>(short_length[7] - 4);
  EXPECT_FALSE(decode_hdr_compressed(short_length, &error));
  EXPECT_EQ(error.rfind("zlib: ", 0), 0u) << error;

  std::string corrupt = good;
  corrupt[10] = static_cast<char>(corrupt[10] ^ 0x55);
  EXPECT_FALSE(decode_hdr_compressed(corrupt, &error));
  EXPECT_EQ(error.rfind("zlib: ", 0), 0u) << error;

  EXPECT_FALSE(decode_hdr_compressed(good, &error, HdrDecodeLimits{1 << 23, 16}));
  EXPECT_EQ(error, "inflated encoding exceeds 16 bytes");
}

TEST(HdrCodec, RejectsInvalidBase64) {
  HdrHistogram h;
  h.record(5);
  const std::string good = encode_hdr_base64(h);
  std::string error;
  for (const std::string& text : {good.substr(1), good.substr(0, 8) + "*" + good.substr(9),
                                  std::string("HIST=FAA"), good + "\n"}) {
    EXPECT_FALSE(decode_hdr_base64(text, &error)) << text;
    EXPECT_EQ(error, "histogram is not valid base64");
  }
  EXPECT_FALSE(decode_hdr_base64("", &error));
  EXPECT_EQ(error, "compressed encoding shorter than its 8-byte header");
}

}  // namespace
}  // namespace facteur::load
