// The per-selection half of SessionInvariants (harness/imap/invariants.hpp): what one selected
// mailbox's untagged data says about its messages, and the rules those data must keep:
// imap.seq-within-exists, imap.exists-no-shrink, imap.uid-ascending, imap.uid-stable,
// imap.uid-range, imap.rfc822-size-matches, imap.flags-announced. A new selection starts afresh.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/imap/invariants_seq_uid.hpp"
#include "harness/imap/invariants_sizes.hpp"
#include "harness/imap/invariants_violation.hpp"
#include "harness/imap/response.hpp"

namespace facteur::imap::detail {

class MailboxState {
 public:
  MailboxState(std::size_t max_messages, std::size_t max_sized_messages)
      : messages_(max_messages), sizes_(max_sized_messages) {}

  std::optional<Violation> on_exists(std::uint64_t n);
  std::optional<Violation> on_expunge(std::uint64_t seq);
  // `* VANISHED [(EARLIER)] uids`: the response's data values.
  void on_vanished(const std::vector<Value>& data);
  // `* seq FETCH (attributes)`.
  std::optional<Violation> on_fetch(std::uint64_t seq, const Value& attributes);
  // `* FLAGS (list)` and `[PERMANENTFLAGS (list)]`.
  void on_flags(const Value& list);
  void on_permanent_flags(const Value& list);

  const SeqUidMap& messages() const { return messages_; }
  std::size_t sized_messages() const { return sizes_.size(); }

 private:
  struct FlagList {
    std::vector<std::string> upper;  // sorted, for look-up
    std::string wire;                // as sent, for messages
  };
  static FlagList read_flags(const Value& list);
  std::optional<Violation> check_seq(std::string_view what, std::uint64_t seq) const;
  std::optional<Violation> check_flags(std::uint64_t seq, const Value& flags) const;
  std::optional<Violation> check_uid(std::uint64_t seq, const Value& uid);

  SeqUidMap messages_;
  MessageSizes sizes_;
  std::optional<FlagList> flags_;      // latest FLAGS; none yet: any flag goes
  std::optional<FlagList> permanent_;  // latest PERMANENTFLAGS
};

}  // namespace facteur::imap::detail
