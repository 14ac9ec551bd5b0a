// The selection state machine behind the per-mailbox rules: SELECT/EXAMINE, a failed SELECT
// (RFC 9051 §6.3.2), CLOSE/UNSELECT (§6.4.1-2), pipelining (§5.5) and how mailboxes are named.
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::Feed;
using test::fetch_uid;
using test::tagged;
using Selection = SessionInvariants::Selection;

TEST(InvariantsSelection, SelectOkSelectsTheMailbox) {
  SessionInvariants s;
  Feed f{s, {}};
  EXPECT_EQ(s.selection(), Selection::none);
  EXPECT_EQ(s.selected_mailbox(), "");
  f.command("A1", "SELECT INBOX (CONDSTORE)");
  EXPECT_EQ(s.selection(), Selection::selecting);
  EXPECT_EQ(s.selected_mailbox(), "");
  f.response(test::exists(3));
  f.response(test::uidvalidity(42));
  EXPECT_EQ(s.exists(), 3u);  // gathered during the command: belongs to INBOX
  f.response(tagged("A1", "OK", "READ-WRITE"));
  EXPECT_EQ(s.selection(), Selection::selected);
  EXPECT_EQ(s.selected_mailbox(), "INBOX");
  EXPECT_EQ(s.exists(), 3u);
  EXPECT_EQ(s.uidvalidity("INBOX"), 42u);
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSelection, ExamineSelectsToo) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "Archive", 2, 5, "EXAMINE");
  EXPECT_EQ(s.selected_mailbox(), "Archive");
  EXPECT_EQ(s.exists(), 2u);
}

TEST(InvariantsSelection, QuotedNamesAreUnescaped) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", R"("Sent \"Old\" Items")", 2, 5);
  EXPECT_EQ(s.selected_mailbox(), "Sent \"Old\" Items");
  EXPECT_EQ(s.uidvalidity("Sent \"Old\" Items"), 5u);
  f.select("A2", "&AMk-l&AOk-ments", 0, 6);  // modified UTF-7 is compared as sent
  EXPECT_EQ(s.selected_mailbox(), "&AMk-l&AOk-ments");
}

TEST(InvariantsSelection, LiteralNameSelectsAnUnnamedMailbox) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "{11}", 2, 5);
  EXPECT_EQ(s.selection(), Selection::selected);
  EXPECT_EQ(s.selected_mailbox(), "");
  EXPECT_EQ(s.exists(), 2u);
}

TEST(InvariantsSelection, FailedSelectDeselects) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.command("A2", "SELECT Nonexistent");
  f.response(tagged("A2", "NO", "NONEXISTENT"));
  EXPECT_EQ(s.selection(), Selection::none);
  EXPECT_EQ(s.selected_mailbox(), "");
  EXPECT_FALSE(s.exists());
  EXPECT_FALSE(f.response(fetch_uid(9, 1)));  // nothing selected: nothing to check against
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSelection, BadSelectKeepsThePreviousSelection) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {4, 7, 9});
  f.command("A3", "SELECT");
  f.response(tagged("A3", "BAD"));
  EXPECT_EQ(s.selection(), Selection::selected);
  EXPECT_EQ(s.selected_mailbox(), "INBOX");
  EXPECT_EQ(s.exists(), 3u);
  EXPECT_EQ(s.uid_at(2), 7u);
}

TEST(InvariantsSelection, ReselectResetsPerMailboxState) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {40, 70, 90});
  f.select("A3", "Other", 2, 2);
  EXPECT_EQ(s.exists(), 2u);
  EXPECT_FALSE(s.uid_at(1));
  EXPECT_FALSE(f.response(fetch_uid(2, 7)));  // below INBOX's UIDs: another mailbox, no conflict
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.uidvalidity("INBOX"), 1u);  // UIDVALIDITY history is kept
}

TEST(InvariantsSelection, CloseAndUnselectDeselect) {
  for (const char* command : {"CLOSE", "UNSELECT"}) {
    SessionInvariants s;
    Feed f{s, {}};
    f.select("A1", "INBOX", 3, 1);
    f.command("A2", command);
    EXPECT_EQ(s.selection(), Selection::selected);  // until the server says OK
    f.response(tagged("A2", "OK"));
    EXPECT_EQ(s.selection(), Selection::none) << command;
    EXPECT_FALSE(s.exists());
  }
}

TEST(InvariantsSelection, FailedCloseKeepsTheSelection) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.command("A2", "UNSELECT");
  f.response(tagged("A2", "BAD"));
  EXPECT_EQ(s.selection(), Selection::selected);
}

TEST(InvariantsSelection, PipelinedSelectWaitsForEarlierCommands) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "big", 5, 1);
  f.command("A2", "FETCH 1:5 (UID)");
  f.command("A3", "SELECT small");
  for (std::uint64_t seq = 1; seq <= 5; ++seq) f.response(fetch_uid(seq, seq * 10));  // still "big"
  f.response(tagged("A2", "OK"));
  EXPECT_EQ(s.selection(), Selection::selecting);
  f.response(test::exists(1));
  f.response(test::uidvalidity(2));
  f.response(tagged("A3", "OK"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.selected_mailbox(), "small");
  EXPECT_EQ(s.exists(), 1u);
  EXPECT_TRUE(f.response(fetch_uid(2, 1)));  // "small" holds one message
}

TEST(InvariantsSelection, UidPrefixedCommandsAreNotSelections) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.command("A2", "uid fetch 1:* (UID)");
  f.response(fetch_uid(1, 4));
  f.response(tagged("A2", "OK"));
  EXPECT_EQ(s.selected_mailbox(), "INBOX");
  EXPECT_EQ(s.uid_at(1), 4u);
}

TEST(InvariantsSelection, CommandsAreCaseInsensitive) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1, "select");
  EXPECT_EQ(s.selected_mailbox(), "INBOX");
  f.command("A2", "close");
  f.response(tagged("A2", "ok"));
  EXPECT_EQ(s.selection(), Selection::none);
}

}  // namespace
}  // namespace facteur::imap
