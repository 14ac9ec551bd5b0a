// Status responses (RFC 9051 §7.1): tagged and untagged OK/NO/BAD, PREAUTH, BYE, response codes,
// and continuation requests (§7.5). Every input is fed split at every byte.
#include <gtest/gtest.h>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::list;
using test::number;
using test::parse_split_everywhere;
using test::quoted;

TEST(ImapStatus, TaggedOkWithCode) {
  const Response r = parse_split_everywhere("A1 OK [READ-WRITE] done\r\n");
  EXPECT_EQ(r.kind, Response::Kind::tagged);
  EXPECT_EQ(r.tag, "A1");
  EXPECT_EQ(r.status, "OK");
  EXPECT_EQ(r.name, "OK");
  EXPECT_TRUE(r.is_status());
  EXPECT_EQ(r.code, "READ-WRITE");
  EXPECT_TRUE(r.code_args.empty());
  EXPECT_EQ(r.text, "done");
  EXPECT_FALSE(r.number.has_value());
  EXPECT_TRUE(r.data.empty());
}

TEST(ImapStatus, TaggedNoAndBadWithoutCode) {
  Response r = parse_split_everywhere("a002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  EXPECT_EQ(r.status, "NO");
  EXPECT_EQ(r.code, "AUTHENTICATIONFAILED");
  EXPECT_EQ(r.text, "Authentication failed.");
  r = parse_split_everywhere("x.1 BAD Error in IMAP command: Unknown command.\r\n");
  EXPECT_EQ(r.tag, "x.1");
  EXPECT_EQ(r.status, "BAD");
  EXPECT_EQ(r.code, "");
  EXPECT_EQ(r.text, "Error in IMAP command: Unknown command.");
}

TEST(ImapStatus, StatusWordIsCaseInsensitiveAndUpperCased) {
  const Response r = parse_split_everywhere("A1 ok [read-only] fine\r\n");
  EXPECT_EQ(r.status, "OK");
  EXPECT_EQ(r.code, "READ-ONLY");
}

TEST(ImapStatus, NoTextAtAll) {
  Response r = parse_split_everywhere("A1 OK\r\n");
  EXPECT_EQ(r.status, "OK");
  EXPECT_EQ(r.text, "");
  r = parse_split_everywhere("A1 OK \r\n");
  EXPECT_EQ(r.text, "");
  r = parse_split_everywhere("* OK [ALERT]\r\n");
  EXPECT_EQ(r.code, "ALERT");
  EXPECT_EQ(r.text, "");
}

TEST(ImapStatus, TextIsNotTokenised) {
  // Unbalanced quotes, brackets, parens and a literal-looking tail are all plain text.
  const Response r = parse_split_everywhere("A7 NO [CANNOT] it \"broke] (badly {3}\r\n");
  EXPECT_EQ(r.code, "CANNOT");
  EXPECT_EQ(r.text, "it \"broke] (badly {3}");
  EXPECT_EQ(r.literal_octets, 0u);
}

TEST(ImapStatus, UntaggedOkWithUidValidity) {
  const Response r = parse_split_everywhere("* OK [UIDVALIDITY 17] x\r\n");
  EXPECT_EQ(r.kind, Response::Kind::untagged);
  EXPECT_EQ(r.tag, "");
  EXPECT_EQ(r.status, "OK");
  EXPECT_EQ(r.code, "UIDVALIDITY");
  ASSERT_EQ(r.code_args.size(), 1u);
  EXPECT_EQ(r.code_args[0], number("17"));
  EXPECT_EQ(r.text, "x");
}

TEST(ImapStatus, CodesWithArguments) {
  Response r = parse_split_everywhere("* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.\r\n");
  EXPECT_EQ(r.code, "PERMANENTFLAGS");
  ASSERT_EQ(r.code_args.size(), 1u);
  EXPECT_EQ(r.code_args[0], list({atom("\\Answered"), atom("\\Seen"), atom("\\*")}));

  r = parse_split_everywhere("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE AUTH=PLAIN] ready\r\n");
  EXPECT_EQ(r.code, "CAPABILITY");
  ASSERT_EQ(r.code_args.size(), 7u);
  EXPECT_EQ(r.code_args[0], atom("IMAP4rev1"));
  EXPECT_EQ(r.code_args[6], atom("AUTH=PLAIN"));

  r = parse_split_everywhere("A3 OK [APPENDUID 38505 3955] APPEND completed\r\n");
  EXPECT_EQ(r.code, "APPENDUID");
  EXPECT_EQ(r.code_args, (std::vector<Value>{number("38505"), number("3955")}));

  // RFC 4315: a uid-set such as 304,319:320 is one atom.
  r = parse_split_everywhere("A4 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
  EXPECT_EQ(r.code, "COPYUID");
  EXPECT_EQ(r.code_args, (std::vector<Value>{number("38505"), atom("304,319:320"), atom("3956:3958")}));

  r = parse_split_everywhere("* NO [BADCHARSET (UTF-8 \"X-1\")] no\r\n");
  EXPECT_EQ(r.code_args, (std::vector<Value>{list({atom("UTF-8"), quoted("X-1")})}));
}

TEST(ImapStatus, OddCodesFallBackToRawText) {
  // Unbalanced quote inside the code: code name + the raw text as one atom, text after the "]".
  Response r = parse_split_everywhere("* OK [XWEIRD \"half] rest\r\n");
  EXPECT_EQ(r.code, "XWEIRD");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("\"half")}));
  EXPECT_EQ(r.text, "rest");

  // Unbalanced paren.
  r = parse_split_everywhere("A1 OK [X-ODD (a b] text\r\n");
  EXPECT_EQ(r.code, "X-ODD");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("(a b")}));
  EXPECT_EQ(r.text, "text");

  // A literal is not allowed inside a code.
  r = parse_split_everywhere("* OK [X {3}] text\r\n");
  EXPECT_EQ(r.code, "X");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("{3}")}));

  // Name glued to something else.
  r = parse_split_everywhere("* OK [X(1)] t\r\n");
  EXPECT_EQ(r.code, "X");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("(1)")}));

  // Gmail-style URL argument tokenises as an atom.
  r = parse_split_everywhere("* NO [WEBALERT https://accounts.example/x?a=b&c=d] Web login required.\r\n");
  EXPECT_EQ(r.code, "WEBALERT");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("https://accounts.example/x?a=b&c=d")}));
}

TEST(ImapStatus, UnclosedBracketIsText) {
  Response r = parse_split_everywhere("* OK [ALERT the rest\r\n");
  EXPECT_EQ(r.code, "");
  EXPECT_EQ(r.text, "[ALERT the rest");
  r = parse_split_everywhere("* OK [] empty\r\n");
  EXPECT_EQ(r.code, "");
  EXPECT_EQ(r.text, "[] empty");
}

TEST(ImapStatus, CodeDepthOrValueLimitFallsBack) {
  Limits limits;
  limits.max_depth = 1;
  const Response r = parse_split_everywhere("* OK [X ((a))] t\r\n", limits);
  EXPECT_EQ(r.code, "X");
  EXPECT_EQ(r.code_args, (std::vector<Value>{atom("((a))")}));
}

TEST(ImapStatus, PreauthAndBye) {
  Response r = parse_split_everywhere("* PREAUTH [CAPABILITY IMAP4rev2] Logged in as alice\r\n");
  EXPECT_EQ(r.status, "PREAUTH");
  EXPECT_EQ(r.code, "CAPABILITY");
  EXPECT_EQ(r.text, "Logged in as alice");
  r = parse_split_everywhere("* BYE Logging out\r\n");
  EXPECT_EQ(r.status, "BYE");
  EXPECT_EQ(r.name, "BYE");
  EXPECT_EQ(r.text, "Logging out");
}

TEST(ImapStatus, EightBitText) {
  const Response r = parse_split_everywhere("* OK Bienvenue \xC3\xA0 Dovecot\r\n");
  EXPECT_EQ(r.text, "Bienvenue \xC3\xA0 Dovecot");
}

TEST(ImapStatus, Continuations) {
  Response r = parse_split_everywhere("+ Ready for literal data\r\n");
  EXPECT_EQ(r.kind, Response::Kind::continuation);
  EXPECT_EQ(r.text, "Ready for literal data");
  EXPECT_FALSE(r.is_status());

  r = parse_split_everywhere("+ PDw4OTk2MjIuMTQxMjA3QGxhYi50ZXN0Pg==\r\n");
  EXPECT_EQ(r.text, "PDw4OTk2MjIuMTQxMjA3QGxhYi50ZXN0Pg==");

  r = parse_split_everywhere("+ \r\n");  // an empty SASL challenge
  EXPECT_EQ(r.text, "");

  r = parse_split_everywhere("+\r\n");  // tolerated: no SP at all
  EXPECT_EQ(r.kind, Response::Kind::continuation);
  EXPECT_EQ(r.text, "");

  r = parse_split_everywhere("+idling\r\n");  // tolerated: no SP before the text
  EXPECT_EQ(r.text, "idling");

  r = parse_split_everywhere("+ [ALERT] go ahead\r\n");
  EXPECT_EQ(r.code, "ALERT");
  EXPECT_EQ(r.text, "go ahead");
}

TEST(ImapStatus, ItemsOfAStatusResponse) {
  const Response r = parse_split_everywhere("* OK [UIDNEXT 44] Predicted next UID\r\n");
  EXPECT_EQ(r.items(), (std::vector<Value>{atom("OK"), list({atom("UIDNEXT"), number("44")}, '[')}));
}

}  // namespace
}  // namespace facteur::imap
