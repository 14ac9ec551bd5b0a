#include "harness/imap/invariants_seq_uid.hpp"

#include <algorithm>
#include <limits>

namespace facteur::imap::detail {
namespace {

std::uint64_t saturating_sub(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : 0; }
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

constexpr std::size_t kCompactAfter = 4096;  // expunged slots tolerated before compacting

}  // namespace

std::optional<std::uint64_t> SeqUidMap::max_exists() const {
  if (!tail_hi_) return std::nullopt;
  return alive() + *tail_hi_;
}

std::optional<std::uint64_t> SeqUidMap::exists() const {
  if (!tail_hi_ || *tail_hi_ != tail_lo_) return std::nullopt;
  return alive() + tail_lo_;
}

std::optional<std::uint64_t> SeqUidMap::on_exists(std::uint64_t n) {
  std::optional<std::uint64_t> shrunk;
  if (n < min_exists()) shrunk = min_exists();
  // RFC 9051 §7.4.1: the count the server announces is the count; resynchronise to it.
  if (n < alive()) {
    cut(alive_.find_kth(n + 1));
    tail_lo_ = 0;
    tail_hi_ = 0;
  } else {
    tail_lo_ = n - alive();
    tail_hi_ = n - alive();
  }
  return shrunk;
}

void SeqUidMap::note_seq(std::uint64_t seq) {
  if (seq <= alive()) return;
  const std::uint64_t in_tail = seq - alive();
  tail_lo_ = std::max(tail_lo_, in_tail);
  if (tail_hi_ && *tail_hi_ < in_tail) tail_hi_ = in_tail;
}

void SeqUidMap::expunge(std::uint64_t seq) {
  if (seq == 0) return;
  if (seq <= alive()) {
    kill(alive_.find_kth(seq));
    maybe_compact();
    return;
  }
  const std::uint64_t in_tail = seq - alive();
  tail_lo_ = std::max(tail_lo_, in_tail) - 1;
  if (tail_hi_) tail_hi_ = std::max(*tail_hi_, in_tail) - 1;
}

std::optional<std::uint64_t> SeqUidMap::uid_at(std::uint64_t seq) const {
  if (seq == 0 || seq > alive()) return std::nullopt;
  const std::uint32_t uid = uid_[alive_.find_kth(seq)];
  if (uid == 0) return std::nullopt;
  return uid;
}

std::optional<UidConflict> SeqUidMap::on_uid(std::uint64_t seq, std::uint64_t uid) {
  if (seq == 0 || uid == 0 || uid > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  std::optional<UidConflict> first;
  const auto keep = [&first](UidConflict c) {
    if (!first) first = c;
  };
  // RFC 9051 §2.3.1.1: UIDs are positive and strictly ascending, so seq needs seq-1 smaller UIDs.
  if (uid < seq) keep(UidConflict{UidConflict::Kind::below, seq, uid, 0, 0});
  if (!materialize(seq)) return first;  // beyond the tracking cap
  const std::size_t slot = alive_.find_kth(seq);
  if (uid_[slot] == uid) return first;
  if (uid_[slot] != 0) {
    keep(UidConflict{UidConflict::Kind::changed, seq, uid, seq, uid_[slot]});
    forget(slot);
  }
  // Nearest known lower message: uid - its UID must cover the distance in sequence numbers.
  for (std::uint64_t rank = known_.prefix(slot); rank > 0; rank = known_.prefix(slot)) {
    const std::size_t other = known_.find_kth(rank);
    const std::uint64_t other_seq = seq_of(other);
    if (uid > uid_[other] && uid - uid_[other] >= seq - other_seq) break;
    keep(UidConflict{UidConflict::Kind::below, seq, uid, other_seq, uid_[other]});
    forget(other);
  }
  // Nearest known higher message.
  for (std::uint64_t rank = known_.prefix(slot); rank < known_.total(); rank = known_.prefix(slot)) {
    const std::size_t other = known_.find_kth(rank + 1);
    const std::uint64_t other_seq = seq_of(other);
    if (uid_[other] > uid && uid_[other] - uid >= other_seq - seq) break;
    keep(UidConflict{UidConflict::Kind::above, seq, uid, other_seq, uid_[other]});
    forget(other);
  }
  if (uid >= seq) {
    uid_[slot] = static_cast<std::uint32_t>(uid);
    known_.increment(slot);
  }
  return first;
}

void SeqUidMap::on_vanished(const std::vector<UidRange>& uids, bool earlier) {
  std::vector<std::size_t> matched;
  for (const UidRange& range : uids) {
    matched.clear();
    const std::uint64_t below = known_below(range.first);
    for (std::uint64_t rank = below + 1; rank <= known_.total(); ++rank) {
      const std::size_t slot = known_.find_kth(rank);
      if (uid_[slot] > range.last) break;
      matched.push_back(slot);
    }
    if (earlier) {
      // RFC 7162 §3.2.10.1: no renumbering; these UIDs are simply no longer in the mailbox.
      for (std::size_t slot : matched) forget(slot);
      continue;
    }
    // RFC 7162 §3.2.10.2: every UID listed was a live message. UIDs in the range that we did not
    // know may sit in the gaps between known messages, if a gap holds messages of unknown UID.
    // Such a gap makes the numbering above it uncertain: everything from there joins the tail.
    std::optional<std::size_t> cut_at;
    std::uint64_t maybe_gone = 0;
    const bool has_prev = below > 0;
    const std::size_t prev = has_prev ? known_.find_kth(below) : 0;
    const std::uint64_t next_rank = below + matched.size() + 1;
    const bool has_next = next_rank <= known_.total();
    const std::size_t next = has_next ? known_.find_kth(next_rank) : 0;
    for (std::size_t gap = 0; gap <= matched.size(); ++gap) {
      const bool has_left = gap > 0 || has_prev;
      const std::size_t left = gap > 0 ? matched[gap - 1] : prev;
      const bool has_right = gap < matched.size() || has_next;
      const std::size_t right = gap < matched.size() ? matched[gap] : next;
      const std::uint64_t left_uid = has_left ? uid_[left] : 0;
      const std::uint64_t first = std::max(left_uid + 1, range.first);
      const std::uint64_t last = has_right ? std::min<std::uint64_t>(uid_[right] - 1, range.last) : range.last;
      if (first > last) continue;
      const std::uint64_t live_before = has_left ? alive_.prefix(left + 1) : 0;
      const bool room = has_right ? alive_.prefix(right) > live_before
                                  : alive() > live_before || !tail_hi_ || *tail_hi_ > 0;
      if (!room) continue;  // provably absent: nothing to renumber (RFC 7162 forbids it; stay lenient)
      if (!cut_at) cut_at = has_left ? left + 1 : 0;
      maybe_gone = saturating_add(maybe_gone, last - first + 1);
    }
    for (std::size_t slot : matched) kill(slot);
    if (cut_at) {
      const std::uint64_t moved = cut(*cut_at);
      tail_lo_ = saturating_sub(tail_lo_ + moved, maybe_gone);
      if (tail_hi_) *tail_hi_ += moved;
    }
  }
  maybe_compact();
}

void SeqUidMap::on_vanished_unreadable() {
  const std::uint64_t moved = cut(0);
  tail_lo_ = 0;
  if (tail_hi_) *tail_hi_ += moved;
}

std::uint64_t SeqUidMap::known_below(std::uint64_t uid) const {
  // Known UIDs ascend with the slots: binary search on their rank.
  std::uint64_t lo = 0;
  std::uint64_t hi = known_.total();
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo + 1) / 2;
    if (uid_[known_.find_kth(mid)] < uid) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

bool SeqUidMap::materialize(std::uint64_t seq) {
  if (seq <= alive()) return true;
  const std::uint64_t missing = seq - alive();
  if (missing > max_slots_ - std::min(max_slots_, uid_.size())) {
    compact();
    if (missing > max_slots_ - std::min(max_slots_, uid_.size())) return false;
  }
  for (std::uint64_t i = 0; i < missing; ++i) {
    uid_.push_back(0);
    live_.push_back(1);
    alive_.push_back(true);
    known_.push_back(false);
  }
  take_from_tail(missing);
  return true;
}

void SeqUidMap::take_from_tail(std::uint64_t count) {
  tail_lo_ = std::max(tail_lo_, count) - count;
  if (tail_hi_) tail_hi_ = std::max(*tail_hi_, count) - count;
}

void SeqUidMap::forget(std::size_t slot) {
  if (uid_[slot] == 0 || !live_[slot]) return;
  uid_[slot] = 0;
  known_.decrement(slot);
}

void SeqUidMap::kill(std::size_t slot) {
  if (!live_[slot]) return;
  forget(slot);
  live_[slot] = 0;
  alive_.decrement(slot);
  ++dead_;
}

std::uint64_t SeqUidMap::cut(std::size_t slot) {
  const std::uint64_t moved = alive() - alive_.prefix(slot);
  uid_.resize(slot);
  live_.resize(slot);
  compact();
  return moved;
}

void SeqUidMap::compact() {
  std::size_t out = 0;
  for (std::size_t i = 0; i < uid_.size(); ++i) {
    if (!live_[i]) continue;
    uid_[out] = uid_[i];
    live_[out] = 1;
    ++out;
  }
  uid_.resize(out);
  live_.resize(out);
  alive_.assign(live_);
  std::vector<std::uint8_t> known(out);
  for (std::size_t i = 0; i < out; ++i) known[i] = uid_[i] != 0 ? 1 : 0;
  known_.assign(known);
  dead_ = 0;
}

void SeqUidMap::maybe_compact() {
  if (dead_ > kCompactAfter && dead_ > uid_.size() / 2) compact();
}

}  // namespace facteur::imap::detail
