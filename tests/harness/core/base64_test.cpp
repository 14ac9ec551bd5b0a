// Base64 codec: RFC 4648 §10 test vectors both ways, and strict rejection of malformed input.
#include <gtest/gtest.h>

#include "harness/core/base64.hpp"

namespace facteur {
namespace {

struct Vector {
  std::string_view raw;
  std::string_view encoded;
};

// RFC 4648 §10.
constexpr Vector rfc4648_vectors[] = {
    {"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
};

TEST(Base64, EncodesRfc4648Vectors) {
  for (const auto& v : rfc4648_vectors) EXPECT_EQ(base64_encode(v.raw), v.encoded) << v.raw;
}

TEST(Base64, DecodesRfc4648Vectors) {
  for (const auto& v : rfc4648_vectors) {
    EXPECT_EQ(base64_decode(v.encoded), std::optional<std::string>(v.raw)) << v.encoded;
  }
}

TEST(Base64, EmptyDecodesToEmpty) { EXPECT_EQ(base64_decode(""), std::optional<std::string>("")); }

TEST(Base64, AllByteValuesRoundTrip) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string encoded = base64_encode(all);
  EXPECT_EQ(encoded.size(), 344u);
  EXPECT_EQ(encoded.substr(0, 8), "AAECAwQF");
  EXPECT_EQ(encoded.substr(encoded.size() - 8), "/P3+/w==");
  EXPECT_EQ(base64_decode(encoded), std::optional<std::string>(all));
}

TEST(Base64, UsesPlusAndSlash) {
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64_decode("+/8="), std::optional<std::string>("\xfb\xff"));
}

TEST(Base64, RejectsInvalidInput) {
  const std::string_view invalid[] = {
      "Zg",         // missing padding (RFC 4648 §3.2)
      "Zg=",        // incomplete padding
      "Zm9vY",      // length not a multiple of four
      "Zg==Zg==",   // padding in the middle
      "Z===",       // three pad characters
      "====",       // padding only
      "Zm=v",       // '=' inside a quantum
      "Zm9v\n",     // line break (RFC 4648 §3.3: reject non-alphabet characters)
      "Zm 9",       // space
      "Zm9-",       // base64url alphabet is not base64
      "Zm9_",
      "Zh==",       // non-zero pad bits (RFC 4648 §3.5): 'h' leaves low bits set
      "Zm9=",       // non-zero pad bits with one '='
      std::string_view("Zg=\0", 4),
      "\xc3\xa9\xc3\xa9",
  };
  for (const auto text : invalid) EXPECT_EQ(base64_decode(text), std::nullopt) << text;
}

}  // namespace
}  // namespace facteur
