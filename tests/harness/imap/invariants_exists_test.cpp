// Rules imap.seq-within-exists and imap.exists-no-shrink (RFC 9051 §2.3.1.2, §5.2, §7.4.1, §7.5.1).
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::expect_violation;
using test::Feed;
using test::fetch_uid;
using test::tagged;

Response fetch_flags(std::uint64_t seq) { return test::fetch(seq, {atom("FLAGS"), test::atoms({"\\Seen"})}); }

TEST(InvariantsExists, NormalSessionPasses) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.command("A2", "FETCH 1:3 (FLAGS)");
  for (std::uint64_t seq = 1; seq <= 3; ++seq) f.response(fetch_flags(seq));
  f.response(tagged("A2", "OK"));
  f.command("A3", "NOOP");
  f.response(test::exists(4));  // new mail
  f.response(fetch_flags(4));
  f.response(tagged("A3", "OK"));
  f.command("A4", "EXPUNGE");
  f.response(test::expunge(1));
  f.response(tagged("A4", "OK"));
  f.response(fetch_flags(3));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.exists(), 3u);
}

TEST(InvariantsExists, FetchBeyondExistsIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  expect_violation(f.response(fetch_flags(4)), "imap.seq-within-exists",
                   "FETCH 4 is beyond the 3 messages in the mailbox (EXISTS less EXPUNGE/VANISHED)", "seq <= 3",
                   "seq 4");
}

TEST(InvariantsExists, ExpungeBeyondExistsIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  expect_violation(f.response(test::expunge(7)), "imap.seq-within-exists",
                   "EXPUNGE 7 is beyond the 3 messages in the mailbox (EXISTS less EXPUNGE/VANISHED)", "seq <= 3",
                   "seq 7");
}

TEST(InvariantsExists, SequenceNumberZeroIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  expect_violation(f.response(fetch_flags(0)), "imap.seq-within-exists",
                   "FETCH 0: message sequence numbers start at 1", "seq >= 1", "seq 0");
}

TEST(InvariantsExists, ExpungeDecrementsTheCount) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(test::expunge(3));
  EXPECT_EQ(s.exists(), 2u);
  const auto v = f.response(fetch_flags(3));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "FETCH 3 is beyond the 2 messages in the mailbox (EXISTS less EXPUNGE/VANISHED)");
}

TEST(InvariantsExists, VanishedDecrementsTheCount) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {5, 6, 7});
  f.response(test::vanished("6:7"));
  EXPECT_EQ(s.exists(), 1u);
  EXPECT_TRUE(f.response(fetch_flags(2)));
}

TEST(InvariantsExists, ShrinkingExistsIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  expect_violation(f.response(test::exists(3)), "imap.exists-no-shrink",
                   "EXISTS 3 is below the 5 messages already in the mailbox, with no EXPUNGE or VANISHED in between",
                   "EXISTS >= 5", "EXISTS 3");
  EXPECT_EQ(s.exists(), 3u);  // follows the server from here on
  EXPECT_FALSE(f.response(test::exists(3)));
}

TEST(InvariantsExists, ExistsAfterExpungesMayBeLower) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 5, 1);
  f.response(test::expunge(2));
  f.response(test::expunge(2));
  EXPECT_FALSE(f.response(test::exists(3)));
  EXPECT_FALSE(f.response(test::exists(3)));  // repeating the count is fine
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsExists, ExistsBelowAReferencedMessageIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "SELECT INBOX");
  f.response(test::exists(7));
  f.response(fetch_uid(7, 70));
  f.response(tagged("A1", "OK"));
  const auto v = f.response(test::exists(6));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, "imap.exists-no-shrink");
  EXPECT_FALSE(s.uid_at(7));  // message 7 is gone from the tracker's view
}

TEST(InvariantsExists, OldMailboxDataWhileSelectingIsNotHeldAgainstTheNewOne) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "big", 50, 1);
  f.command("A2", "SELECT small");
  f.response(test::expunge(40));   // before the new EXISTS: about "big"
  f.response(fetch_flags(45));     // likewise
  f.response(test::untagged_ok("CLOSED"));
  f.response(test::exists(2));
  f.response(test::uidvalidity(9));
  f.response(tagged("A2", "OK"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.exists(), 2u);
}

TEST(InvariantsExists, ClosedDropsWhatTheOldMailboxSentDuringTheSelect) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "big", 50, 1);
  f.command("A2", "SELECT small");
  f.response(test::exists(51));  // a last EXISTS of "big"
  f.response(test::untagged_ok("CLOSED"));
  f.response(test::exists(2));  // "small": not a shrink
  f.response(tagged("A2", "OK"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.exists(), 2u);
}

TEST(InvariantsExists, NothingSelectedNothingChecked) {
  SessionInvariants s;
  Feed f{s, {}};
  f.response(test::exists(1));
  f.response(fetch_flags(9));
  f.response(test::expunge(9));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_FALSE(s.exists());
}

}  // namespace
}  // namespace facteur::imap
