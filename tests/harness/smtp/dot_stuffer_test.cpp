// dot_stuff and DotStuffer (RFC 5321 §4.5.2 transparency, §2.3.8 CRLF line endings).
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/dot_stuffing.hpp"
#include "tests/harness/smtp/dot_test_support.hpp"

namespace facteur::smtp {
namespace {

TEST(DotStuff, EmptyMessageIsJustTheEndMarker) { EXPECT_EQ(dot_stuff(""), ".\r\n"); }

TEST(DotStuff, AddsTheMissingFinalCrlf) {
  EXPECT_EQ(dot_stuff("Subject: x"), "Subject: x\r\n.\r\n");
  EXPECT_EQ(dot_stuff("Subject: x\r\n"), "Subject: x\r\n.\r\n");
  EXPECT_EQ(dot_stuff("\r\n"), "\r\n.\r\n");
}

TEST(DotStuff, DoublesLeadingDots) {
  EXPECT_EQ(dot_stuff(".\r\n"), "..\r\n.\r\n");
  EXPECT_EQ(dot_stuff("."), "..\r\n.\r\n");
  EXPECT_EQ(dot_stuff("..\r\n"), "...\r\n.\r\n");
  EXPECT_EQ(dot_stuff(".x\r\n"), "..x\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r\n.\r\nb\r\n"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r\n..hidden\r\n"), "a\r\n...hidden\r\n.\r\n");
}

TEST(DotStuff, LeavesOtherDotsAlone) {
  EXPECT_EQ(dot_stuff("a.b\r\n x.\r\n"), "a.b\r\n x.\r\n.\r\n");
  EXPECT_EQ(dot_stuff(" .\r\n"), " .\r\n.\r\n");
}

TEST(DotStuff, NormalisesBareLineEndings) {
  EXPECT_EQ(dot_stuff("a\nb\n"), "a\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\rb"), "a\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\r\r\nb"), "a\r\n\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\n\rb"), "a\r\n\r\nb\r\n.\r\n");
  EXPECT_EQ(dot_stuff("\n\n"), "\r\n\r\n.\r\n");
  EXPECT_EQ(dot_stuff("a\n.\n"), "a\r\n..\r\n.\r\n");  // the dot after a bare LF is at a line start
  EXPECT_EQ(dot_stuff("a\r.\r"), "a\r\n..\r\n.\r\n");
}

TEST(DotStuff, KeepsBinaryOctets) {
  const std::string m("a\0b\xFF\r\n", 6);
  EXPECT_EQ(dot_stuff(m), std::string("a\0b\xFF\r\n.\r\n", 9));
}

TEST(DotStuff, MatchesTheLineByLineModelExhaustively) {
  for (const auto& m : test::all_strings(".a\r\n", 7)) {
    ASSERT_EQ(dot_stuff(m), test::reference_stuff(m)) << testing::PrintToString(m);
  }
}

std::string stuff_in_chunks(std::string_view m, std::size_t chunk) {
  DotStuffer s;
  std::string out;
  for (std::size_t i = 0; i < m.size(); i += chunk) s.feed(m.substr(i, chunk), out);
  s.finish(out);
  return out;
}

TEST(DotStuffer, EveryChunkSizeGivesTheSameBytes) {
  test::Rng rng(7);
  std::vector<std::string> messages = {"",          ".",     "a\r\n.\r\n", "a\r",  "\r\n.",
                                       "..\r\r\n.", "\r\n\r", ".\r\n.\r\n"};
  for (int i = 0; i < 60; ++i) messages.push_back(test::random_message(rng, 1 + rng.below(40)));
  for (const auto& m : messages) {
    const std::string whole = dot_stuff(m);
    for (std::size_t chunk = 1; chunk <= m.size() + 1; ++chunk) {
      ASSERT_EQ(stuff_in_chunks(m, chunk), whole) << "chunk " << chunk << " of " << testing::PrintToString(m);
    }
  }
}

TEST(DotStuffer, EverySplitPointGivesTheSameBytes) {
  for (const auto& m : test::all_strings(".a\r\n", 6)) {
    const std::string whole = dot_stuff(m);
    for (std::size_t k = 0; k <= m.size(); ++k) {
      DotStuffer s;
      std::string out;
      s.feed(std::string_view(m).substr(0, k), out);
      s.feed("", out);  // empty chunks are harmless anywhere
      s.feed(std::string_view(m).substr(k), out);
      s.finish(out);
      ASSERT_EQ(out, whole) << "split " << k << " of " << testing::PrintToString(m);
    }
  }
}

TEST(DotStuffer, CrAndLfInDifferentChunks) {
  DotStuffer s;
  std::string out;
  s.feed("a\r", out);
  EXPECT_EQ(out, "a\r\n");  // written at once; a following LF will be swallowed
  s.feed("\n.b", out);
  s.finish(out);
  EXPECT_EQ(out, "a\r\n..b\r\n.\r\n");
}

TEST(DotStuffer, FinishResetsForTheNextMessage) {
  DotStuffer s;
  std::string first;
  s.feed("x\r", first);
  s.finish(first);
  std::string second;
  s.feed("\n.y", second);  // a new message: this LF is a line of its own
  s.finish(second);
  EXPECT_EQ(first, "x\r\n.\r\n");
  EXPECT_EQ(second, "\r\n..y\r\n.\r\n");
}

TEST(DotStuffer, AppendsToWhatOutHolds) {
  DotStuffer s;
  std::string out = "DATA\r\n";
  s.feed(".", out);
  s.finish(out);
  EXPECT_EQ(out, "DATA\r\n..\r\n.\r\n");
}

}  // namespace
}  // namespace facteur::smtp
