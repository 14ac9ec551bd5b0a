// The value grammar through parse_values (one line, no literals) and through responses: atoms,
// numbers, NIL, quoted strings and their escapes, [ ] lists; wire() round trips.
#include <gtest/gtest.h>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::list;
using test::nil;
using test::number;
using test::parse_split_everywhere;
using test::quoted;

std::vector<Value> values(std::string_view text) {
  std::string error;
  auto v = parse_values(text, &error);
  EXPECT_TRUE(v.has_value()) << text << ": " << error;
  return v ? *v : std::vector<Value>{};
}

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_values(text, &error).has_value()) << text;
  return error;
}

TEST(ImapValues, NilIsCaseInsensitiveButQuotedNilIsAString) {
  EXPECT_EQ(values("NIL nil Nil \"NIL\""), (std::vector<Value>{nil(), nil(), nil(), quoted("NIL")}));
  const Response r = parse_split_everywhere("* LIST () NIL \"NIL\"\r\n");
  EXPECT_EQ(r.data[1], nil());
  EXPECT_EQ(r.data[2], quoted("NIL"));
  EXPECT_EQ(values("NILS"), (std::vector<Value>{atom("NILS")}));
}

TEST(ImapValues, NumbersAreAllDigitTokens) {
  EXPECT_EQ(values("0 42 007 4x 1:3 99999999999999999999"),
            (std::vector<Value>{number("0"), number("42"), number("007"), atom("4x"), atom("1:3"),
                                number("99999999999999999999")}));
  EXPECT_EQ(number("42").number(), 42u);
  EXPECT_FALSE(number("99999999999999999999").number().has_value());  // kept as text, no value
}

TEST(ImapValues, AtomCharacters) {
  EXPECT_EQ(values("\\Seen \\* $Forwarded !x a.b INBOX.Sent %* foo]"),
            (std::vector<Value>{atom("\\Seen"), atom("\\*"), atom("$Forwarded"), atom("!x"), atom("a.b"),
                                atom("INBOX.Sent"), atom("%*"), atom("foo]")}));
}

TEST(ImapValues, QuotedEscapes) {
  EXPECT_EQ(values(R"("a\"b" "c\\d" "" "(x) {3} [y]")"),
            (std::vector<Value>{quoted("a\"b"), quoted("c\\d"), quoted(""), quoted("(x) {3} [y]")}));
  EXPECT_EQ(error_of(R"("bad \n escape")"),
            "invalid escape in quoted string at offset 5: only \\\" and \\\\ are allowed");
  EXPECT_EQ(error_of("\"open"), "text ends early at offset 5");
}

TEST(ImapValues, BracketListsAndSections) {
  EXPECT_EQ(values("[UIDVALIDITY 3] BODY[1]<0> (a [b c])"),
            (std::vector<Value>{list({atom("UIDVALIDITY"), number("3")}, '['), atom("BODY[1]<0>"),
                                list({atom("a"), list({atom("b"), atom("c")}, '[')})}));
  // Inside [ ], "]" closes; outside it belongs to the atom.
  EXPECT_EQ(values("[a] ] b]"), (std::vector<Value>{list({atom("a")}, '['), atom("]"), atom("b]")}));
}

TEST(ImapValues, Errors) {
  EXPECT_EQ(error_of("(a"), "list opened at offset 0 is not closed");
  EXPECT_EQ(error_of("a)"), "unbalanced ')' at offset 1");
  EXPECT_EQ(error_of("{3}"), "literal at offset 0 is not allowed here");
  EXPECT_EQ(error_of("~{3}"), "literal at offset 0 is not allowed here");
  EXPECT_EQ(error_of("a\r\n"), "line break at offset 1");
  EXPECT_EQ(error_of("\"a\"b"), "expected SP between values at offset 3");
  EXPECT_EQ(error_of("BODY[]<x>"), "bad partial at offset 6: expected <n> or <n.m>");
  EXPECT_EQ(error_of("a\x01"), "expected SP between values at offset 1");
  EXPECT_EQ(error_of("\x01"), "unexpected octet 0x01 at offset 0");
}

TEST(ImapValues, EmptyTextIsNoValues) { EXPECT_TRUE(values("").empty()); }

TEST(ImapValues, WireRoundTrips) {
  const std::string_view text =
      R"(NIL "NIL" 12 \Seen BODY[HEADER.FIELDS (FROM "x]")]<0.5> ("a\"b" () [c d]) ((x)(y)) "caf\\é")";
  const auto v = values(text);
  std::string wire;
  for (const auto& x : v) wire += (wire.empty() ? "" : " ") + x.wire();
  EXPECT_EQ(values(wire), v);
}

}  // namespace
}  // namespace facteur::imap
