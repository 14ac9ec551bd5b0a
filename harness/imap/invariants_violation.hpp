// A broken session invariant, and the stable ids of the rules SessionInvariants checks
// (harness/imap/invariants.hpp). Ids never change once published: reports and baselines key on them.
#pragma once

#include <string>
#include <string_view>

namespace facteur::imap {

struct Violation {
  std::string rule;      // stable id, one of `rules::*`
  std::string message;   // one line a person can act on, e.g. "UID 7 at seq 2 is not above UID 9 at seq 1"
  std::string expected;  // what the rule required
  std::string actual;    // what the server sent
};

namespace rules {
// RFC 9051 §2.3.1.1: UIDVALIDITY of a name changes only when the mailbox is recreated.
inline constexpr std::string_view uidvalidity_stable = "imap.uidvalidity-stable";
// RFC 9051 §2.3.1.1 / §2.3.1.2: UIDs strictly ascend with sequence numbers.
inline constexpr std::string_view uid_ascending = "imap.uid-ascending";
// RFC 9051 §2.3.1.1: a message's UID never changes during the session.
inline constexpr std::string_view uid_stable = "imap.uid-stable";
// RFC 9051 §2.3.1.1: a UID is a non-zero 32-bit value.
inline constexpr std::string_view uid_range = "imap.uid-range";
// RFC 9051 §2.3.1.2 / §7.4.1: sequence numbers run from 1 to the announced message count.
inline constexpr std::string_view seq_within_exists = "imap.seq-within-exists";
// RFC 9051 §5.2: an EXISTS never reduces the message count; only EXPUNGE (or VANISHED) does.
inline constexpr std::string_view exists_no_shrink = "imap.exists-no-shrink";
// RFC 9051 §7.5.2 (RFC822.SIZE) and §2.3.1.1 item 4: the size is the whole message's octets, fixed forever.
inline constexpr std::string_view rfc822_size_matches = "imap.rfc822-size-matches";
// RFC 9051 §7.3.5 / §7.1 PERMANENTFLAGS: FETCH FLAGS only holds flags the mailbox announced.
inline constexpr std::string_view flags_announced = "imap.flags-announced";
// RFC 9051 §2.2.2 / §7: a tagged completion answers exactly one command the client sent.
inline constexpr std::string_view tag_unknown = "imap.tag-unknown";
}  // namespace rules

}  // namespace facteur::imap
