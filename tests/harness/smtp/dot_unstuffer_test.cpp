// DotUnstuffer (RFC 5321 §4.5.2 receiver side, RFC 1939 §3): incremental, never past the marker.
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/dot_stuffing.hpp"
#include "tests/harness/smtp/dot_test_support.hpp"

namespace facteur::smtp {
namespace {

struct Decoded {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
};

Decoded unstuff_whole(std::string_view wire) {
  DotUnstuffer u;
  Decoded d;
  const auto step = u.feed(wire, d.body);
  d.consumed = step.consumed;
  d.done = step.done;
  return d;
}

// Feeds `wire` in pieces cut at `cuts` and checks the accounting at every step.
Decoded unstuff_pieces(std::string_view wire, const std::vector<std::size_t>& cuts) {
  DotUnstuffer u;
  Decoded d;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : wire.size();
    const auto piece = wire.substr(from, to - from);
    const auto step = u.feed(piece, d.body);
    EXPECT_LE(step.consumed, piece.size());
    if (d.done) {
      EXPECT_EQ(step.consumed, 0u);  // nothing after the marker is taken
    }
    if (!step.done) {
      EXPECT_EQ(step.consumed, piece.size());  // short only when stopping at the marker
    }
    d.consumed += step.consumed;
    d.done = d.done || step.done;
    from = to;
  }
  return d;
}

// STYLE.md: the same answer for the input split at every byte, and fed one byte at a time.
Decoded unstuff_every_split(std::string_view wire) {
  const Decoded whole = unstuff_whole(wire);
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const Decoded two = unstuff_pieces(wire, {k});
    EXPECT_EQ(two.body, whole.body) << "split at " << k;
    EXPECT_EQ(two.consumed, whole.consumed) << "split at " << k;
    EXPECT_EQ(two.done, whole.done) << "split at " << k;
  }
  std::vector<std::size_t> every;
  for (std::size_t k = 1; k < wire.size(); ++k) every.push_back(k);
  const Decoded bytes = unstuff_pieces(wire, every);
  EXPECT_EQ(bytes.body, whole.body);
  EXPECT_EQ(bytes.consumed, whole.consumed);
  return whole;
}

TEST(DotUnstuffer, EmptyBodyIsJustTheMarker) {
  const Decoded d = unstuff_every_split(".\r\n");
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.consumed, 3u);
  EXPECT_EQ(d.body, "");
}

TEST(DotUnstuffer, KeepsTheLastLinesCrlf) {
  const Decoded d = unstuff_every_split("Subject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.consumed, 23u);
  EXPECT_EQ(d.body, "Subject: x\r\n\r\nbody\r\n");
}

TEST(DotUnstuffer, RemovesOneLeadingDot) {
  EXPECT_EQ(unstuff_every_split("..\r\n.\r\n").body, ".\r\n");
  EXPECT_EQ(unstuff_every_split("...\r\n.\r\n").body, "..\r\n");
  EXPECT_EQ(unstuff_every_split("..x\r\n.\r\n").body, ".x\r\n");
  // RFC 5321 §4.5.2: "the first character is deleted" even when the sender did not double it.
  EXPECT_EQ(unstuff_every_split(".x\r\n.\r\n").body, "x\r\n");
  EXPECT_EQ(unstuff_every_split("a\r\n..\r\nb\r\n.\r\n").body, "a\r\n.\r\nb\r\n");
}

TEST(DotUnstuffer, DotsInsideLinesStay) {
  EXPECT_EQ(unstuff_every_split("a.b\r\n x.\r\n.\r\n").body, "a.b\r\n x.\r\n");
}

TEST(DotUnstuffer, DotCrWithoutLfIsData) {
  EXPECT_EQ(unstuff_every_split(".\rx\r\n.\r\n").body, "\rx\r\n");
  EXPECT_EQ(unstuff_every_split(".\r\r\n.\r\n").body, "\r\r\n");
  EXPECT_EQ(unstuff_every_split(".\r.\r\n.\r\n").body, "\r.\r\n");
}

TEST(DotUnstuffer, BareLfIsNotALineEnd) {
  // Only CRLF ends a line (RFC 5321 §2.3.8): "\n.\n" is text, and so is a "." after it.
  const Decoded d = unstuff_every_split("a\n.\n.\r\nb\r\n.\r\n");
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.body, "a\n.\n.\r\nb\r\n");
  const Decoded open = unstuff_every_split("a\n.\r\n");
  EXPECT_FALSE(open.done);
  EXPECT_EQ(open.body, "a\n.\r\n");
}

TEST(DotUnstuffer, StopsAtTheMarker) {
  const std::string wire = "a\r\n.\r\nQUIT\r\n";
  const Decoded d = unstuff_every_split(wire);
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.consumed, 6u);
  EXPECT_EQ(d.body, "a\r\n");
  EXPECT_EQ(unstuff_every_split(".\r\n.\r\n").consumed, 3u);
}

TEST(DotUnstuffer, IncompleteBodyConsumesEverything) {
  for (std::string_view wire : {"", "a", "a\r", "a\r\n", "a\r\n.", "a\r\n.\r", ".", ".\r", "..\r\n"}) {
    const Decoded d = unstuff_every_split(wire);
    EXPECT_FALSE(d.done) << testing::PrintToString(wire);
    EXPECT_EQ(d.consumed, wire.size());
  }
  EXPECT_EQ(unstuff_whole("a\r\n.\r").body, "a\r\n");  // the pending ".\r" is not output yet
}

TEST(DotUnstuffer, MarkerAcrossFeeds) {
  DotUnstuffer u;
  std::string out;
  auto step = u.feed("a\r\n.\r", out);
  EXPECT_EQ(step.consumed, 5u);
  EXPECT_FALSE(step.done);
  step = u.feed("\nRSET\r\n", out);
  EXPECT_EQ(step.consumed, 1u);
  EXPECT_TRUE(step.done);
  step = u.feed("more", out);
  EXPECT_EQ(step.consumed, 0u);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(out, "a\r\n");
}

TEST(DotUnstuffer, ResetStartsANewBody) {
  DotUnstuffer u;
  std::string out;
  ASSERT_TRUE(u.feed(".\r\n", out).done);
  u.reset();
  const auto step = u.feed("..\r\n.\r\n", out);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(step.consumed, 7u);
  EXPECT_EQ(out, ".\r\n");
}

TEST(DotUnstuffer, Pop3MultiLineRetr) {
  // RFC 1939 §3: the same transparency after "+OK" on RETR.
  const Decoded d = unstuff_every_split(
      "Return-Path: <a@lab.test>\r\nSubject: t\r\n\r\n..leading\r\n.\r\n+OK next\r\n");
  EXPECT_EQ(d.body, "Return-Path: <a@lab.test>\r\nSubject: t\r\n\r\n.leading\r\n");
}

}  // namespace
}  // namespace facteur::smtp
