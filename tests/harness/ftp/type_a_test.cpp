// TYPE A conversion (RFC 959 §3.1.1.1): LF → CRLF and back, a CR at a chunk's end resolved by the
// next chunk, every cut of the data giving the same text, and decode(encode(x)) == x for every
// short string over a hostile alphabet.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "harness/ftp/type_a.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::ftp {
namespace {

std::string encode(std::string_view local) {
  std::string out;
  type_a_encode(local, out);
  return out;
}

std::string decode(const std::vector<std::string_view>& chunks) {
  TypeADecoder decoder;
  std::string out;
  for (const std::string_view chunk : chunks) decoder.feed(chunk, out);
  decoder.finish(out);
  return out;
}

// The decoding of `network`, which every way of cutting it must give too.
std::string decode_everywhere(std::string_view network) {
  const std::string whole = decode({network});
  for (const auto& chunks : test::every_chunking(network)) {
    EXPECT_EQ(decode(chunks), whole) << testing::PrintToString(std::string(network)) << ", " << chunks.size()
                                     << " chunks";
  }
  return whole;
}

TEST(TypeA, Encode) {
  EXPECT_EQ(encode(""), "");
  EXPECT_EQ(encode("no line end"), "no line end");
  EXPECT_EQ(encode("a\nb\n"), "a\r\nb\r\n");
  EXPECT_EQ(encode("\n\n"), "\r\n\r\n");
  EXPECT_EQ(encode("dos\r\n"), "dos\r\r\n");  // a local CR is an octet like any other
  EXPECT_EQ(encode("lone\rcr"), "lone\rcr");
  EXPECT_EQ(encode(std::string("nul\0\n", 5)), std::string("nul\0\r\n", 6));
}

TEST(TypeA, EncodeAppendsAndNeedsNoStateAcrossChunks) {
  std::string out = "kept ";
  type_a_encode("a\n", out);
  type_a_encode("\nb", out);
  EXPECT_EQ(out, "kept a\r\n\r\nb");
}

TEST(TypeA, EncodedSize) {
  // RFC 3659 §4.4: 112 lines of 1830 octets are 1942 in TYPE A.
  std::string text;
  for (int i = 0; i < 112; ++i) text += std::string(i < 38 ? 16 : 15, 'x') + "\n";
  ASSERT_EQ(text.size(), 1830u);
  EXPECT_EQ(type_a_encoded_size(text), 1942u);
  EXPECT_EQ(type_a_encoded_size(text), encode(text).size());
}

TEST(TypeA, Decode) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", ""},
      {"a\r\nb\r\n", "a\nb\n"},
      {"lone\rcr", "lone\rcr"},
      {"lone lf\n", "lone lf\n"},
      {"\r\r\n", "\r\n"},
      {"\r\r\r", "\r\r\r"},
      {"ends in cr\r", "ends in cr\r"},
      {"\n\r", "\n\r"},
  };
  for (const auto& [network, local] : cases) EXPECT_EQ(decode_everywhere(network), local);
}

TEST(TypeA, CrEndingAChunk) {
  TypeADecoder decoder;
  std::string out;
  decoder.feed("line\r", out);
  EXPECT_EQ(out, "line");  // the CR waits
  decoder.feed("", out);
  EXPECT_EQ(out, "line");  // still waiting
  decoder.feed("\nnext\r", out);
  EXPECT_EQ(out, "line\nnext");
  decoder.feed("x", out);
  EXPECT_EQ(out, "line\nnext\rx");
  decoder.feed("\r", out);
  decoder.finish(out);
  EXPECT_EQ(out, "line\nnext\rx\r");
  // finish() leaves it ready for the next transfer.
  decoder.feed("\nfresh", out);
  EXPECT_EQ(out, "line\nnext\rx\r\nfresh");
}

// Every string of up to 8 octets over {a, CR, LF}: decode(encode(x)) == x, cut anywhere, and an
// encoding has no LF without its CR.
TEST(TypeA, RoundTripExhaustive) {
  const std::string alphabet = "a\r\n";
  std::vector<std::string> level = {""};
  for (std::size_t n = 0; n <= 8; ++n) {
    std::vector<std::string> next;
    for (const std::string& x : level) {
      const std::string wire = encode(x);
      EXPECT_EQ(decode({wire}), x) << testing::PrintToString(x);
      for (std::size_t i = 0; i < wire.size(); ++i) {
        if (wire[i] == '\n') {
          EXPECT_TRUE(i > 0 && wire[i - 1] == '\r') << testing::PrintToString(x);
        }
      }
      if (n < 4) decode_everywhere(wire);
      for (const char c : alphabet) next.push_back(x + c);
    }
    if (testing::Test::HasFailure()) return;
    level = std::move(next);
  }
}

}  // namespace
}  // namespace facteur::ftp
