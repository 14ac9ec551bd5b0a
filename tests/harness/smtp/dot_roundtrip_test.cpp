// Property: dot_unstuff(dot_stuff(m)) == normalise(m), with the terminator consumed exactly, for
// every short message over a hostile alphabet and for many generated longer ones.
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/dot_stuffing.hpp"
#include "tests/harness/smtp/dot_test_support.hpp"

namespace facteur::smtp {
namespace {

void expect_round_trip(std::string_view m, std::size_t chunk) {
  const std::string wire = dot_stuff(m);
  const std::string trailer = "QUIT\r\n";  // the next command must be left alone
  const std::string stream = wire + trailer;
  DotUnstuffer u;
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
  for (std::size_t i = 0; i < stream.size() && !done; i += chunk) {
    const auto step = u.feed(std::string_view(stream).substr(i, chunk), body);
    consumed += step.consumed;
    done = step.done;
  }
  ASSERT_TRUE(done) << testing::PrintToString(m);
  EXPECT_EQ(consumed, wire.size()) << testing::PrintToString(m);
  EXPECT_EQ(body, test::normalise(m)) << testing::PrintToString(m);
}

TEST(DotRoundTrip, ExhaustiveShortMessages) {
  for (const auto& m : test::all_strings(".x\r\n", 8)) {
    expect_round_trip(m, m.size() + 16);
    if (testing::Test::HasFatalFailure()) return;
  }
}

TEST(DotRoundTrip, GeneratedMessagesInEveryChunkSize) {
  test::Rng rng(2024);
  for (int i = 0; i < 300; ++i) {
    const std::string m = test::random_message(rng, rng.below(60));
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                              std::size_t{64}, m.size() + 20}) {
      expect_round_trip(m, chunk);
    }
    if (testing::Test::HasFatalFailure()) return;
  }
}

TEST(DotRoundTrip, NamedCases) {
  for (std::string_view m : {"", ".", "..", ".x", "\r\n", "\r\n\r\n", "no final crlf", "bare\nlf\n",
                             "bare\rcr", ".\r\n.\r\n", "a\r\n.\r\nb", "...\r\n..\r\n.\r\n"}) {
    expect_round_trip(m, 1);
    expect_round_trip(m, 1000);
  }
}

TEST(DotRoundTrip, NormaliseModel) {
  // The model itself, pinned: CRLF everywhere, a final CRLF for a non-empty message.
  EXPECT_EQ(test::normalise(""), "");
  EXPECT_EQ(test::normalise("a"), "a\r\n");
  EXPECT_EQ(test::normalise("a\nb\r\rc\r\n"), "a\r\nb\r\n\r\nc\r\n");
}

}  // namespace
}  // namespace facteur::smtp
