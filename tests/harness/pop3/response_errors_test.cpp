// parse_response / ResponseFramer on malformed input: each error reported at the octet that proves
// it, the same for every longer input, however the input was fed.
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/response.hpp"
#include "tests/harness/pop3/response_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::error_split_everywhere;

TEST(ResponseErrors, NotAStatusIndicator) {
  const auto e = error_split_everywhere("* OK IMAP4rev1 ready\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"*\"");
  EXPECT_EQ(e.first_failing_prefix, 1u);
}

TEST(ResponseErrors, SmtpGreetingOnThePop3Port) {
  const auto e = error_split_everywhere("220 mail.lab.test ESMTP\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"2\"");
}

TEST(ResponseErrors, LowerCaseStatus) {
  // RFC 1939 §3: servers MUST send "+OK" and "-ERR" in upper case.
  const auto e = error_split_everywhere("+ok fine\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+o\"");
  EXPECT_EQ(e.first_failing_prefix, 2u);
}

TEST(ResponseErrors, StatusRunIntoText) {
  auto e = error_split_everywhere("+OKAY\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+OKA\"");
  e = error_split_everywhere("-ERROR\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"-ERRO\"");
  e = error_split_everywhere("-E\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"-E\\r\"");
}

TEST(ResponseErrors, StatusCrNotFollowedByLf) {
  const auto e = error_split_everywhere("+OK\rmore\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+OK\\rm\"");
}

TEST(ResponseErrors, ControlOctetsAreEscapedInTheMessage) {
  const auto e = error_split_everywhere(std::string("\x16\x03\x01", 3), false);  // a TLS ClientHello
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"\\x16\"");
}

TEST(ResponseErrors, EmptyLine) {
  const auto e = error_split_everywhere("\r\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"\\r\"");
}

TEST(ResponseErrors, BareLfInStatusLine) {
  auto e = error_split_everywhere("+OK hello\n", false);
  EXPECT_EQ(e.message, "bare LF in status line");
  EXPECT_EQ(e.first_failing_prefix, 10u);
  e = error_split_everywhere("+OK\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+OK\\n\"");
  e = error_split_everywhere("+\n", false);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+\\n\"");
}

TEST(ResponseErrors, BareLfInBody) {
  auto e = error_split_everywhere("+OK\r\nfirst\r\nsecond\n.\r\n", true);
  EXPECT_EQ(e.message, "bare LF in body line 2");
  EXPECT_EQ(e.first_failing_prefix, 19u);
  e = error_split_everywhere("+OK\r\n\n.\r\n", true);
  EXPECT_EQ(e.message, "bare LF in body line 1");
  e = error_split_everywhere("+OK\r\n.\n", true);  // not the terminator: the LF has no CR
  EXPECT_EQ(e.message, "bare LF in body line 1");
}

TEST(ResponseErrors, BareLfTerminatorOfAnLfOnlyServer) {
  const auto e = error_split_everywhere("+OK\nline\n.\n", true);
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+OK\\n\"");
}

TEST(ResponseErrors, StatusLineLimitBeforeItsEnd) {
  Limits limits;
  limits.max_line = 8;
  const auto e = error_split_everywhere("+OK 1234567890\r\n", false, limits);
  EXPECT_EQ(e.message, "status line exceeds 8 octets");
  EXPECT_EQ(e.first_failing_prefix, 8u);  // 8 octets without a LF: no CRLF can fit any more
}

TEST(ResponseErrors, StatusLineLimitOneOctetOver) {
  Limits limits;
  limits.max_line = 9;
  const auto e = error_split_everywhere("+OK abcd\r\n", false, limits);
  EXPECT_EQ(e.message, "status line exceeds 9 octets");
  EXPECT_EQ(e.first_failing_prefix, 9u);
}

TEST(ResponseErrors, StatusLimitWinsOverOctetsPastIt) {
  // With max_line 2 the third octet is never looked at: "+OX" fails on the limit, like "+O".
  Limits limits;
  limits.max_line = 2;
  auto e = error_split_everywhere("+OX\r\n", false, limits);
  EXPECT_EQ(e.message, "status line exceeds 2 octets");
  EXPECT_EQ(e.first_failing_prefix, 2u);
  e = error_split_everywhere("+X\r\n", false, limits);  // proven by the second octet either way
  EXPECT_EQ(e.message, "expected +OK or -ERR, found \"+X\"");
}

TEST(ResponseErrors, BodyLineLimitBeforeItsEnd) {
  Limits limits;
  limits.max_line = 6;
  const auto e = error_split_everywhere("+OK\r\nabc\r\nabcdefgh\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body line 2 exceeds 6 octets");
  EXPECT_EQ(e.first_failing_prefix, 10u + 6u);
}

TEST(ResponseErrors, StuffingCountsTowardsTheLineLimit) {
  Limits limits;
  limits.max_line = 6;  // "..abc\r\n" is 7 octets on the wire
  const auto e = error_split_everywhere("+OK\r\n..abc\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body line 1 exceeds 6 octets");
}

TEST(ResponseErrors, BodyLimitBeforeTheLineEnds) {
  Limits limits;
  limits.max_body = 10;
  // "12345678\r\n" fills the body; any further line, even empty, exceeds it.
  auto e = error_split_everywhere("+OK\r\n12345678\r\nx\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body exceeds 10 octets");
  EXPECT_EQ(e.first_failing_prefix, 5u + 10u + 1u);  // proven by "x": not the terminator
  e = error_split_everywhere("+OK\r\n1234567890123\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body exceeds 10 octets");
  EXPECT_EQ(e.first_failing_prefix, 5u + 10u);  // 10 octets without a LF: no line end fits any more
}

TEST(ResponseErrors, BodyLimitWaitsForTheTerminatorToBeRuledOut) {
  Limits limits;
  limits.max_body = 3;
  // The body "ab\r\n" is 4 octets; ".\r" may still be the terminator, ".\rx" is not.
  auto e = error_split_everywhere("+OK\r\n.ab\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body exceeds 3 octets");
  EXPECT_EQ(e.first_failing_prefix, 5u + 4u);  // ".ab\r": a LF next would make "ab" + CRLF > 3
  // "a\r\n" fills the body; ".\r" may be the terminator, "x" rules it out.
  e = error_split_everywhere("+OK\r\na\r\n.\rx\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body exceeds 3 octets");
  EXPECT_EQ(e.first_failing_prefix, 8u + 3u);
}

TEST(ResponseErrors, LineLimitAndBodyLimitTieGoesToTheLine) {
  Limits limits;
  limits.max_line = 5;
  limits.max_body = 5;  // both proven by the fifth octet of "abcdef" without a LF
  const auto e = error_split_everywhere("+OK\r\nabcdef\r\n.\r\n", true, limits);
  EXPECT_EQ(e.message, "body line 1 exceeds 5 octets");
  EXPECT_EQ(e.first_failing_prefix, 10u);
}

TEST(ResponseErrors, TinyLimitsStayStable) {
  // Limit combinations where the line limit, the body limit and a bare LF compete.
  const std::string inputs[] = {"+OK\r\n.\r\n", "+OK\r\n.\rX\r\n.\r\n", "+OK\r\n\n", "+OK\r\n.\n", "+OK\r\nab\n",
                                "+OK\r\n\r\n.\r\n", "+OK\r\n..\r\n.\r\n"};
  for (std::size_t line = 1; line <= 6; ++line) {
    for (std::size_t body = 0; body <= 5; ++body) {
      Limits limits;
      limits.max_line = line;
      limits.max_body = body;
      for (const auto& in : inputs) {
        const ParseResult whole = parse_response(in, true, limits);
        if (whole.status != ParseStatus::error) continue;
        SCOPED_TRACE(testing::Message() << "max_line " << line << " max_body " << body << " input " << in.size());
        error_split_everywhere(in, true, limits);
      }
    }
  }
}

TEST(ResponseErrors, ErrorsStayForLongerInput) {
  const std::string bad = "+OK\r\nx\n";
  const ParseResult a = parse_response(bad, true);
  const ParseResult b = parse_response(bad + "more\r\n.\r\n+OK\r\n", true);
  ASSERT_EQ(a.status, ParseStatus::error);
  EXPECT_EQ(b.status, ParseStatus::error);
  EXPECT_EQ(a.error, b.error);
}

TEST(ResponseErrors, UnterminatedBodyNeedsMore) {
  const ParseResult r = parse_response("+OK\r\nline\r\n", true);
  EXPECT_EQ(r.status, ParseStatus::need_more);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_TRUE(r.error.empty());
}

}  // namespace
}  // namespace facteur::pop3
