// Rules imap.uid-ascending, imap.uid-stable and imap.uid-range (RFC 9051 §2.3.1.1-2), with the
// renumbering EXPUNGE (RFC 9051 §7.5.1) and VANISHED (RFC 7162 §3.2.10) cause.
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::expect_violation;
using test::Feed;
using test::fetch_uid;
using test::num;
using test::tagged;

TEST(InvariantsUidOrder, AscendingUidsPass) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {4, 7, 9});
  f.fetch_uids("A3", {4, 7, 9});  // the same again: nothing changed
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.uid_at(1), 4u);
  EXPECT_EQ(s.uid_at(2), 7u);
  EXPECT_EQ(s.uid_at(3), 9u);
  EXPECT_FALSE(s.uid_at(4));
}

TEST(InvariantsUidOrder, LowerUidAtHigherSeqIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.command("A2", "FETCH 1:2 (UID)");
  f.response(fetch_uid(1, 9));
  expect_violation(f.response(fetch_uid(2, 7)), "imap.uid-ascending", "UID 7 at seq 2 is not above UID 9 at seq 1",
                   "UID >= 10", "UID 7");
  EXPECT_EQ(s.uid_at(2), 7u);  // the server's latest word wins; the contradicted UID is forgotten
  EXPECT_FALSE(s.uid_at(1));
}

TEST(InvariantsUidOrder, HigherUidAtLowerSeqIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch_uid(2, 7));
  expect_violation(f.response(fetch_uid(1, 9)), "imap.uid-ascending", "UID 9 at seq 1 is not below UID 7 at seq 2",
                   "UID <= 6", "UID 9");
}

TEST(InvariantsUidOrder, EqualUidsAtTwoSeqsAreReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch_uid(1, 5));
  const auto v = f.response(fetch_uid(3, 5));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "UID 5 at seq 3 is not above UID 5 at seq 1");
}

TEST(InvariantsUidOrder, NoRoomForTheMessagesBetweenIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch_uid(1, 5));
  expect_violation(f.response(fetch_uid(3, 6)), "imap.uid-ascending",
                   "UID 6 at seq 3 leaves no room for the 1 message between it and UID 5 at seq 1", "UID >= 7",
                   "UID 6");
}

TEST(InvariantsUidOrder, NoRoomBelowTheFirstKnownUidIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 9, 1);
  expect_violation(f.response(fetch_uid(5, 2)), "imap.uid-ascending",
                   "UID 2 at seq 5 leaves no room for the 4 messages before it (UIDs start at 1)", "UID >= 5", "UID 2");
  EXPECT_FALSE(s.uid_at(5));  // cannot hold: not kept
}

TEST(InvariantsUidOrder, ChangedUidIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {4, 7, 9});
  expect_violation(f.response(fetch_uid(2, 8)), "imap.uid-stable",
                   "UID of seq 2 changed from 7 to 8 with no EXPUNGE or VANISHED in between", "UID 7", "UID 8");
  EXPECT_EQ(s.uid_at(2), 8u);
  EXPECT_FALSE(f.response(fetch_uid(2, 8)));
}

TEST(InvariantsUidOrder, UidZeroIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  expect_violation(f.response(fetch_uid(1, 0)), "imap.uid-range",
                   "FETCH 1 carries UID 0: a UID is a non-zero 32-bit number", "UID in 1..4294967295", "UID 0");
  EXPECT_FALSE(s.uid_at(1));
}

TEST(InvariantsUidOrder, UidBeyond32BitsIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  EXPECT_FALSE(f.response(fetch_uid(1, 4294967295u)));
  const auto v = f.response(test::fetch(2, {atom("UID"), atom("99999999999999999999999")}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.uid-range");
  EXPECT_EQ(v->actual, "UID 99999999999999999999999");
}

TEST(InvariantsUidOrder, ExpungeShiftsLaterSequenceNumbers) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {4, 7, 9});
  f.command("A3", "EXPUNGE");
  f.response(test::expunge(2));
  f.response(tagged("A3", "OK"));
  EXPECT_EQ(s.exists(), 2u);
  EXPECT_EQ(s.uid_at(1), 4u);
  EXPECT_EQ(s.uid_at(2), 9u);
  EXPECT_FALSE(f.response(fetch_uid(2, 9)));  // UID 9 moved down to seq 2
  EXPECT_TRUE(f.seen.empty());
  // Seq 2 is UID 9 now; UID 7 there again would be a change.
  const auto v = f.response(fetch_uid(2, 7));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.uid-stable");
}

TEST(InvariantsUidOrder, ExpungeHigherToLowerAndLowerToHigherAgree) {
  // RFC 9051 §7.5.1: the last 5 of 9 messages go as 9,8,7,6,5 or as 5,5,5,5,5.
  for (const std::vector<std::uint64_t>& order : {std::vector<std::uint64_t>{9, 8, 7, 6, 5},
                                                  std::vector<std::uint64_t>{5, 5, 5, 5, 5}}) {
    SessionInvariants s;
    Feed f{s, {}};
    f.select("A1", "INBOX", 9, 1);
    f.fetch_uids("A2", {11, 12, 13, 14, 15, 16, 17, 18, 19});
    f.command("A3", "EXPUNGE");
    for (std::uint64_t seq : order) f.response(test::expunge(seq));
    f.response(tagged("A3", "OK"));
    EXPECT_TRUE(f.seen.empty());
    EXPECT_EQ(s.exists(), 4u);
    EXPECT_EQ(s.uid_at(4), 14u);
    EXPECT_FALSE(s.uid_at(5));
  }
}

TEST(InvariantsUidOrder, NewMessagesMustGetHigherUids) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 2, 1);
  f.fetch_uids("A2", {4, 7});
  f.response(test::exists(3));
  EXPECT_FALSE(f.response(fetch_uid(3, 8)));
  EXPECT_TRUE(f.seen.empty());
  f.response(test::exists(4));
  const auto v = f.response(fetch_uid(4, 6));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "UID 6 at seq 4 is not above UID 8 at seq 3");
}

TEST(InvariantsUidOrder, VanishedRemovesKnownUidsAndRenumbers) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  f.fetch_uids("A2", {10, 20, 30, 40, 50});
  f.command("A3", "EXPUNGE");
  f.response(test::vanished("40,20"));
  f.response(tagged("A3", "OK"));
  EXPECT_EQ(s.exists(), 3u);
  EXPECT_EQ(s.uid_at(1), 10u);
  EXPECT_EQ(s.uid_at(2), 30u);
  EXPECT_EQ(s.uid_at(3), 50u);
  EXPECT_FALSE(f.response(fetch_uid(3, 50)));
  const auto v = f.response(fetch_uid(4, 60));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.seq-within-exists");
}

TEST(InvariantsUidOrder, VanishedRangeRemovesEveryKnownUidInIt) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  f.fetch_uids("A2", {10, 20, 30, 40, 50});
  f.response(test::vanished("15:45"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.exists(), 2u);
  EXPECT_EQ(s.uid_at(2), 50u);
}

TEST(InvariantsUidOrder, VanishedEarlierDoesNotRenumber) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  f.fetch_uids("A2", {10, 20, 30, 40, 50});
  f.response(test::vanished("20", true));
  EXPECT_EQ(s.exists(), 5u);  // RFC 7162 §3.2.10.1: no decrement
  EXPECT_FALSE(s.uid_at(2));
  EXPECT_EQ(s.uid_at(3), 30u);
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsUidOrder, VanishedOfUnknownUidsMakesTheCountUncertainNotWrong) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  f.response(fetch_uid(1, 10));
  f.response(fetch_uid(5, 50));
  f.response(test::vanished("25"));  // seq 2..4 have unknown UIDs: 25 may have been one of them
  EXPECT_FALSE(s.exists());          // 4 or 5: we do not guess
  EXPECT_EQ(s.uid_at(1), 10u);
  EXPECT_FALSE(f.response(fetch_uid(4, 50)));  // UID 50 may well be at seq 4 now
  EXPECT_TRUE(f.seen.empty());
  f.response(test::exists(4));  // the server settles it
  EXPECT_EQ(s.exists(), 4u);
  const auto v = f.response(test::exists(3));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.exists-no-shrink");
}

TEST(InvariantsUidOrder, VanishedUidThatCannotBePresentChangesNothing) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {10, 11, 12});
  f.response(test::vanished("5,100"));  // every message's UID is known: neither is here
  EXPECT_EQ(s.exists(), 3u);
  EXPECT_EQ(s.uid_at(3), 12u);
}

TEST(InvariantsUidOrder, UnreadableVanishedForgetsUidsButKeepsTheUpperBound) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {10, 11, 12});
  f.response(test::vanished("12:*"));
  EXPECT_FALSE(s.exists());
  EXPECT_FALSE(s.uid_at(1));
  const auto v = f.response(test::fetch(4, {atom("FLAGS"), test::list({})}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.seq-within-exists");
  EXPECT_EQ(v->message, "FETCH 4 is beyond at most 3 messages in the mailbox (EXISTS less EXPUNGE/VANISHED)");
}

}  // namespace
}  // namespace facteur::imap
