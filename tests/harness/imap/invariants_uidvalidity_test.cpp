// Rule imap.uidvalidity-stable (RFC 9051 §2.3.1.1) and the UidValidityBook shared across sessions.
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::expect_violation;
using test::Feed;
using test::literal;
using test::num;
using test::str;
using test::tagged;

constexpr std::string_view kRule = "imap.uidvalidity-stable";

TEST(InvariantsUidValidity, SameValueOnReselectAndStatusPasses) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1700000000);
  f.select("A2", "inbox", 3, 1700000000);  // INBOX is case-insensitive
  f.command("A3", "STATUS Inbox (UIDVALIDITY)");
  f.response(test::status(test::atom("INBOX"), {test::atom("UIDVALIDITY"), num(1700000000)}));
  f.response(tagged("A3", "OK"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.uidvalidity("inbox"), 1700000000u);
  EXPECT_EQ(s.uidvalidity_book().size(), 1u);
}

TEST(InvariantsUidValidity, ChangeOnReselectIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1700000000);
  f.command("A2", "SELECT INBOX");
  f.response(test::exists(3));
  expect_violation(f.response(test::uidvalidity(1700000001)), kRule,
                   "UIDVALIDITY of \"INBOX\" changed from 1700000000 to 1700000001 (SELECT) with no DELETE or "
                   "RENAME of it in between",
                   "UIDVALIDITY 1700000000", "UIDVALIDITY 1700000001");
  EXPECT_FALSE(f.response(tagged("A2", "OK")));
  EXPECT_EQ(s.uidvalidity("INBOX"), 1700000001u);  // the latest value is kept: reported once
  EXPECT_FALSE(f.response(test::uidvalidity(1700000001)));
}

TEST(InvariantsUidValidity, StatusChangeIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.response(test::status(str("Sent Items"), {test::atom("MESSAGES"), num(4), test::atom("UIDVALIDITY"), num(7)}));
  expect_violation(f.response(test::status(literal("Sent Items"), {test::atom("UIDVALIDITY"), num(8)})), kRule,
                   "UIDVALIDITY of \"Sent Items\" changed from 7 to 8 (STATUS) with no DELETE or RENAME of it in "
                   "between",
                   "UIDVALIDITY 7", "UIDVALIDITY 8");
}

TEST(InvariantsUidValidity, StatusAndSelectShareTheTable) {
  SessionInvariants s;
  Feed f{s, {}};
  f.response(test::status(test::atom("Archive"), {test::atom("UIDVALIDITY"), num(3)}));
  f.command("A1", "EXAMINE Archive");
  f.response(test::exists(0));
  const auto v = f.response(test::uidvalidity(4));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, kRule);
  EXPECT_EQ(v->message,
            "UIDVALIDITY of \"Archive\" changed from 3 to 4 (EXAMINE) with no DELETE or RENAME of it in between");
}

TEST(InvariantsUidValidity, NamesOtherThanInboxAreCaseSensitive) {
  SessionInvariants s;
  Feed f{s, {}};
  f.response(test::status(test::atom("Foo"), {test::atom("UIDVALIDITY"), num(1)}));
  f.response(test::status(test::atom("foo"), {test::atom("UIDVALIDITY"), num(2)}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsUidValidity, DeleteAllowsANewValue) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "Trash", 1, 10);
  f.command("A2", "CLOSE");
  f.response(tagged("A2", "OK"));
  f.command("A3", "DELETE Trash");
  f.response(tagged("A3", "OK"));
  EXPECT_FALSE(s.uidvalidity("Trash"));
  f.command("A4", "CREATE Trash");
  f.response(tagged("A4", "OK"));
  f.select("A5", "Trash", 0, 11);
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.uidvalidity("Trash"), 11u);
}

TEST(InvariantsUidValidity, FailedDeleteAllowsNothing) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "Trash", 1, 10);
  f.command("A2", "DELETE Trash");
  f.response(tagged("A2", "NO"));
  f.select("A3", "Trash", 1, 11);
  ASSERT_EQ(f.seen.size(), 1u);
  EXPECT_EQ(f.seen[0].rule, kRule);
}

TEST(InvariantsUidValidity, RenameAllowsNewValuesForBothNamesAndInferiors) {
  SessionInvariants s;
  Feed f{s, {}};
  for (const char* name : {"old", "old/sub", "new", "older"}) {
    f.response(test::status(str(name), {test::atom("UIDVALIDITY"), num(1)}));
  }
  f.command("A1", "RENAME \"old\" new");
  f.response(tagged("A1", "OK"));
  for (const char* name : {"old", "old/sub", "new"}) {
    EXPECT_FALSE(f.response(test::status(str(name), {test::atom("UIDVALIDITY"), num(2)}))) << name;
  }
  // "older" is not an inferior of "old": its UIDVALIDITY still binds.
  const auto v = f.response(test::status(str("older"), {test::atom("UIDVALIDITY"), num(2)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, kRule);
}

TEST(InvariantsUidValidity, MailboxNamedByALiteralIsNotTracked) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "{5}", 2, 9);  // the name's octets are not on the command line
  f.select("A2", "{5+}", 2, 10);
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.uidvalidity_book().size(), 0u);
}

TEST(InvariantsUidValidity, SessionsSharingABookBindEachOther) {
  UidValidityBook book;
  SessionInvariants first(&book);
  SessionInvariants second(&book);
  Feed a{first, {}};
  Feed b{second, {}};
  a.select("A1", "INBOX", 2, 100);
  b.command("B1", "SELECT INBOX");
  b.response(test::exists(2));
  expect_violation(b.response(test::uidvalidity(101)), kRule,
                   "UIDVALIDITY of \"INBOX\" changed from 100 to 101 (SELECT) with no DELETE or RENAME of it in "
                   "between",
                   "UIDVALIDITY 100", "UIDVALIDITY 101");
  EXPECT_EQ(first.uidvalidity("INBOX"), 101u);
}

TEST(InvariantsUidValidity, DeleteInOneSessionFreesTheNameForAll) {
  UidValidityBook book;
  SessionInvariants first(&book);
  SessionInvariants second(&book);
  Feed a{first, {}};
  Feed b{second, {}};
  a.select("A1", "Drafts", 2, 100);
  b.command("B1", "DELETE Drafts");
  b.response(tagged("B1", "OK"));
  b.command("B2", "CREATE Drafts");
  b.response(tagged("B2", "OK"));
  a.select("A2", "Drafts", 0, 200);
  EXPECT_TRUE(a.seen.empty());
  EXPECT_TRUE(b.seen.empty());
}

TEST(InvariantsUidValidity, SessionsHaveTheirOwnBookByDefault) {
  SessionInvariants first;
  SessionInvariants second;
  Feed a{first, {}};
  Feed b{second, {}};
  a.select("A1", "INBOX", 2, 100);
  b.select("B1", "INBOX", 2, 101);
  EXPECT_TRUE(a.seen.empty());
  EXPECT_TRUE(b.seen.empty());
  EXPECT_EQ(first.uidvalidity("INBOX"), 100u);
  EXPECT_EQ(second.uidvalidity("INBOX"), 101u);
}

TEST(InvariantsUidValidity, BookCapsTheNamesItRecords) {
  UidValidityBook book(2);
  EXPECT_FALSE(book.see("a", 1));
  EXPECT_FALSE(book.see("b", 1));
  EXPECT_FALSE(book.see("c", 1));
  EXPECT_EQ(book.size(), 2u);
  EXPECT_FALSE(book.find("c"));
  ASSERT_TRUE(book.see("a", 2));
  EXPECT_EQ(book.see("b", 3)->before, 1u);
}

}  // namespace
}  // namespace facteur::imap
