// Chunked request bodies (RFC 9112 §7.1): whatever the cut of the data into chunks, the coding
// decodes to the data; no empty chunk before the last; a malformed coding is refused.
#include <gtest/gtest.h>

#include "harness/http/chunked.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::http {
namespace {

std::string encode(const std::vector<std::string_view>& chunks) {
  std::string out;
  for (auto c : chunks) out += encode_chunk(c);
  out += kLastChunk;
  return out;
}

TEST(Chunked, OneChunk) {
  EXPECT_EQ(encode_chunk("hello"), "5\r\nhello\r\n");
  EXPECT_EQ(encode_chunk(std::string(255, 'x')).substr(0, 4), "FF\r\n");
  EXPECT_EQ(encode_chunk(""), "");  // an empty chunk would end the body
  EXPECT_EQ(encode({}), "0\r\n\r\n");
}

TEST(Chunked, EveryCutDecodesToTheData) {
  const std::string data = "name=Zo%C3%AB&message=0\r\n\r\n&x=" + std::string(40, 'y');
  for (const auto& chunks : test::every_chunking(data)) {
    const std::string wire = encode(chunks);
    const auto back = decode_chunked(wire);
    ASSERT_TRUE(back) << wire;
    EXPECT_EQ(*back, data);
  }
}

TEST(Chunked, MalformedRefused) {
  EXPECT_FALSE(decode_chunked("5\r\nhell\r\n0\r\n\r\n"));
  EXPECT_FALSE(decode_chunked("g\r\nx\r\n0\r\n\r\n"));
  EXPECT_FALSE(decode_chunked("1\r\nx\r\n"));
  EXPECT_FALSE(decode_chunked("0\r\n\r\nextra"));
  EXPECT_FALSE(decode_chunked("\r\n"));
}

}  // namespace
}  // namespace facteur::http
