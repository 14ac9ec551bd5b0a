// detail::SeqUidMap (harness/imap/invariants_seq_uid.hpp) on its own: the bookkeeping the UID and
// EXISTS rules stand on, checked against a plain vector model of a mailbox a correct server runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

#include "harness/imap/invariants_seq_uid.hpp"

namespace facteur::imap::detail {
namespace {

TEST(InvariantsSeqUidMap, StartsWithUnknownCount) {
  SeqUidMap m(100);
  EXPECT_FALSE(m.max_exists());
  EXPECT_FALSE(m.exists());
  EXPECT_EQ(m.min_exists(), 0u);
  m.note_seq(4);  // the server referred to message 4: at least 4 messages
  EXPECT_EQ(m.min_exists(), 4u);
  EXPECT_FALSE(m.on_exists(4));
  EXPECT_EQ(m.exists(), 4u);
}

TEST(InvariantsSeqUidMap, SlotsOnlyUpToTheHighestUidSeen) {
  SeqUidMap m(100);
  m.on_exists(1'000'000);
  EXPECT_FALSE(m.on_uid(3, 30));
  EXPECT_EQ(m.slots(), 3u);
  EXPECT_EQ(m.exists(), 1'000'000u);
  EXPECT_FALSE(m.on_uid(50, 500));
  EXPECT_EQ(m.slots(), 50u);
  EXPECT_FALSE(m.on_uid(101, 1000));  // beyond the cap: not tracked, not reported
  EXPECT_FALSE(m.uid_at(101));
  EXPECT_EQ(m.slots(), 50u);
  EXPECT_EQ(m.exists(), 1'000'000u);
}

TEST(InvariantsSeqUidMap, ExpungeInTheTailKeepsSlots) {
  SeqUidMap m(100);
  m.on_exists(10);
  m.on_uid(2, 20);
  m.expunge(7);
  EXPECT_EQ(m.exists(), 9u);
  EXPECT_EQ(m.uid_at(2), 20u);
  m.expunge(1);
  EXPECT_EQ(m.uid_at(1), 20u);
  EXPECT_EQ(m.exists(), 8u);
}

TEST(InvariantsSeqUidMap, ConflictKinds) {
  SeqUidMap m(100);
  m.on_exists(10);
  ASSERT_FALSE(m.on_uid(5, 50));
  auto c = m.on_uid(6, 50);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, UidConflict::Kind::below);
  EXPECT_EQ(c->other_seq, 5u);
  EXPECT_EQ(c->other_uid, 50u);
  c = m.on_uid(4, 60);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, UidConflict::Kind::above);
  EXPECT_EQ(c->other_seq, 6u);
  c = m.on_uid(4, 61);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, UidConflict::Kind::changed);
  EXPECT_EQ(c->other_uid, 60u);
}

TEST(InvariantsSeqUidMap, CompactsAfterManyExpunges) {
  SeqUidMap m(1'000'000);
  constexpr std::uint64_t kCount = 20'000;
  m.on_exists(kCount);
  for (std::uint64_t seq = 1; seq <= kCount; ++seq) ASSERT_FALSE(m.on_uid(seq, seq * 2));
  for (int i = 0; i < 15'000; ++i) m.expunge(1);
  EXPECT_EQ(m.exists(), 5'000u);
  EXPECT_LT(m.slots(), 12'000u);  // expunged slots were dropped
  EXPECT_EQ(m.uid_at(1), 30'002u);
  EXPECT_EQ(m.uid_at(5'000), 40'000u);
}

TEST(InvariantsSeqUidMap, ReverseOrderIsFast) {
  // Descending FETCH order must not be quadratic: 200k messages in well under a second.
  SeqUidMap m(10'000'000);
  constexpr std::uint64_t kCount = 200'000;
  m.on_exists(kCount);
  for (std::uint64_t seq = kCount; seq >= 1; --seq) ASSERT_FALSE(m.on_uid(seq, seq + 7));
  EXPECT_EQ(m.known_uids(), kCount);
  m.on_vanished({UidRange{8, kCount + 7}}, false);
  EXPECT_EQ(m.exists(), 0u);
}

// A correct server's mailbox: ascending UIDs; the map is fed what the server would say and must
// never see a conflict, and must agree with the model wherever it claims to know.
TEST(InvariantsSeqUidMap, AgreesWithAModelMailbox) {
  std::mt19937_64 rng(20240607);
  for (int round = 0; round < 40; ++round) {
    SeqUidMap m(round % 2 ? 64 : 100'000);  // odd rounds hit the tracking cap
    std::vector<std::uint64_t> box;         // UIDs by seq - 1
    std::uint64_t next_uid = 1 + rng() % 5;
    bool exact = true;                      // no VANISHED of unknown presence since the last EXISTS
    const auto deliver = [&](std::uint64_t n) {
      for (std::uint64_t i = 0; i < n; ++i) {
        box.push_back(next_uid);
        next_uid += 1 + rng() % 3;
      }
      EXPECT_FALSE(m.on_exists(box.size()));
      exact = true;
    };
    deliver(rng() % 200);
    for (int step = 0; step < 400; ++step) {
      const std::uint64_t op = rng() % 10;
      if (op < 2) {
        deliver(rng() % 5);
      } else if (op < 6 && !box.empty()) {
        const std::uint64_t seq = 1 + rng() % box.size();
        ASSERT_FALSE(m.on_uid(seq, box[seq - 1])) << "round " << round << " step " << step;
      } else if (op < 8 && !box.empty()) {
        const std::uint64_t seq = 1 + rng() % box.size();
        m.expunge(seq);
        box.erase(box.begin() + static_cast<std::ptrdiff_t>(seq - 1));
      } else if (!box.empty()) {
        // VANISHED of a few present UIDs, some perhaps never fetched.
        std::vector<UidRange> gone;
        for (int k = 0; k < 3 && !box.empty(); ++k) {
          const std::size_t i = rng() % box.size();
          gone.push_back(UidRange{box[i], box[i]});
          box.erase(box.begin() + static_cast<std::ptrdiff_t>(i));
        }
        std::sort(gone.begin(), gone.end(), [](auto a, auto b) { return a.first < b.first; });
        m.on_vanished(gone, false);
        if (!m.exists()) exact = false;
      }
      ASSERT_LE(m.min_exists(), box.size());
      ASSERT_GE(*m.max_exists(), box.size());
      if (exact) {
        ASSERT_EQ(m.exists(), box.size());
      }
      for (std::uint64_t seq = 1; seq <= box.size(); seq += 1 + box.size() / 16) {
        if (auto uid = m.uid_at(seq)) {
          ASSERT_EQ(*uid, box[seq - 1]) << "seq " << seq;
        }
      }
    }
  }
}

}  // namespace
}  // namespace facteur::imap::detail
