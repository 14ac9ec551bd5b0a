// Data responses (RFC 9051 §7.2-§7.5, RFC 3501 §7): "* [number] NAME values...". Every input is
// fed split at every byte.
#include <gtest/gtest.h>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::list;
using test::literal;
using test::nil;
using test::number;
using test::parse_split_everywhere;
using test::quoted;

TEST(ImapData, Exists) {
  const Response r = parse_split_everywhere("* 3 EXISTS\r\n");
  EXPECT_EQ(r.kind, Response::Kind::untagged);
  EXPECT_FALSE(r.is_status());
  ASSERT_TRUE(r.number.has_value());
  EXPECT_EQ(*r.number, 3u);
  EXPECT_EQ(r.name, "EXISTS");
  EXPECT_TRUE(r.data.empty());
  EXPECT_EQ(r.items(), (std::vector<Value>{number("3"), atom("EXISTS")}));
}

TEST(ImapData, RecentExpungeAndLowerCaseName) {
  EXPECT_EQ(parse_split_everywhere("* 0 RECENT\r\n").name, "RECENT");
  const Response r = parse_split_everywhere("* 44 expunge\r\n");
  EXPECT_EQ(r.name, "EXPUNGE");
  EXPECT_EQ(*r.number, 44u);
}

TEST(ImapData, LargestMessageNumber) {
  const Response r = parse_split_everywhere("* 18446744073709551615 EXISTS\r\n");
  EXPECT_EQ(*r.number, 18446744073709551615u);
}

TEST(ImapData, Capability) {
  const Response r = parse_split_everywhere(
      "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=SCRAM-SHA-256\r\n");
  EXPECT_EQ(r.name, "CAPABILITY");
  ASSERT_EQ(r.data.size(), 9u);
  EXPECT_EQ(r.data[0], atom("IMAP4rev1"));
  EXPECT_EQ(r.data[6], atom("LITERAL+"));
  EXPECT_EQ(r.data[8], atom("AUTH=SCRAM-SHA-256"));
}

TEST(ImapData, Flags) {
  const Response r = parse_split_everywhere("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)\r\n");
  EXPECT_EQ(r.name, "FLAGS");
  ASSERT_EQ(r.data.size(), 1u);
  EXPECT_EQ(r.data[0], list({atom("\\Answered"), atom("\\Flagged"), atom("\\Deleted"), atom("\\Seen"),
                             atom("\\Draft"), atom("$Forwarded"), atom("\\*")}));
}

TEST(ImapData, List) {
  Response r = parse_split_everywhere("* LIST (\\HasNoChildren) \"/\" INBOX\r\n");
  EXPECT_EQ(r.name, "LIST");
  EXPECT_EQ(r.data, (std::vector<Value>{list({atom("\\HasNoChildren")}), quoted("/"), atom("INBOX")}));
  r = parse_split_everywhere("* LIST () NIL \"Sent Items\"\r\n");
  EXPECT_EQ(r.data, (std::vector<Value>{list({}), nil(), quoted("Sent Items")}));
  // ASTRING-CHAR includes "]" outside a response code.
  r = parse_split_everywhere("* LIST () \"/\" foo]bar\r\n");
  EXPECT_EQ(r.data[2], atom("foo]bar"));
}

TEST(ImapData, Status) {
  const Response r = parse_split_everywhere("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n");
  EXPECT_EQ(r.name, "STATUS");
  EXPECT_EQ(r.data, (std::vector<Value>{atom("blurdybloop"), list({atom("MESSAGES"), number("231"), atom("UIDNEXT"),
                                                                     number("44292")})}));
}

TEST(ImapData, Esearch) {
  const Response r = parse_split_everywhere("* ESEARCH (TAG \"a\") UID MIN 1 ALL 1:3\r\n");
  EXPECT_EQ(r.name, "ESEARCH");
  EXPECT_EQ(r.data, (std::vector<Value>{list({atom("TAG"), quoted("a")}), atom("UID"), atom("MIN"), number("1"),
                                        atom("ALL"), atom("1:3")}));
}

TEST(ImapData, SearchWithAndWithoutResults) {
  EXPECT_TRUE(parse_split_everywhere("* SEARCH\r\n").data.empty());
  EXPECT_EQ(parse_split_everywhere("* SEARCH 2 84 882\r\n").data.size(), 3u);
  EXPECT_EQ(parse_split_everywhere("* SEARCH 2 \r\n").data.size(), 1u);  // trailing SP tolerated
}

TEST(ImapData, EnabledVanishedNamespaceId) {
  Response r = parse_split_everywhere("* ENABLED CONDSTORE QRESYNC\r\n");
  EXPECT_EQ(r.data, (std::vector<Value>{atom("CONDSTORE"), atom("QRESYNC")}));
  r = parse_split_everywhere("* VANISHED (EARLIER) 1:3\r\n");
  EXPECT_EQ(r.name, "VANISHED");
  EXPECT_EQ(r.data, (std::vector<Value>{list({atom("EARLIER")}), atom("1:3")}));
  r = parse_split_everywhere("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  EXPECT_EQ(r.data, (std::vector<Value>{list({list({quoted(""), quoted("/")})}), nil(), nil()}));
  r = parse_split_everywhere("* ID (\"name\" \"Dovecot\")\r\n");
  EXPECT_EQ(r.data, (std::vector<Value>{list({quoted("name"), quoted("Dovecot")})}));
}

TEST(ImapData, UnknownNameIsData) {
  const Response r = parse_split_everywhere("* XFOO bar (1 2)\r\n");
  EXPECT_EQ(r.name, "XFOO");
  EXPECT_FALSE(r.is_status());
  EXPECT_EQ(r.data, (std::vector<Value>{atom("bar"), list({number("1"), number("2")})}));
}

TEST(ImapData, FetchFlagsUidModseq) {
  const Response r = parse_split_everywhere("* 12 FETCH (FLAGS (\\Seen) UID 4827313 MODSEQ (65402))\r\n");
  EXPECT_EQ(*r.number, 12u);
  EXPECT_EQ(r.name, "FETCH");
  ASSERT_EQ(r.data.size(), 1u);
  EXPECT_EQ(r.data[0], list({atom("FLAGS"), list({atom("\\Seen")}), atom("UID"), number("4827313"), atom("MODSEQ"),
                             list({number("65402")})}));
}

TEST(ImapData, FetchSectionWithLiteral) {
  const std::string wire =
      "* 12 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (FROM)] {22}\r\n"
      "From: alice@lab.test\r\n"
      ")\r\n";
  const Response r = parse_split_everywhere(wire);
  ASSERT_EQ(r.data.size(), 1u);
  ASSERT_EQ(r.data[0].items.size(), 4u);
  EXPECT_EQ(r.data[0].items[2], atom("BODY[HEADER.FIELDS (FROM)]"));
  EXPECT_EQ(r.data[0].items[3], literal("From: alice@lab.test\r\n"));
  EXPECT_EQ(r.literal_octets, 22u);
}

TEST(ImapData, SectionsAndPartials) {
  const Response r = parse_split_everywhere(
      "* 1 FETCH (BODY[HEADER.FIELDS (FROM TO)]<0> \"x\" BODY[1.2]<0.10> \"y\" BINARY.SIZE[1] 5 "
      "BODY[HEADER.FIELDS.NOT (\"X-A]\" {2}\r\nXY)] NIL BODY[] \"\")\r\n");
  const auto& items = r.data[0].items;
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[0], atom("BODY[HEADER.FIELDS (FROM TO)]<0>"));
  EXPECT_EQ(items[2], atom("BODY[1.2]<0.10>"));
  EXPECT_EQ(items[4], atom("BINARY.SIZE[1]"));
  EXPECT_EQ(items[5], number("5"));
  // The section is kept as sent, quotes and literal included.
  EXPECT_EQ(items[6], atom("BODY[HEADER.FIELDS.NOT (\"X-A]\" {2}\r\nXY)]"));
  EXPECT_EQ(items[7], test::nil());
  EXPECT_EQ(items[8], atom("BODY[]"));
  EXPECT_EQ(items[9], quoted(""));
  EXPECT_EQ(r.literal_octets, 2u);
}

TEST(ImapData, BodystructureListsMayTouch) {
  const Response r = parse_split_everywhere(
      "* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1 NIL NIL NIL NIL)"
      "(\"text\" \"html\" NIL NIL NIL \"7bit\" 12 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1\") NIL NIL NIL))\r\n");
  const auto& bs = r.data[0].items[1];
  ASSERT_EQ(bs.kind, Value::Kind::list);
  ASSERT_EQ(bs.items.size(), 7u);
  EXPECT_EQ(bs.items[0].items[1], quoted("plain"));
  EXPECT_EQ(bs.items[1].items[1], quoted("html"));
  EXPECT_EQ(bs.items[2], quoted("alternative"));
}

TEST(ImapData, EnvelopeWithUtf8QuotedAndEscapes) {
  const Response r = parse_split_everywhere(
      "* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"caf\xC3\xA9 \\\"quoted\\\" back\\\\slash\" "
      "((\"Alice\" NIL \"alice\" \"lab.test\")) NIL NIL NIL NIL NIL NIL \"<id@lab>\"))\r\n");
  const auto& env = r.data[0].items[1];
  ASSERT_EQ(env.items.size(), 10u);
  EXPECT_EQ(env.items[1], quoted("caf\xC3\xA9 \"quoted\" back\\slash"));
  EXPECT_EQ(env.items[2], list({list({quoted("Alice"), nil(), quoted("alice"), quoted("lab.test")})}));
}

TEST(ImapData, EightBitAtoms) {
  const Response r = parse_split_everywhere("* LIST () \"/\" Envoy\xC3\xA9s\r\n");
  EXPECT_EQ(r.data[2], atom("Envoy\xC3\xA9s"));
}

TEST(ImapData, ItemsOfADataResponse) {
  const Response r = parse_split_everywhere("* 5 FETCH (UID 9)\r\n");
  EXPECT_EQ(r.items(), (std::vector<Value>{number("5"), atom("FETCH"), list({atom("UID"), number("9")})}));
}

TEST(ImapData, TwoResponsesBackToBack) {
  const std::string first = "* 3 EXISTS\r\n";
  const std::string wire = first + "* 0 RECENT\r\nA1 OK done\r\n";
  const ParseResult r = parse_response(wire);
  ASSERT_EQ(r.status, ParseStatus::complete) << r.error;
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_EQ(r.response.name, "EXISTS");
  const ParseResult second = parse_response(std::string_view(wire).substr(r.consumed));
  EXPECT_EQ(second.response.name, "RECENT");
  // A literal's CRLF does not end the response early, even when another follows.
  const std::string lit = "* 1 FETCH (BODY[] {5}\r\nA1 OK)\r\n";
  const ParseResult l = parse_response(lit + "A1 OK done\r\n");
  ASSERT_EQ(l.status, ParseStatus::complete);
  EXPECT_EQ(l.consumed, lit.size());
}

}  // namespace
}  // namespace facteur::imap
