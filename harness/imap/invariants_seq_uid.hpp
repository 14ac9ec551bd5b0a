// What a session knows of the selected mailbox's messages: how many there are (a range, when a
// VANISHED named UIDs of unknown presence), and which UID each sequence number holds
// (RFC 9051 §2.3.1.1-2). Feeds on EXISTS / EXPUNGE / VANISHED / FETCH facts and reports the facts
// that contradict each other; turning them into Violations is the caller's job.
//
// Layout: "slots" for the first messages (those up to the highest sequence number that carried a
// UID), each live or expunged, with a UID or 0 for unknown; after them a "tail" of messages of
// unknown UID whose count is only known as [tail_lo, tail_hi]. Two Fenwick trees count live slots
// and live slots with a known UID, so seq→slot, renumbering and neighbour look-ups are O(log n).
// Known UIDs always ascend with the slots; when the server contradicts that, its latest word wins
// and the older, conflicting knowledge is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "harness/imap/invariants_fenwick.hpp"
#include "harness/imap/invariants_syntax.hpp"

namespace facteur::imap::detail {

// A UID at a sequence number that contradicts what was known.
struct UidConflict {
  enum class Kind {
    changed,  // seq already had another UID (other_seq == seq, other_uid the old UID)
    below,    // not enough room above the nearest known lower message (other_seq 0: above none, UID >= seq)
    above,    // not enough room below the nearest known higher message
  };
  Kind kind = Kind::changed;
  std::uint64_t seq = 0;
  std::uint64_t uid = 0;
  std::uint64_t other_seq = 0;
  std::uint64_t other_uid = 0;
};

class SeqUidMap {
 public:
  // At most `max_slots` messages get a slot; UIDs of messages beyond are not tracked.
  explicit SeqUidMap(std::size_t max_slots) : max_slots_(max_slots) {}

  // The message count: at least min_exists(), at most max_exists() (nullopt before any EXISTS).
  std::uint64_t min_exists() const { return alive() + tail_lo_; }
  std::optional<std::uint64_t> max_exists() const;
  std::optional<std::uint64_t> exists() const;  // when min and max agree

  // `* n EXISTS`. Returns the message count it went below (a shrink), if any. The count becomes n.
  std::optional<std::uint64_t> on_exists(std::uint64_t n);
  // The server referred to message `seq` (>= 1): it exists. Widens the count if needed.
  void note_seq(std::uint64_t seq);
  // `* seq EXPUNGE` (seq >= 1, note_seq'd): later messages move down by one.
  void expunge(std::uint64_t seq);
  // FETCH says message `seq` (>= 1) has UID `uid` (1..2^32-1). Returns the first contradiction;
  // the new fact is kept either way (unless it cannot hold: fewer UIDs than messages below it).
  std::optional<UidConflict> on_uid(std::uint64_t seq, std::uint64_t uid);
  // RFC 7162 §3.2.10. Without EARLIER: the live UIDs among `uids` are removed and later messages
  // renumbered; UIDs whose presence is unknown make the count (and numbering above) uncertain.
  // With EARLIER: nothing is renumbered, the UIDs are just forgotten.
  void on_vanished(const std::vector<UidRange>& uids, bool earlier);
  // A VANISHED (without EARLIER) whose UIDs could not be read: any number of messages may have
  // gone, so every UID is forgotten and the count only keeps its upper bound.
  void on_vanished_unreadable();

  std::optional<std::uint64_t> uid_at(std::uint64_t seq) const;
  std::size_t slots() const { return uid_.size(); }
  std::uint64_t known_uids() const { return known_.total(); }

 private:
  std::uint64_t alive() const { return alive_.total(); }
  std::uint64_t seq_of(std::size_t slot) const { return alive_.prefix(slot) + 1; }
  std::uint64_t known_below(std::uint64_t uid) const;  // known live UIDs < uid
  bool materialize(std::uint64_t seq);
  void take_from_tail(std::uint64_t count);
  void forget(std::size_t slot);
  void kill(std::size_t slot);
  std::uint64_t cut(std::size_t slot);  // drops slots >= slot; returns how many were live
  void compact();
  void maybe_compact();

  std::size_t max_slots_;
  std::vector<std::uint32_t> uid_;   // per slot: UID, 0 unknown
  std::vector<std::uint8_t> live_;   // per slot: 1 live, 0 expunged
  Fenwick alive_;                    // live slots
  Fenwick known_;                    // live slots with a known UID
  std::size_t dead_ = 0;             // expunged slots not yet compacted away
  std::uint64_t tail_lo_ = 0;
  std::optional<std::uint64_t> tail_hi_;
};

}  // namespace facteur::imap::detail
