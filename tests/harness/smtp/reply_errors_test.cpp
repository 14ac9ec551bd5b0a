// parse_reply error paths: each reported at the first octet that proves it, and for every longer
// input (the whole wire included) the same error — never "need more" forever.
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/reply.hpp"
#include "tests/harness/smtp/reply_test_support.hpp"

namespace facteur::smtp {
namespace {

using test::error_split_everywhere;

TEST(ReplyErrors, CodeOutsideTwoToFiveHundreds) {
  for (std::string_view wire : {"199 x\r\n", "600 x\r\n", "000 x\r\n", "100 Continue\r\n"}) {
    const auto e = error_split_everywhere(wire);
    EXPECT_EQ(e.first_failing_prefix, 1u) << wire;  // the first digit already rules it out
    EXPECT_NE(e.message.find("not three digits in 200..599"), std::string::npos) << e.message;
  }
}

TEST(ReplyErrors, CodeNotDigits) {
  EXPECT_EQ(error_split_everywhere("2a0 x\r\n").first_failing_prefix, 2u);
  EXPECT_EQ(error_split_everywhere("25x x\r\n").first_failing_prefix, 3u);
  EXPECT_EQ(error_split_everywhere(" 250 x\r\n").first_failing_prefix, 1u);
  EXPECT_EQ(error_split_everywhere("\r\n").first_failing_prefix, 1u);
  EXPECT_EQ(error_split_everywhere("HTTP/1.1 400 Bad Request\r\n").message,
            "reply line 1: code 'H' is not three digits in 200..599");
  EXPECT_EQ(error_split_everywhere("25\r\n").message,
            "reply line 1: code '25\r' is not three digits in 200..599");
}

TEST(ReplyErrors, BadSeparator) {
  for (std::string_view wire : {"250x\r\n", "250\tok\r\n", "2500 ok\r\n", "250_ok\r\n"}) {
    const auto e = error_split_everywhere(wire);
    EXPECT_EQ(e.first_failing_prefix, 4u) << wire;
    EXPECT_EQ(e.message, "reply line 1: separator after code must be '-', ' ' or CRLF");
  }
  EXPECT_EQ(error_split_everywhere("250-a\r\n250+b\r\n").message,
            "reply line 2: separator after code must be '-', ' ' or CRLF");
}

TEST(ReplyErrors, CodeChangesBetweenLines) {
  const auto e = error_split_everywhere("250-a\r\n251 b\r\n");
  EXPECT_EQ(e.message, "reply line 2: code 251 differs from 250 on line 1");
  EXPECT_EQ(e.first_failing_prefix, 10u);  // "250-a\r\n251"
  const auto third = error_split_everywhere("450-a\r\n450-b\r\n550 c\r\n");
  EXPECT_EQ(third.message, "reply line 3: code 5.. differs from 450 on line 1");
  EXPECT_EQ(third.first_failing_prefix, 15u);
}

TEST(ReplyErrors, BareLf) {
  EXPECT_EQ(error_split_everywhere("250 ok\n").message, "bare LF in reply line 1");
  EXPECT_EQ(error_split_everywhere("250\n").message, "bare LF in reply line 1");
  const auto e = error_split_everywhere("250-a\r\n250-b\n250 c\r\n");
  EXPECT_EQ(e.message, "bare LF in reply line 2");
  EXPECT_EQ(e.first_failing_prefix, 13u);
}

TEST(ReplyErrors, BareCr) {
  const auto e = error_split_everywhere("250 a\rb\r\n");
  EXPECT_EQ(e.message, "bare CR in reply line 1");
  EXPECT_EQ(e.first_failing_prefix, 7u);  // known once the octet after the CR is not LF
  EXPECT_EQ(error_split_everywhere("250\rx\r\n").message, "bare CR in reply line 1");
  EXPECT_EQ(error_split_everywhere("250 a\r\r\n").message, "bare CR in reply line 1");
  // A CR then a bare LF later: the CR is the earlier proof.
  EXPECT_EQ(error_split_everywhere("250 a\rb\n").message, "bare CR in reply line 1");
  EXPECT_EQ(error_split_everywhere("250-a\r\n250 b\rc\r\n").message, "bare CR in reply line 2");
}

TEST(ReplyErrors, LineThatNeverEndsFailsAtMaxLine) {
  ReplyLimits limits;
  limits.max_line = 16;
  const std::string endless = "250 " + std::string(100, 'x');
  const auto e = error_split_everywhere(endless, limits);
  EXPECT_EQ(e.first_failing_prefix, 16u);
  EXPECT_EQ(e.message, "reply line 1 exceeds 16 octets");
}

TEST(ReplyErrors, MaxLineCountsTheCrlf) {
  ReplyLimits limits;
  limits.max_line = 10;
  const std::string fits = "250 abcd\r\n";  // 10 octets
  EXPECT_EQ(test::parse_split_everywhere(fits, limits).lines[0], "abcd");
  const auto e = error_split_everywhere("250 abcde\r\n", limits);
  EXPECT_EQ(e.message, "reply line 1 exceeds 10 octets");
  EXPECT_EQ(e.first_failing_prefix, 10u);  // ten octets and still no LF
  // Applies to continuation lines too.
  const auto second = error_split_everywhere("250-ab\r\n250 abcdefgh\r\n", limits);
  EXPECT_EQ(second.message, "reply line 2 exceeds 10 octets");
  EXPECT_EQ(second.first_failing_prefix, 18u);
}

TEST(ReplyErrors, DefaultMaxLineStopsAnEndlessLine) {
  const std::string endless(10000, '5');
  const auto e = error_split_everywhere("250 " + endless);
  EXPECT_EQ(e.first_failing_prefix, ReplyLimits{}.max_line);
}

TEST(ReplyErrors, MaxLines) {
  ReplyLimits limits;
  limits.max_lines = 3;
  EXPECT_EQ(test::parse_split_everywhere("250-a\r\n250-b\r\n250 c\r\n", limits).lines.size(), 3u);
  const auto e = error_split_everywhere("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", limits);
  EXPECT_EQ(e.message, "reply has more than 3 lines");
  EXPECT_EQ(e.first_failing_prefix, 18u);  // the third line's '-' promises a fourth
}

TEST(ReplyErrors, MaxReply) {
  ReplyLimits limits;
  limits.max_reply = 21;
  EXPECT_EQ(test::parse_split_everywhere("250-abcde\r\n250 abcd\r\n", limits).wire_bytes, 21u);
  const auto e = error_split_everywhere("250-abcde\r\n250 abcde\r\n", limits);
  EXPECT_EQ(e.message, "reply exceeds 21 octets");
  EXPECT_EQ(e.first_failing_prefix, 21u);
}

TEST(ReplyErrors, EndlessMultiLineReplyFailsAtMaxReply) {
  ReplyLimits limits;
  limits.max_reply = 1000;
  std::string wire;
  while (wire.size() < 5000) wire += "250-more and more\r\n";
  const auto e = error_split_everywhere(wire, limits);
  EXPECT_EQ(e.message, "reply exceeds 1000 octets");
  EXPECT_LE(e.first_failing_prefix, 1000u);
}

TEST(ReplyErrors, ContinuationEndingExactlyAtMaxReplyFails) {
  ReplyLimits limits;
  limits.max_reply = 11;
  // "250-abcde\r\n" is 11 octets and promises another line: that cannot fit.
  const auto e = error_split_everywhere("250-abcde\r\n250 x\r\n", limits);
  EXPECT_EQ(e.message, "reply exceeds 11 octets");
  EXPECT_EQ(e.first_failing_prefix, 11u);
}

TEST(ReplyErrors, ZeroLimitsRejectEverything) {
  EXPECT_EQ(parse_reply("250 ok\r\n", ReplyLimits{0, 1000, 1000}).status, ParseStatus::error);
  EXPECT_EQ(parse_reply("250 ok\r\n", ReplyLimits{4096, 0, 1000}).status, ParseStatus::error);
  EXPECT_EQ(parse_reply("250 ok\r\n", ReplyLimits{4096, 1000, 0}).status, ParseStatus::error);
}

TEST(ReplyErrors, HugeLimitsDoNotOverflow) {
  const std::size_t big = static_cast<std::size_t>(-1);
  const ReplyParse r = parse_reply("250-a\r\n250 b\r\n", ReplyLimits{big, big, big});
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.consumed, 14u);
}

}  // namespace
}  // namespace facteur::smtp
