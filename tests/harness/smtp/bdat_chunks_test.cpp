// bdat_chunk_count (RFC 3030 §2): ceil(size / chunk), and one "BDAT 0 LAST" for an empty message.
#include <gtest/gtest.h>

#include <cstdint>

#include "harness/smtp/dot_stuffing.hpp"

namespace facteur::smtp {
namespace {

TEST(BdatChunks, CeilingOfSizeOverChunk) {
  EXPECT_EQ(bdat_chunk_count(1, 1000), 1u);
  EXPECT_EQ(bdat_chunk_count(999, 1000), 1u);
  EXPECT_EQ(bdat_chunk_count(1000, 1000), 1u);
  EXPECT_EQ(bdat_chunk_count(1001, 1000), 2u);
  EXPECT_EQ(bdat_chunk_count(10, 3), 4u);
  EXPECT_EQ(bdat_chunk_count(1 << 20, 64 * 1024), 16u);
}

TEST(BdatChunks, EmptyMessageNeedsOneZeroChunk) {
  EXPECT_EQ(bdat_chunk_count(0, 1000), 1u);  // "BDAT 0 LAST"
  EXPECT_EQ(bdat_chunk_count(0, 1), 1u);
}

TEST(BdatChunks, ZeroChunkSizeCannotSplit) { EXPECT_EQ(bdat_chunk_count(10, 0), 0u); }

TEST(BdatChunks, NoOverflowAtTheTop) {
  constexpr auto max = SIZE_MAX;
  EXPECT_EQ(bdat_chunk_count(max, 1), max);
  EXPECT_EQ(bdat_chunk_count(max, max), 1u);
  EXPECT_EQ(bdat_chunk_count(max, max - 1), 2u);
  EXPECT_EQ(bdat_chunk_count(max, 2), max / 2 + 1);
}

}  // namespace
}  // namespace facteur::smtp
