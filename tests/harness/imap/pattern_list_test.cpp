// match: list directives ($!unordered, $!extra, $!ordered, $!noextra), the FETCH list by key,
// status patterns, backtracking, and the work cap.
#include <gtest/gtest.h>

#include <string>

#include "harness/imap/pattern.hpp"
#include "tests/harness/imap/pattern_test_support.hpp"

namespace facteur::imap {
namespace {

using test::try_match;

TEST(ImapPatternList, InOrderByDefault) {
  EXPECT_TRUE(try_match("* FLAGS (\\Seen \\Flagged)", "* FLAGS (\\Seen \\Flagged)\r\n").ok);
  EXPECT_EQ(try_match("* FLAGS (\\Seen \\Flagged)", "* FLAGS (\\Flagged \\Seen)\r\n").why,
            "item 2.1: expected \\Seen, found \\Flagged");
  EXPECT_EQ(try_match("* FLAGS (\\Seen)", "* FLAGS (\\Seen \\Draft)\r\n").why, "item 2.2: unexpected \\Draft");
  EXPECT_TRUE(try_match("* FLAGS ($!ordered $!noextra \\Seen)", "* FLAGS (\\Seen)\r\n").ok);
}

TEST(ImapPatternList, Unordered) {
  EXPECT_TRUE(try_match("* FLAGS ($!unordered \\Seen \\Flagged)", "* FLAGS (\\Flagged \\Seen)\r\n").ok);
  EXPECT_EQ(try_match("* FLAGS ($!unordered \\Seen \\Flagged)", "* FLAGS (\\Flagged \\Seen \\Draft)\r\n").why,
            "item 2: expected 2 items, found 3");
  EXPECT_EQ(try_match("* FLAGS ($!unordered \\Seen \\Flagged)", "* FLAGS (\\Flagged \\Draft)\r\n").why,
            "item 2: no item matches \\Seen");
  // Distinct items: one \Seen cannot satisfy two.
  EXPECT_FALSE(try_match("* FLAGS ($!unordered \\Seen \\Seen)", "* FLAGS (\\Seen \\Draft)\r\n").ok);
}

TEST(ImapPatternList, UnorderedWithExtra) {
  EXPECT_TRUE(try_match("* FLAGS ($!unordered $!extra \\Seen)", "* FLAGS (\\Draft \\Seen \\Recent)\r\n").ok);
  EXPECT_TRUE(try_match("* FLAGS ($!unordered \\Seen $*)", "* FLAGS (\\Draft \\Seen)\r\n").ok);
  EXPECT_EQ(try_match("* FLAGS ($!unordered $!extra \\Seen \\Deleted)", "* FLAGS (\\Seen)\r\n").why,
            "item 2: expected at least 2 items, found 1");
}

TEST(ImapPatternList, OrderedWithExtraIsASubsequence) {
  EXPECT_TRUE(try_match("* X ($!extra a c)", "* X (a b c d)\r\n").ok);
  EXPECT_EQ(try_match("* X ($!extra c a)", "* X (a b c d)\r\n").why, "item 2: no item matches a in order");
}

TEST(ImapPatternList, BacktrackingUndoesTentativeBindings) {
  // Greedy would bind $x to 1 and then fail on the second $x; the search tries 2.
  Bindings vars;
  EXPECT_TRUE(try_match("* X ($!unordered $!extra $x $x)", "* X (1 2 2)\r\n", vars).ok);
  EXPECT_EQ(vars.at("x"), "2");
  vars.clear();
  EXPECT_TRUE(try_match("* X ($!extra $y $y)", "* X (1 2 2)\r\n", vars).ok);
  EXPECT_EQ(vars.at("y"), "2");
  // Wildcards before a fixed item: the fixed one must not be taken by $.
  EXPECT_TRUE(try_match("* X ($!unordered $ b)", "* X (b a)\r\n").ok);
}

TEST(ImapPatternList, FetchListByKeyWithExtrasAllowed) {
  const std::string wire = "* 12 FETCH (UID 4827 FLAGS (\\Flagged \\Seen) MODSEQ (9) RFC822.SIZE 44827)\r\n";
  Bindings vars;
  EXPECT_TRUE(try_match("* $ FETCH (FLAGS ($!unordered \\Seen \\Flagged) UID $uid)", wire, vars).ok);
  EXPECT_EQ(vars.at("uid"), "4827");
  EXPECT_TRUE(try_match("* 12 fetch (rfc822.size 44827)", wire).ok);
  EXPECT_EQ(try_match("* $ FETCH (INTERNALDATE $d)", wire).why, "FETCH: no INTERNALDATE item");
  EXPECT_EQ(try_match("* $ FETCH (UID 1)", wire).why, "FETCH UID: expected 1, found 4827");
  EXPECT_EQ(try_match("* $ FETCH ($!noextra UID $ FLAGS $)", wire).why, "FETCH: unexpected MODSEQ item");
  EXPECT_TRUE(try_match("* $ FETCH ($!noextra UID $ FLAGS $ MODSEQ $ RFC822.SIZE $)", wire).ok);
  EXPECT_EQ(try_match("* $ FETCH ($!ordered UID $)", wire).why, "item 3.3: unexpected FLAGS");
}

TEST(ImapPatternList, FetchSectionKeys) {
  const std::string wire = "* 1 FETCH (BODY[HEADER.FIELDS (FROM)] {6}\r\nHello! BODY[]<0> \"ab\")\r\n";
  EXPECT_TRUE(try_match("* $ FETCH (body[]<0> \"ab\" BODY[HEADER.FIELDS (FROM)] \"Hello!\")", wire).ok);
}

TEST(ImapPatternList, StatusComparesStatusAndCodeOnly) {
  EXPECT_TRUE(try_match("OK", "A1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n").ok);
  EXPECT_TRUE(try_match("OK [READ-WRITE] any text here", "A1 OK [READ-WRITE] done\r\n").ok);
  EXPECT_EQ(try_match("OK [READ-ONLY]", "A1 OK [READ-WRITE] done\r\n").why,
            "code [READ-WRITE]: item 1: expected READ-ONLY, found READ-WRITE");
  EXPECT_EQ(try_match("OK [READ-ONLY]", "A1 OK done\r\n").why, "no response code, expected [READ-ONLY]");
  Bindings vars;
  EXPECT_TRUE(try_match("OK [APPENDUID $v $uid]", "A3 OK [APPENDUID 38505 3955] APPEND completed\r\n", vars).ok);
  EXPECT_EQ(vars, (Bindings{{"uid", "3955"}, {"v", "38505"}}));
  EXPECT_TRUE(try_match("* OK [CAPABILITY IMAP4rev1 $*]", "* OK [CAPABILITY IMAP4rev1 IDLE] hi\r\n").ok);
  EXPECT_TRUE(try_match("* BYE", "* BYE Logging out\r\n").ok);
  EXPECT_TRUE(try_match("$s", "A1 NO [TRYCREATE] no\r\n").ok);
  EXPECT_EQ(try_match("* NO", "* OK fine\r\n").why, "expected NO, found OK");
}

TEST(ImapPatternList, Continuation) {
  EXPECT_TRUE(try_match("+", "+ Ready\r\n").ok);
  EXPECT_TRUE(try_match("+ anything", "+\r\n").ok);
  EXPECT_EQ(try_match("+", "* OK x\r\n").why, "expected a continuation response, found an untagged");
}

TEST(ImapPatternList, ThousandItemListsStayBounded) {
  std::string wire = "* SEARCH";
  std::string wild = "* X ($!unordered";
  std::string items;
  for (int i = 1; i <= 1000; ++i) {
    items += " " + std::to_string(i);
    wild += " $";
  }
  // Reverse order, all distinct: greedy with distinct items stays well under the cap.
  std::string reversed = "* X ($!unordered";
  for (int i = 1000; i >= 1; --i) reversed += " " + std::to_string(i);
  EXPECT_TRUE(try_match(reversed + ")", "* X (" + items.substr(1) + ")\r\n").ok);
  // 1000 wildcards and one item no response item matches: the search gives up, it does not hang.
  const MatchOutcome m = try_match(wild + " none)", "* X (" + items.substr(1) + " 1001)\r\n");
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.why.find("too many combinations"), std::string::npos) << m.why;
}

}  // namespace
}  // namespace facteur::imap
