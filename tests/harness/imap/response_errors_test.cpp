// Malformed responses and limits: each error is reported as soon as the octet proving it has
// arrived, with what and where, and every longer input reports the same error.
#include <gtest/gtest.h>

#include <string>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::error_split_everywhere;
using test::ErrorAt;
using test::parse_split_everywhere;

TEST(ImapErrors, BareLineEnds) {
  EXPECT_EQ(error_split_everywhere("A1 OK done\n").message, "bare LF at offset 10");
  EXPECT_EQ(error_split_everywhere("A1 OK done\rx\r\n").message, "bare CR at offset 10");
  EXPECT_EQ(error_split_everywhere("* 3 EXISTS\n").message, "bare LF at offset 10");
  EXPECT_EQ(error_split_everywhere("* 3 EXISTS\rX").message, "bare CR at offset 10");
  EXPECT_EQ(error_split_everywhere("* SEARCH 1 2\n").message, "bare LF at offset 12");
  EXPECT_EQ(error_split_everywhere("* SEARCH 1\r2\r\n").message, "bare CR at offset 10");
  EXPECT_EQ(error_split_everywhere("+ go\n").message, "bare LF at offset 4");
  EXPECT_EQ(error_split_everywhere("A1 OK\n").message, "bare LF at offset 5");
  // The CR is judged only once the octet after it is in.
  const ErrorAt at = error_split_everywhere("A1 OK x\rz");
  EXPECT_EQ(at.first_failing_prefix, 9u);
}

TEST(ImapErrors, UnbalancedParens) {
  ErrorAt e = error_split_everywhere("* 1 FETCH (FLAGS (\\Seen)\r\n");
  EXPECT_EQ(e.message, "list opened at offset 10 is not closed at the end of the line (offset 24)");
  EXPECT_EQ(e.first_failing_prefix, 25u);
  e = error_split_everywhere("* FLAGS (\\Seen))\r\n");
  EXPECT_EQ(e.message, "unbalanced ')' at offset 15");
  // "]" outside brackets is an atom (ASTRING-CHAR), not an unbalanced bracket.
  EXPECT_EQ(parse_split_everywhere("* X ]\r\n").data.size(), 1u);
}

TEST(ImapErrors, GarbageFirstTokens) {
  EXPECT_EQ(error_split_everywhere("A1 FOO bar\r\n").message,
            "tagged response A1: status 'FOO' at offset 3 is not OK, NO or BAD");
  EXPECT_EQ(error_split_everywhere("A1 PREAUTH x\r\n").message,
            "tagged response A1: status 'PREAUTH' at offset 3 is not OK, NO or BAD");
  EXPECT_EQ(error_split_everywhere("(A1 OK\r\n").message, "a response starts with a tag, '*' or '+', not 0x28 (offset 0)");
  EXPECT_EQ(error_split_everywhere("A1\r\n").message, "tagged response without a status (offset 2)");
  EXPECT_EQ(error_split_everywhere("A\\1 OK\r\n").message, "invalid octet 0x5C in tag at offset 1");
  EXPECT_EQ(error_split_everywhere("A1 OK[X] y\r\n").message, "expected SP after OK at offset 5");
  EXPECT_EQ(error_split_everywhere("*3 EXISTS\r\n").message, "expected SP after '*' at offset 1");
  EXPECT_EQ(error_split_everywhere("* \r\n").message, "expected a response name at offset 2");
  EXPECT_EQ(error_split_everywhere("* 3\r\n").message, "expected SP after the message number at offset 3");
  EXPECT_EQ(error_split_everywhere("* 3 (x)\r\n").message, "expected a response name at offset 4");
  EXPECT_EQ(error_split_everywhere("* 18446744073709551616 EXISTS\r\n").message,
            "message number at offset 2 is too large");
  EXPECT_EQ(error_split_everywhere("* FLAGS(\\Seen)\r\n").message, "expected SP after FLAGS at offset 7");
  EXPECT_EQ(error_split_everywhere("* X \"a\"b\r\n").message, "expected SP between values at offset 7");
  EXPECT_EQ(error_split_everywhere("* X \x01\r\n").message, "unexpected octet 0x01 at offset 4");
  // Found by fuzz_imap_response: a NUL after a value once passed for the end of the line.
  EXPECT_EQ(error_split_everywhere(std::string("* X F\0ETCH\r\n", 12)).message,
            "expected SP between values at offset 5");
  EXPECT_EQ(error_split_everywhere("* X \"a\rb\"\r\n").message,
            "quoted string opened at offset 4 not closed before the end of the line (offset 6)");
  EXPECT_EQ(error_split_everywhere("* X \"a\\n\"\r\n").message,
            "invalid escape in quoted string at offset 6: only \\\" and \\\\ are allowed");
  EXPECT_EQ(error_split_everywhere(std::string("* X \"a\0\"\r\n", 10)).message, "NUL in quoted string at offset 6");
}

TEST(ImapErrors, BadLiterals) {
  EXPECT_EQ(error_split_everywhere("* X {}\r\n").message, "literal at offset 4: expected its length");
  EXPECT_EQ(error_split_everywhere("* X {3x}\r\n").message, "literal at offset 4: expected '}' at offset 6");
  EXPECT_EQ(error_split_everywhere("* X {3} abc\r\n").message,
            "literal at offset 4: its announcement must end the line (offset 7)");
  EXPECT_EQ(error_split_everywhere("* X {3}\rabc\r\n").message, "bare CR at offset 7");
  EXPECT_EQ(error_split_everywhere("* X BODY[]<1.>\r\n").message, "bad partial at offset 10: expected <n> or <n.m>");
}

TEST(ImapErrors, NestingAtTheLimitAndOneBeyond) {
  Limits limits;
  limits.max_depth = 3;
  const Response ok = parse_split_everywhere("* X (((a)))\r\n", limits);
  EXPECT_EQ(ok.data[0].items[0].items[0].items[0], test::atom("a"));
  EXPECT_EQ(error_split_everywhere("* X ((((a))))\r\n", limits).message, "lists nested deeper than 3 at offset 7");
  // A section counts as a level of nesting too.
  EXPECT_EQ(error_split_everywhere("* X ((BODY[(a)]))\r\n", limits).message,
            "lists nested deeper than 3 at offset 11");
  // The default (64) guards the stack against a flood of "(".
  EXPECT_EQ(error_split_everywhere("* X " + std::string(65, '(')).message, "lists nested deeper than 64 at offset 68");
}

TEST(ImapErrors, TooManyValues) {
  Limits limits;
  limits.max_values = 4;
  parse_split_everywhere("* X a (b c)\r\n", limits);  // 4 values: a, the list, b, c
  EXPECT_EQ(error_split_everywhere("* X a (b c) d\r\n", limits).message, "more than 4 values (offset 12)");
}

TEST(ImapErrors, LineTooLongEvenWithoutCrlf) {
  Limits limits;
  limits.max_line = 16;
  parse_split_everywhere("* SEARCH 1 2 3\r\n", limits);  // 16 octets, CRLF included: fits
  ErrorAt e = error_split_everywhere("* SEARCH 1 2 34\r\n", limits);
  EXPECT_EQ(e.message, "line starting at offset 0 exceeds 16 octets");
  EXPECT_EQ(e.first_failing_prefix, 16u);
  e = error_split_everywhere("A1 OK " + std::string(100, 'x'), limits);
  EXPECT_EQ(e.message, "line starting at offset 0 exceeds 16 octets");
  EXPECT_EQ(e.first_failing_prefix, 16u);
  // The line after a literal has its own budget; the literal's octets do not count.
  parse_split_everywhere("* X {20}\r\n" + std::string(20, 'y') + " abcdefghijk\r\n", limits);
}

TEST(ImapErrors, LiteralOverTheLimitIsRejectedOnSight) {
  Limits limits;
  limits.max_literal = 10;
  parse_split_everywhere("* X {10}\r\n0123456789\r\n", limits);
  const ErrorAt e = error_split_everywhere("* X {11}\r\n0123456789A\r\n", limits);
  EXPECT_EQ(e.message, "literal at offset 4 announces 11 octets, more than the limit of 10");
  EXPECT_EQ(e.first_failing_prefix, 8u);  // on its "}", before any of its octets
  EXPECT_EQ(error_split_everywhere("* X {99999999999999999999999}\r\n").message,
            "literal at offset 4 announces 18446744073709551615 octets, more than the limit of 268435456");
}

TEST(ImapErrors, ResponseTooLong) {
  Limits limits;
  limits.max_response = 40;
  parse_split_everywhere("* X {20}\r\n" + std::string(20, 'y') + " abcdefg\r\n", limits);  // 40 octets
  EXPECT_EQ(error_split_everywhere("* X {29}\r\n", limits).message,
            "literal at offset 4 makes the response exceed 40 octets");
  EXPECT_EQ(error_split_everywhere("* X {20}\r\n" + std::string(20, 'y') + " abcdefgh\r\n", limits).message,
            "response exceeds 40 octets");
}

TEST(ImapErrors, EightBitOutsideQuotedIsFine) {
  parse_split_everywhere("* LIST () \"/\" \xE2\x9C\x89\r\n");
  parse_split_everywhere("* OK \xFF\xFE text\r\n");
}

TEST(ImapErrors, EmptyInputNeedsMore) {
  EXPECT_EQ(parse_response("").status, ParseStatus::need_more);
}

}  // namespace
}  // namespace facteur::imap
