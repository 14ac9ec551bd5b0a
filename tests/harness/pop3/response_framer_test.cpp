// ResponseFramer fed a growing buffer: the same result as the one-shot parse however the buffer
// grows, a finished framer answering the same again, and a shrinking buffer refused.
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/response.hpp"
#include "tests/harness/pop3/response_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::expect_same_response;
using test::feed_in_steps;

// A message of `size` octets with long and short lines, blank lines and lines needing stuffing.
std::string big_retr(std::size_t size = 1u << 20) {
  std::string wire = "+OK big\r\n";
  static constexpr std::string_view kLines[] = {
      "Received: from client.lab.test (client.lab.test [192.0.2.10]) by mail.lab.test\r\n",
      "..a line that starts with a dot\r\n", "\r\n", "...\r\n", "..\r\n",
      "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\r\n"};
  for (std::size_t i = 0; wire.size() < size; ++i) wire += kLines[i % std::size(kLines)];
  return wire + ".\r\n";
}

TEST(ResponseFramer, BigRetrInAnyStepsEqualsOneShot) {
  for (const std::size_t step : {1u, 2u, 3u, 79u, 4096u, 16384u}) {
    // Octet by octet, a framer that re-scanned would take minutes here; it scans each octet once.
    const std::string wire = big_retr(step < 79 ? 256 * 1024 : 1u << 20);
    const ParseResult one = parse_response(wire, true);
    ASSERT_EQ(one.status, ParseStatus::complete) << one.error;
    EXPECT_EQ(one.consumed, wire.size());
    const ParseResult fed = feed_in_steps(wire, true, step);
    ASSERT_EQ(fed.status, ParseStatus::complete) << "step " << step << ": " << fed.error;
    EXPECT_EQ(fed.consumed, one.consumed);
    expect_same_response(fed.response, one.response);
  }
}

TEST(ResponseFramer, BigRetrCounts) {
  const ParseResult r = parse_response(big_retr(), true);
  ASSERT_EQ(r.status, ParseStatus::complete);
  std::string body;
  for (const auto& line : r.response.lines) body += line + "\r\n";
  EXPECT_TRUE(r.response.all_lines_kept());
  EXPECT_EQ(r.response.body_octets, body.size());
  EXPECT_EQ(r.response.body_hash, fnv1a64(body));
}

TEST(ResponseFramer, TerminatorSplitAcrossFeeds) {
  ResponseFramer framer(true);
  const std::string wire = "+OK\r\nabc\r\n.\r\n";
  EXPECT_EQ(framer.feed(wire.substr(0, 11)).status, ParseStatus::need_more);  // "...abc\r\n."
  EXPECT_EQ(framer.feed(wire.substr(0, 12)).status, ParseStatus::need_more);  // ".\r"
  const ParseResult r = framer.feed(wire);
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.response.lines, (std::vector<std::string>{"abc"}));
}

TEST(ResponseFramer, CompleteIsAnsweredAgain) {
  ResponseFramer framer(true);
  const std::string wire = "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n";
  const ParseResult first = framer.feed(wire);
  ASSERT_EQ(first.status, ParseStatus::complete);
  const ParseResult again = framer.feed(wire + "+OK next\r\n");  // the next response's octets
  ASSERT_EQ(again.status, ParseStatus::complete);
  EXPECT_EQ(again.consumed, first.consumed);
  expect_same_response(again.response, first.response);
}

TEST(ResponseFramer, ErrorIsAnsweredAgain) {
  ResponseFramer framer(false);
  const ParseResult first = framer.feed("-ERR bad\n");
  ASSERT_EQ(first.status, ParseStatus::error);
  const ParseResult again = framer.feed("-ERR bad\nanything\r\n");
  EXPECT_EQ(again.status, ParseStatus::error);
  EXPECT_EQ(again.error, first.error);
}

TEST(ResponseFramer, ShrinkingBufferIsRefused) {
  ResponseFramer framer(true);
  EXPECT_EQ(framer.feed("+OK\r\nabc").status, ParseStatus::need_more);
  const ParseResult r = framer.feed("+OK\r\n");
  EXPECT_EQ(r.status, ParseStatus::error);
  EXPECT_EQ(r.error, "buffer shrank from 8 to 5 octets between feeds");
}

TEST(ResponseFramer, SameBufferTwiceIsFine) {
  ResponseFramer framer(true);
  EXPECT_EQ(framer.feed("+OK\r\nab").status, ParseStatus::need_more);
  EXPECT_EQ(framer.feed("+OK\r\nab").status, ParseStatus::need_more);
  EXPECT_EQ(framer.feed("+OK\r\nab\r\n.\r\n").status, ParseStatus::complete);
}

TEST(ResponseFramer, LimitFoundMidFeed) {
  Limits limits;
  limits.max_body = 100;
  ResponseFramer framer(true, limits);
  std::string wire = "+OK\r\n";
  for (int i = 0; i < 20; ++i) wire += "0123456789\r\n";
  const ParseResult r = framer.feed(wire.substr(0, 40));
  EXPECT_EQ(r.status, ParseStatus::need_more);
  const ParseResult over = framer.feed(wire);
  EXPECT_EQ(over.status, ParseStatus::error);
  EXPECT_EQ(over.error, "body exceeds 100 octets");
  EXPECT_EQ(parse_response(wire, true, limits).error, over.error);
}

}  // namespace
}  // namespace facteur::pop3
