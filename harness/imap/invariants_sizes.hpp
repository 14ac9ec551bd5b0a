// Rule imap.rfc822-size-matches: RFC822.SIZE is "the number of octets in the message"
// (RFC 9051 §7.5.2), and BODY[] / RFC822 return that whole message, so once a session has seen both
// for one message they must agree. Both are also fixed forever for a UID (RFC 9051 §2.3.1.1 item 4).
// Messages are keyed by UID when known, else by sequence number until the next renumbering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "harness/imap/invariants_violation.hpp"

namespace facteur::imap::detail {

// What one FETCH response told about a message's size.
struct SizeFacts {
  std::optional<std::uint64_t> rfc822_size;  // RFC822.SIZE n
  std::optional<std::uint64_t> whole_body;   // octets of BODY[] / RFC822 (no section, no partial)
};

class MessageSizes {
 public:
  // Remembers at most `max_messages` messages; beyond that new messages are not checked.
  explicit MessageSizes(std::size_t max_messages) : max_(max_messages) {}

  // Records what FETCH `seq` (with `uid` when known) said; returns the first contradiction.
  std::optional<Violation> record(std::uint64_t seq, std::optional<std::uint64_t> uid, const SizeFacts& facts);
  // EXPUNGE / VANISHED renumbered the mailbox: facts keyed by sequence number no longer apply.
  void renumbered() { by_seq_.clear(); }
  std::size_t size() const { return by_uid_.size() + by_seq_.size(); }

 private:
  using Table = std::unordered_map<std::uint64_t, SizeFacts>;
  SizeFacts* slot(Table& table, std::uint64_t key);

  std::size_t max_;
  Table by_uid_;
  Table by_seq_;
};

}  // namespace facteur::imap::detail
