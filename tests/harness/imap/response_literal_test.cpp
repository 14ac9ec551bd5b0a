// Literals in responses (RFC 9051 §4.3): {n}, non-synchronising {n+} (RFC 7888, tolerated),
// literal8 ~{n} (RFC 3516), and what a lying length does.
#include <gtest/gtest.h>

#include <string>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::literal;
using test::parse_split_everywhere;

TEST(ImapLiteral, ContentWithCrlfParenBraceAndNul) {
  const std::string body("a)\r\n{3}\r\n\0x", 11);
  const std::string wire = "* 1 FETCH (BODY[] {" + std::to_string(body.size()) + "}\r\n" + body + " UID 7)\r\n";
  const Response r = parse_split_everywhere(wire);
  ASSERT_EQ(r.data[0].items.size(), 4u);
  EXPECT_EQ(r.data[0].items[1], literal(body));
  EXPECT_EQ(r.data[0].items[3], test::number("7"));
  EXPECT_EQ(r.literal_octets, body.size());
  EXPECT_EQ(r.wire_bytes, wire.size());
}

TEST(ImapLiteral, EmptyLiteral) {
  const Response r = parse_split_everywhere("* 1 FETCH (BODY[] {0}\r\n)\r\n");
  EXPECT_EQ(r.data[0].items[1], literal(""));
  EXPECT_EQ(r.literal_octets, 0u);
}

TEST(ImapLiteral, SeveralLiteralsAndALiteralAtTheEndOfTheLine) {
  const Response r = parse_split_everywhere("* LIST () \"/\" {5}\r\nIN BX\r\n");
  EXPECT_EQ(r.data[2], literal("IN BX"));
  const Response two = parse_split_everywhere("* 2 FETCH (BODY[1] {1}\r\na BODY[2] {2}\r\nbc)\r\n");
  EXPECT_EQ(two.data[0].items[1], literal("a"));
  EXPECT_EQ(two.data[0].items[3], literal("bc"));
  EXPECT_EQ(two.literal_octets, 3u);
}

TEST(ImapLiteral, NonSynchronisingTolerated) {
  const Response r = parse_split_everywhere("* 1 FETCH (BODY[] {3+}\r\nabc)\r\n");
  EXPECT_EQ(r.data[0].items[1], literal("abc"));
}

TEST(ImapLiteral, Literal8IsBinary) {
  const std::string bytes("\0\1\2\xff", 4);
  const Response r = parse_split_everywhere("* 1 FETCH (BINARY[1] ~{4}\r\n" + bytes + ")\r\n");
  EXPECT_EQ(r.data[0].items[1], literal(bytes, true));
  EXPECT_EQ(r.data[0].items[1].wire(), "~{4}\r\n" + bytes);
}

TEST(ImapLiteral, TildeNotBeforeBraceIsAnAtom) {
  const Response r = parse_split_everywhere("* LIST () \"/\" ~alice\r\n");
  EXPECT_EQ(r.data[2], atom("~alice"));
}

TEST(ImapLiteral, SplitAcrossReadsNeedsMoreWithoutScanningTheOctets) {
  const std::string head = "* 1 FETCH (BODY[] {10}\r\n";
  // Five octets of ten arrived: need more, whatever they are (even a CRLF and a closing paren).
  const ParseResult half = parse_response(head + ")\r\nA1");
  EXPECT_EQ(half.status, ParseStatus::need_more);
  // All ten: the line goes on after them.
  const ParseResult tail = parse_response(head + "0123456789");
  EXPECT_EQ(tail.status, ParseStatus::need_more);
  const ParseResult done = parse_response(head + "0123456789)\r\n");
  ASSERT_EQ(done.status, ParseStatus::complete) << done.error;
  EXPECT_EQ(done.response.data[0].items[1], literal("0123456789"));
}

TEST(ImapLiteral, LargeLiteralPrefixIsCheap) {
  // A 16 MiB literal announced, 1 MiB of it arrived: need_more, and the parse does not depend on
  // those octets (a NUL-free check would have to read them).
  const std::string head = "* 1 FETCH (BODY[] {16777216}\r\n";
  const std::string wire = head + std::string(1u << 20, '\0');
  EXPECT_EQ(parse_response(wire).status, ParseStatus::need_more);
}

TEST(ImapLiteral, LyingLengthTooShortBreaksTheRestOfTheLine) {
  // {3} but 6 octets follow: "def" is glued to the literal, which needs an SP first.
  const ParseResult r = parse_response("* 1 FETCH (BODY[] {3}\r\nabcdef)\r\n");
  ASSERT_EQ(r.status, ParseStatus::error);
  EXPECT_EQ(r.error, "expected SP between values at offset 26");
  // If what is left looks like more values, it parses as those: the response is different, not rejected.
  const ParseResult other = parse_response("* 1 FETCH (BODY[] {3}\r\nabc UID 5)\r\n");
  ASSERT_EQ(other.status, ParseStatus::complete);
  EXPECT_EQ(other.response.data[0].items.size(), 4u);
}

TEST(ImapLiteral, LyingLengthTooLongSwallowsTheNextLines) {
  // {12} swallows ")\r\nA1 OK do": the parser cannot know; it asks for more, then reads what
  // follows as the rest of the FETCH line.
  const std::string wire = "* 1 FETCH (BODY[] {12}\r\nabc)\r\nA1 OK done\r\n";
  const ParseResult r = parse_response(wire);
  ASSERT_EQ(r.status, ParseStatus::error);
  EXPECT_EQ(r.error, "expected SP between values at offset 36");
  EXPECT_EQ(parse_response(std::string_view(wire).substr(0, 30)).status, ParseStatus::need_more);
}

TEST(ImapLiteral, LiteralInsideAStatusLineIsText) {
  const Response r = parse_split_everywhere("A1 OK read {5}\r\n");
  EXPECT_EQ(r.text, "read {5}");
  EXPECT_EQ(r.wire_bytes, 16u);
}

}  // namespace
}  // namespace facteur::imap
