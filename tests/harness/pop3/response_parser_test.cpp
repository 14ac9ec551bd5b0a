// parse_response / ResponseFramer on well-formed responses (RFC 1939 §3, RFC 2449, RFC 5034 §4),
// every input fed split at every byte.
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/response.hpp"
#include "tests/harness/pop3/response_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::parse_split_everywhere;
using test::stuffed_body;

TEST(ResponseParser, GreetingIsOneLine) {
  const Response r = parse_split_everywhere("+OK facteur lab ready.\r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::ok);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.text, "facteur lab ready.");
  EXPECT_EQ(r.code, "");
  EXPECT_FALSE(r.multiline);
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.line_count, 0u);
  EXPECT_EQ(r.body_octets, 0u);
  EXPECT_EQ(r.body_hash, fnv1a64_basis);  // the hash of no octets
  EXPECT_EQ(r.wire_bytes, 24u);
}

TEST(ResponseParser, BareOkHasEmptyText) {
  const Response r = parse_split_everywhere("+OK\r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::ok);
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(r.wire_bytes, 5u);
}

TEST(ResponseParser, OkWithSpaceAndNoText) {
  const Response r = parse_split_everywhere("+OK \r\n", false);
  EXPECT_EQ(r.text, "");
}

TEST(ResponseParser, ErrIsOneLineEvenForAMultiLineCommand) {
  const Response r = parse_split_everywhere("-ERR There's no message 9.\r\n", true);
  EXPECT_EQ(r.kind, Response::Kind::err);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.text, "There's no message 9.");
  EXPECT_FALSE(r.multiline);
  EXPECT_EQ(r.line_count, 0u);
}

TEST(ResponseParser, BareErr) {
  const Response r = parse_split_everywhere("-ERR\r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::err);
  EXPECT_EQ(r.text, "");
}

TEST(ResponseParser, ExtendedResponseCodes) {
  // RFC 2449 §8: the code leads the text, and the text keeps it.
  Response r = parse_split_everywhere("-ERR [IN-USE] Do you have another POP session running?\r\n", false);
  EXPECT_EQ(r.code, "IN-USE");
  EXPECT_EQ(r.text, "[IN-USE] Do you have another POP session running?");
  r = parse_split_everywhere("-ERR [SYS/TEMP] Try again later\r\n", false);
  EXPECT_EQ(r.code, "SYS/TEMP");
  r = parse_split_everywhere("-ERR [AUTH] Authentication failed.\r\n", false);
  EXPECT_EQ(r.code, "AUTH");
  r = parse_split_everywhere("-ERR [login-delay] wait\r\n", false);
  EXPECT_EQ(r.code, "LOGIN-DELAY");  // case-insensitive, reported upper-cased
  r = parse_split_everywhere("+OK [XCLIENT] done\r\n", false);  // §8 allows a code on +OK too
  EXPECT_EQ(r.code, "XCLIENT");
  r = parse_split_everywhere("-ERR no code [IN-USE]\r\n", false);
  EXPECT_EQ(r.code, "");
}

TEST(ResponseParser, SaslChallengeIsAContinuation) {
  // RFC 5034 §4: continue-req = "+" SP [base64] CRLF.
  const Response r = parse_split_everywhere("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n", true);
  EXPECT_EQ(r.kind, Response::Kind::continuation);
  EXPECT_EQ(r.text, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  EXPECT_FALSE(r.multiline);  // never a body, whatever the caller expected
  EXPECT_EQ(r.code, "");
}

TEST(ResponseParser, EmptyChallengeWithAndWithoutSpace) {
  Response r = parse_split_everywhere("+ \r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::continuation);
  EXPECT_EQ(r.text, "");
  r = parse_split_everywhere("+\r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::continuation);
  EXPECT_EQ(r.text, "");
}

TEST(ResponseParser, ChallengeStartingWithBracketHasNoCode) {
  const Response r = parse_split_everywhere("+ [abc]\r\n", false);
  EXPECT_EQ(r.code, "");
}

TEST(ResponseParser, OkIsNotAContinuation) {
  const Response r = parse_split_everywhere("+OK\r\n", false);
  EXPECT_EQ(r.kind, Response::Kind::ok);
}

TEST(ResponseParser, DovecotCapa) {
  const std::string wire =
      "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\n"
      "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\r\n.\r\n";
  const Response r = parse_split_everywhere(wire, true);
  EXPECT_TRUE(r.multiline);
  ASSERT_EQ(r.line_count, 9u);
  EXPECT_EQ(r.lines.front(), "CAPA");
  EXPECT_EQ(r.lines.back(), "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256");
}

TEST(ResponseParser, EmptyMultiLineBody) {
  // RFC 1939 §5 LIST on an empty maildrop: +OK, then the terminator at once.
  const Response r = parse_split_everywhere("+OK 0 messages:\r\n.\r\n", true);
  EXPECT_TRUE(r.multiline);
  EXPECT_EQ(r.line_count, 0u);
  EXPECT_EQ(r.body_octets, 0u);
  EXPECT_EQ(r.body_hash, fnv1a64_basis);
}

TEST(ResponseParser, RetrBodyIsUnstuffed) {
  const std::string wire = "+OK 120 octets\r\nSubject: dots\r\n\r\n..x\r\n...\r\n..\r\nplain\r\n.\r\n";
  const Response r = parse_split_everywhere(wire, true);
  ASSERT_EQ(r.lines.size(), 6u);
  EXPECT_EQ(r.lines[0], "Subject: dots");
  EXPECT_EQ(r.lines[1], "");
  EXPECT_EQ(r.lines[2], ".x");  // "..x" → ".x"
  EXPECT_EQ(r.lines[3], "..");  // "..." → ".."
  EXPECT_EQ(r.lines[4], ".");   // ".." alone → "." (a line of one dot, not the end)
  EXPECT_EQ(r.lines[5], "plain");
  const std::string body = "Subject: dots\r\n\r\n.x\r\n..\r\n.\r\nplain\r\n";
  EXPECT_EQ(r.body_octets, body.size());
  EXPECT_EQ(r.body_hash, fnv1a64(body));
  EXPECT_EQ(r.wire_bytes, wire.size());
}

TEST(ResponseParser, UnstuffedLeadingDotOfAnyLine) {
  // RFC 1939 §3: a line starting with the termination octet followed by other octets loses the dot,
  // so ".x" (a server that forgot to stuff) reads as "x".
  const Response r = parse_split_everywhere("+OK\r\n.x\r\n.\r\n", true);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "x");
  EXPECT_EQ(r.body_octets, 3u);
}

TEST(ResponseParser, DotCrIsNotTheTerminator) {
  const Response r = parse_split_everywhere("+OK\r\n.\r\r\n.\r\n", true);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "\r");
}

TEST(ResponseParser, BareCrIsData) {
  const Response r = parse_split_everywhere("+OK a\rb\r\nx\ry\r\n.\r\n", true);
  EXPECT_EQ(r.text, "a\rb");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "x\ry");
}

TEST(ResponseParser, SingleLineOkForAMultiLineCommandWhenNotExpected) {
  // LIST 2 is single-line: the caller says so, and a following line is the next response's.
  const ParseResult r = parse_response("+OK 2 200\r\n1 120\r\n", false);
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.consumed, 11u);
  EXPECT_EQ(r.response.text, "2 200");
}

TEST(ResponseParser, OctetsAfterTheResponseAreNotRead) {
  const std::string wire = "+OK\r\n1 120\r\n.\r\n";
  const ParseResult r = parse_response(wire + "+OK next\r\n-ERR", true);
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(r.response.wire_bytes, wire.size());
}

TEST(ResponseParser, Rfc1939ListExample) {
  const Response r = parse_split_everywhere("+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n", true);
  EXPECT_EQ(r.text, "2 messages (320 octets)");
  EXPECT_EQ(r.lines, (std::vector<std::string>{"1 120", "2 200"}));
  EXPECT_EQ(r.body_octets, 14u);
}

TEST(ResponseParser, KeepLinesCountsTheRest) {
  Limits limits;
  limits.keep_lines = 2;
  const Response r = parse_split_everywhere("+OK\r\na\r\nbb\r\nccc\r\n..d\r\n.\r\n", true, limits);
  EXPECT_EQ(r.lines, (std::vector<std::string>{"a", "bb"}));
  EXPECT_FALSE(r.all_lines_kept());
  EXPECT_EQ(r.line_count, 4u);
  EXPECT_EQ(r.body_octets, 3u + 4u + 5u + 4u);
  EXPECT_EQ(r.body_hash, fnv1a64("a\r\nbb\r\nccc\r\n.d\r\n"));
}

TEST(ResponseParser, KeepNoLines) {
  Limits limits;
  limits.keep_lines = 0;
  const Response r = parse_split_everywhere("+OK\r\na\r\n.\r\n", true, limits);
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.line_count, 1u);
}

TEST(ResponseParser, BodyExactlyAtTheLimits) {
  Limits limits;
  limits.max_line = 6;  // "..abc\r\n" would be 7; "abcd\r\n" is 6
  limits.max_body = 8;  // "abcd\r\n" + "\r\n"
  const Response r = parse_split_everywhere("+OK\r\nabcd\r\n\r\n.\r\n", true, limits);
  EXPECT_EQ(r.body_octets, 8u);
}

TEST(ResponseParser, TerminatorFitsAFullBody) {
  Limits limits;
  limits.max_body = 3;
  const Response r = parse_split_everywhere("+OK\r\n.a\r\n.\r\n", true, limits);  // body "a\r\n"
  EXPECT_EQ(r.body_octets, 3u);
}

TEST(ResponseParser, StatusLineAtItsLimit) {
  Limits limits;
  limits.max_line = 10;
  const Response r = parse_split_everywhere("+OK abcd\r\n", false, limits);
  EXPECT_EQ(r.text, "abcd");
}

}  // namespace
}  // namespace facteur::pop3
