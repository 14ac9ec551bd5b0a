// Invariants of an IMAP session (RFC 9051, RFC 3501, RFC 7162): rules every session must keep,
// whatever the scenario. A SessionInvariants is fed, in order, each command the client sends and
// each response it receives, and reports the first violation each response reveals. Pure: no I/O,
// no clock, never throws or asserts on server data, memory bounded by InvariantLimits.
//
// Rules (stable ids in harness/imap/invariants_violation.hpp):
//   imap.uidvalidity-stable   UIDVALIDITY of a name (from SELECT/EXAMINE or STATUS) never changes
//                             unless this session (or one sharing the UidValidityBook) DELETEd or
//                             RENAMEd it in between.
//   imap.uid-ascending        UIDs ascend strictly with sequence numbers (and leave room for the
//                             messages between: UID 5 at seq 1 and UID 6 at seq 3 cannot both hold).
//   imap.uid-stable           the UID at a sequence number never changes between expunges.
//   imap.uid-range            a UID is 1..4294967295.
//   imap.seq-within-exists    FETCH n / EXPUNGE n have 1 <= n <= the message count.
//   imap.exists-no-shrink     EXISTS never reduces the count; only EXPUNGE / VANISHED do.
//   imap.rfc822-size-matches  RFC822.SIZE equals the octets of BODY[] / RFC822 of the same message,
//                             and neither changes.
//   imap.flags-announced      FETCH FLAGS holds only flags of the latest FLAGS or PERMANENTFLAGS
//                             (or \Recent); anything goes before the first FLAGS.
//   imap.tag-unknown          a tagged completion answers a command in progress, once.
//
// Selection follows the commands: SELECT/EXAMINE start when every earlier command has completed
// (pipelining), and what arrives from then on belongs to the new mailbox (what came before an
// `OK [CLOSED]` is dropped); tagged OK selects it, NO leaves nothing selected (RFC 9051 §6.3.2),
// BAD restores the previous selection. CLOSE/UNSELECT OK deselect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "harness/imap/invariants_mailbox.hpp"
#include "harness/imap/invariants_violation.hpp"
#include "harness/imap/response.hpp"

namespace facteur::imap {

// UIDVALIDITY per mailbox name (INBOX case-insensitive), shared by every session of a test that
// points to it, so a value one session saw binds the others. Not synchronised: share it among
// sessions run by one thread.
class UidValidityBook {
 public:
  explicit UidValidityBook(std::size_t max_mailboxes = 100'000) : max_(max_mailboxes) {}

  struct Change {
    std::uint64_t before = 0;
    std::uint64_t after = 0;
  };
  // Records `uidvalidity` for `mailbox`. Returns the change when another value was recorded; the
  // new value replaces it. Beyond `max_mailboxes` names, new names are not recorded.
  std::optional<Change> see(std::string_view mailbox, std::uint64_t uidvalidity);
  // The mailbox was deleted: a new one of that name may have another UIDVALIDITY.
  void forget(std::string_view mailbox);
  // The mailbox was renamed (from or to this name): the name and its inferiors (names continuing
  // with a non-alphanumeric character, the unknown hierarchy delimiter) may change UIDVALIDITY.
  void forget_with_inferiors(std::string_view mailbox);
  std::optional<std::uint64_t> find(std::string_view mailbox) const;
  std::size_t size() const { return values_.size(); }

 private:
  std::size_t max_;
  std::map<std::string, std::uint64_t, std::less<>> values_;
};

struct InvariantLimits {
  std::size_t max_messages = 10'000'000;       // messages per selection whose UID is tracked; beyond: not checked
  std::size_t max_sized_messages = 1'000'000;  // messages whose sizes are remembered for imap.rfc822-size-matches
  std::size_t recent_tags = 1024;              // completed tags remembered to spot a second completion
};

class SessionInvariants {
 public:
  enum class Selection { none, selecting, selected };

  // `shared_book`: a UidValidityBook outliving this object, shared with other sessions; nullptr
  // gives this session a book of its own.
  explicit SessionInvariants(UidValidityBook* shared_book = nullptr, InvariantLimits limits = {});

  // The client sent `command_line` (without CRLF and literals' contents) under `tag`, e.g. tag
  // "F3", "SELECT INBOX", "UID FETCH 1:* (FLAGS)".
  void on_command(std::string_view tag, std::string_view command_line);
  // A response arrived. Returns the first violation it reveals (the tracker stays usable after:
  // it follows the server's latest word).
  std::optional<Violation> on_response(const Response& r);

  // Facts for reports and tests.
  Selection selection() const { return selection_; }
  // The selected mailbox as the client named it; "" when none is selected (or while selecting, or
  // when it was named by a literal).
  const std::string& selected_mailbox() const;
  std::optional<std::uint64_t> exists() const;  // nullopt: nothing selected, not announced or uncertain
  std::optional<std::uint64_t> uid_at(std::uint64_t seq) const;
  std::optional<std::uint64_t> uidvalidity(std::string_view mailbox) const { return book().find(mailbox); }
  const UidValidityBook& uidvalidity_book() const { return book(); }
  std::size_t pending_commands() const { return pending_.size(); }
  std::size_t tracked_messages() const { return mailbox_state_.messages().slots(); }

 private:
  enum class Kind { other, select, close, delete_mailbox, rename };
  struct Pending {
    std::string tag;
    Kind kind = Kind::other;
    std::optional<std::string> mailbox;  // SELECT/EXAMINE/DELETE/RENAME: the (first) mailbox; nullopt: unknown
    std::optional<std::string> to;       // RENAME: the new name
    std::string verb;                    // SELECT or EXAMINE, for messages
    bool started = false;                // SELECT/EXAMINE: the selection began
  };
  struct Saved {
    Selection selection = Selection::none;
    std::optional<std::string> mailbox;
    std::string verb;
    detail::MailboxState state;
  };

  UidValidityBook& book() { return shared_book_ ? *shared_book_ : own_book_; }
  const UidValidityBook& book() const { return shared_book_ ? *shared_book_ : own_book_; }
  detail::MailboxState fresh_state() const;
  void start_front();
  void begin_select(Pending& p);
  void deselect();
  void complete(Pending& p, const Response& r);
  void remember_completed(const std::string& tag);
  std::optional<Violation> on_tagged(const Response& r);
  std::optional<Violation> on_untagged(const Response& r);
  std::optional<Violation> on_status_code(const Response& r);
  std::optional<Violation> on_status_data(const Response& r);
  std::optional<Violation> see_uidvalidity(const std::string& mailbox, std::uint64_t value, std::string_view source);

  InvariantLimits limits_;
  UidValidityBook own_book_;
  UidValidityBook* shared_book_ = nullptr;
  std::deque<Pending> pending_;                          // commands in progress, in the order sent
  std::deque<std::string> completed_;                    // the last recent_tags completed tags
  std::unordered_map<std::string, std::size_t> completed_count_;
  Selection selection_ = Selection::none;
  std::optional<std::string> mailbox_;  // selected / being selected; nullopt: none or named by a literal
  std::string selecting_verb_;          // SELECT or EXAMINE
  detail::MailboxState mailbox_state_;
  std::optional<Saved> before_select_;  // restored when the SELECT in progress gets BAD
};

}  // namespace facteur::imap
