// match: $variables (binding, rebinding checks, no leak on failure), $ and $*, comparison rules
// for atoms, numbers, strings, NIL, and the mismatch messages.
#include <gtest/gtest.h>

#include "harness/imap/pattern.hpp"
#include "tests/harness/imap/pattern_test_support.hpp"

namespace facteur::imap {
namespace {

using test::try_match;

TEST(ImapPatternBind, BindsOnFirstSight) {
  Bindings vars;
  EXPECT_TRUE(try_match("* $n EXISTS", "* 3 EXISTS\r\n", vars).ok);
  EXPECT_EQ(vars, (Bindings{{"n", "3"}}));
  EXPECT_TRUE(try_match("* OK [UIDVALIDITY $uidvalidity]", "* OK [UIDVALIDITY 1700000001] UIDs valid\r\n", vars).ok);
  EXPECT_EQ(vars.at("uidvalidity"), "1700000001");
}

TEST(ImapPatternBind, BoundValueMustBeEqual) {
  Bindings vars{{"uid", "7"}};
  const MatchOutcome m = try_match("* $ FETCH (UID $uid)", "* 1 FETCH (UID 9)\r\n", vars);
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.why, "FETCH UID: $uid is 7, found 9");
  EXPECT_TRUE(try_match("* $ FETCH (UID $uid)", "* 1 FETCH (UID 7)\r\n", vars).ok);
}

TEST(ImapPatternBind, SameVariableTwiceInOnePattern) {
  EXPECT_TRUE(try_match("* SEARCH $a $a", "* SEARCH 4 4\r\n").ok);
  const MatchOutcome m = try_match("* SEARCH $a $a", "* SEARCH 4 5\r\n");
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.why, "item 3: $a is 4, found 5");
}

TEST(ImapPatternBind, WhatAVariableBindsTo) {
  Bindings vars;
  ASSERT_TRUE(try_match("* LIST $flags $sep $name", "* LIST (\\HasNoChildren \\Sent) NIL \"Sent Items\"\r\n", vars).ok);
  EXPECT_EQ(vars.at("flags"), "(\\HasNoChildren \\Sent)");
  EXPECT_EQ(vars.at("sep"), "NIL");
  EXPECT_EQ(vars.at("name"), "Sent Items");
  ASSERT_TRUE(try_match("* $ FETCH (BODY[] $body)", "* 1 FETCH (BODY[] {4}\r\nab\r\n)\r\n", vars).ok);
  EXPECT_EQ(vars.at("body"), "ab\r\n");
}

TEST(ImapPatternBind, BoundAtomsCompareIgnoringCaseStringsExactly) {
  Bindings vars{{"mbox", "inbox"}, {"s", "Sent"}};
  EXPECT_TRUE(try_match("* LIST () $ $mbox", "* LIST () \"/\" INBOX\r\n", vars).ok);
  EXPECT_FALSE(try_match("* LIST () $ $s", "* LIST () \"/\" \"SENT\"\r\n", vars).ok);
  EXPECT_TRUE(try_match("* LIST () $ $s", "* LIST () \"/\" \"Sent\"\r\n", vars).ok);
}

TEST(ImapPatternBind, NoBindingLeaksFromAFailedMatch) {
  Bindings vars{{"keep", "1"}};
  // $n would bind to 3 before the name fails to match.
  EXPECT_FALSE(try_match("* $n RECENT", "* 3 EXISTS\r\n", vars).ok);
  EXPECT_EQ(vars, (Bindings{{"keep", "1"}}));
  EXPECT_FALSE(try_match("* $ FETCH (UID $u FLAGS (\\Deleted))", "* 1 FETCH (UID 5 FLAGS (\\Seen))\r\n", vars).ok);
  EXPECT_EQ(vars.count("u"), 0u);
}

TEST(ImapPatternBind, ExistingBindingsAreNeverOverwritten) {
  Bindings vars{{"n", "3"}};
  EXPECT_TRUE(try_match("* $n EXISTS", "* 3 EXISTS\r\n", vars).ok);
  EXPECT_EQ(vars, (Bindings{{"n", "3"}}));
}

TEST(ImapPatternBind, AnyAndRest) {
  EXPECT_TRUE(try_match("* $ EXISTS", "* 12 EXISTS\r\n").ok);
  EXPECT_TRUE(try_match("* CAPABILITY IMAP4rev1 $*", "* CAPABILITY IMAP4rev1 IDLE ID\r\n").ok);
  EXPECT_TRUE(try_match("* CAPABILITY IMAP4rev1 $*", "* CAPABILITY IMAP4rev1\r\n").ok);
  EXPECT_TRUE(try_match("* FLAGS (\\Answered $*)", "* FLAGS (\\Answered \\Seen)\r\n").ok);
  const MatchOutcome m = try_match("* CAPABILITY IMAP4rev1", "* CAPABILITY IMAP4rev1 IDLE\r\n");
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.why, "item 3: unexpected IDLE");
}

TEST(ImapPatternBind, EscapedDollarIsALiteralAtom) {
  EXPECT_TRUE(try_match("* FLAGS ($$Forwarded)", "* FLAGS ($Forwarded)\r\n").ok);
  EXPECT_FALSE(try_match("* FLAGS ($$Forwarded)", "* FLAGS ($Junk)\r\n").ok);
  // Not a variable name: compared as itself.
  EXPECT_TRUE(try_match("* SEARCH $1:3", "* SEARCH $1:3\r\n").ok);
}

TEST(ImapPatternBind, ComparisonRules) {
  EXPECT_TRUE(try_match("* 3 exists", "* 3 EXISTS\r\n").ok);                          // atoms ignore case
  EXPECT_TRUE(try_match("* SEARCH 007", "* SEARCH 7\r\n").ok);                        // numbers by value
  EXPECT_TRUE(try_match("* LIST () \"/\" \"Box\"", "* LIST () \"/\" {3}\r\nBox\r\n").ok);  // quoted vs literal
  EXPECT_FALSE(try_match("* LIST () \"/\" \"box\"", "* LIST () \"/\" \"Box\"\r\n").ok);     // strings exact
  EXPECT_TRUE(try_match("* LIST () \"/\" Box", "* LIST () \"/\" \"Box\"\r\n").ok);          // astring: atom = string
  EXPECT_FALSE(try_match("* LIST () \"/\" box", "* LIST () \"/\" \"Box\"\r\n").ok);         // …with exactly its text
  EXPECT_FALSE(try_match("* LIST () \"/\" \"Box\"", "* LIST () \"/\" Box\r\n").ok);         // a string never an atom
  EXPECT_TRUE(try_match("* LIST () NIL INBOX", "* LIST () nil INBOX\r\n").ok);
  const MatchOutcome nil = try_match("* LIST () NIL INBOX", "* LIST () \"NIL\" INBOX\r\n");
  EXPECT_FALSE(nil.ok);
  EXPECT_EQ(nil.why, "item 3: expected NIL, found \"NIL\"");
  EXPECT_FALSE(try_match("* LIST () \"NIL\" INBOX", "* LIST () NIL INBOX\r\n").ok);
}

TEST(ImapPatternBind, MismatchMessages) {
  EXPECT_EQ(try_match("* $n EXISTS", "* 3 RECENT\r\n").why, "item 2: expected EXISTS, found RECENT");
  EXPECT_EQ(try_match("* 3 EXISTS", "* 4 EXISTS\r\n").why, "item 1: expected 3, found 4");
  EXPECT_EQ(try_match("* SEARCH 1 2", "* SEARCH 1\r\n").why, "item 3: missing, expected 2");
  EXPECT_EQ(try_match("* X (a (b c))", "* X (a (b d))\r\n").why, "item 2.2.2: expected c, found d");
  EXPECT_EQ(try_match("* 3 EXISTS", "A1 OK done\r\n").why, "expected an untagged response, found a tagged");
  EXPECT_EQ(try_match("OK", "A1 NO nope\r\n").why, "expected OK, found NO");
}

}  // namespace
}  // namespace facteur::imap
