// Maildrop invariants of a POP3 session: fed each command sent and the response it got, a tracker
// checks that what the server says about the maildrop holds together (RFC 1939 §5, §7).
// Pure bookkeeping, no I/O. Each check has a stable rule id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/pop3/response.hpp"

namespace facteur::pop3 {

struct Violation {
  std::string rule;      // one of rules::*
  std::string message;   // one sentence with the numbers: "LIST says message 2 has 1203 octets, RETR returned 1187"
  std::string expected;  // short values for reports: "1203"
  std::string actual;    // "1187"
};

namespace rules {
// STAT's count and size equal LIST's line count and size sum, DELE'd messages excluded, RSET
// restoring them (RFC 1939 §5 STAT, LIST); STAT / LIST totals agree with each other over a session.
inline constexpr std::string_view stat_list = "pop3.stat-list";
// RETR n returns exactly the octets LIST gave for n (RFC 1939 §5 LIST "exact size", §11).
inline constexpr std::string_view list_retr_size = "pop3.list-retr-size";
// LIST n / UIDL n agree with the multi-line LIST / UIDL line for n, and answer for message n.
inline constexpr std::string_view list_single_multi = "pop3.list-single-multi";
// Unique-ids are 1-70 octets of 0x21-0x7E and unique within the maildrop (RFC 1939 §7 UIDL).
inline constexpr std::string_view uidl_unique = "pop3.uidl-unique";
// Across sessions a unique-id names a message of the same size and content (RFC 1939 §7 UIDL).
inline constexpr std::string_view uidl_stable = "pop3.uidl-stable";
// A DELE'd message is not listed by LIST / UIDL, not counted by STAT, and RETR / TOP / LIST n /
// UIDL n / DELE of it fail (RFC 1939 §5 "may NOT refer to a message marked as deleted").
inline constexpr std::string_view deleted_visible = "pop3.deleted-visible";
// No +OK to RETR / LIST / UIDL / DELE / TOP n for n = 0 or n past the maildrop's messages.
inline constexpr std::string_view msg_beyond_count = "pop3.msg-beyond-count";
// TOP n k returns the header, the blank line and k body lines (all when fewer), a prefix of RETR n
// (RFC 1939 §7 TOP).
inline constexpr std::string_view top_lines = "pop3.top-lines";
// STAT's drop listing "nn mm", LIST's scan listings "n size", UIDL's "n unique-id" are well formed
// (RFC 1939 §5, §7).
inline constexpr std::string_view listing_format = "pop3.listing-format";
}  // namespace rules

// What the sessions of one maildrop learnt about its unique-ids, shared by their trackers (which
// may run on several threads: calls are serialised). Holds at most `max_ids` unique-ids.
class MaildropBook {
 public:
  explicit MaildropBook(std::size_t max_ids = 1'000'000) : max_ids_(max_ids) {}

  // Records that `uid` names message `number` of `size` octets (per LIST) and/or with this body
  // hash (per RETR). Returns a pop3.uidl-stable violation when an earlier record of `uid`
  // disagrees; what was not known before is learnt.
  std::optional<Violation> record(std::string_view uid, std::uint64_t number, std::optional<std::uint64_t> size,
                                  std::optional<std::uint64_t> hash);
  std::size_t size() const;

 private:
  struct Entry {
    std::uint64_t number = 0;  // as first seen, for messages
    std::optional<std::uint64_t> size;
    std::optional<std::uint64_t> hash;
  };
  mutable std::mutex mutex_;
  std::size_t max_ids_;
  std::unordered_map<std::string, Entry> ids_;
};

enum class SessionState { authorization, transaction, update };

struct TrackerLimits {
  std::size_t max_messages = 1'000'000;       // message numbers above this are not tracked one by one
  std::size_t max_prefix_hashes = 4'000'000;  // RETR line-prefix hashes kept for TOP checks, all messages
  std::size_t max_prefix_lines = 4096;        // ... per message
};

// One per session. observe() is fed every command line as sent (with or without CRLF; during a SASL
// exchange the client's lines) and the complete response it got, in order. It returns the first
// violation that response shows, if any (further ones in the same response are not reported, but
// the state is updated from all of it). Any sequence of calls is safe; memory is bounded by limits.
//
// State: AUTHORIZATION until +OK to PASS, APOP or AUTH (after its "+ " challenges); TRANSACTION
// until +OK to QUIT, then UPDATE. Checks run in TRANSACTION only. Responses whose body was not
// framed as multi-line (e.g. parsed with the wrong flag) are not judged.
class MaildropTracker {
 public:
  explicit MaildropTracker(MaildropBook* book = nullptr, TrackerLimits limits = {});

  std::optional<Violation> observe(std::string_view command_line, const Response& response);

  SessionState state() const { return state_; }
  std::size_t violation_count() const { return violations_; }  // every violation seen, reported or not
  // Messages in the maildrop (deleted ones included), when STAT or LIST told.
  std::optional<std::uint64_t> message_count() const;

 private:
  struct Message {
    std::optional<std::uint64_t> size;  // LIST's size
    bool size_from_multi = false;
    bool uid_from_multi = false;
    bool deleted = false;
    std::string uid;                    // "" until UIDL told
  };
  struct Top {
    std::uint64_t k = 0;
    std::size_t lines = 0;
    std::uint64_t hash = 0;
  };
  struct Fetched {  // what RETR and TOP returned for one message
    bool retrieved = false;
    std::size_t octets = 0;
    std::uint64_t hash = 0;
    std::size_t lines = 0;
    bool all_kept = false;                  // every line of the RETR was kept
    std::optional<std::size_t> header_end;  // index of the blank line after the header, among kept lines
    std::vector<std::uint64_t> prefix;      // prefix[i]: fnv1a64 of lines 0..i, each with CRLF
    std::optional<Top> top;
  };
  struct Totals {  // the maildrop as the last STAT or LIST described it, kept current over DELE / RSET
    std::uint64_t count = 0;
    std::optional<std::uint64_t> octets;
    std::string_view source;  // "STAT" or "LIST"
    std::size_t changes = 0;  // DELE / RSET applied since
    std::uint64_t told_count = 0;  // as STAT / LIST told, before the changes
    std::optional<std::uint64_t> told_octets;
  };

  void report(std::string_view rule, std::string message, std::string expected, std::string actual);
  Message* message(std::uint64_t number, bool create);
  bool check_number(std::string_view command, std::uint64_t number);
  void on_authorization(std::string_view keyword, bool has_args, const Response& response);
  void on_transaction(std::string_view keyword, const std::vector<std::string_view>& args, const Response& response);
  void on_stat(const Response& response);
  void on_list(const Response& response);
  void on_list_one(std::uint64_t number, const Response& response);
  void on_uidl(const Response& response);
  void on_uidl_one(std::uint64_t number, const Response& response);
  void on_retr(std::uint64_t number, const Response& response);
  void on_top(std::uint64_t number, std::optional<std::uint64_t> k, const Response& response);
  void on_dele(std::uint64_t number);
  void on_rset();
  void observe_totals(std::uint64_t count, std::optional<std::uint64_t> octets, std::string_view source);
  void learn_size(std::uint64_t number, std::uint64_t size, bool multi);
  void learn_uid(std::uint64_t number, std::string_view uid, bool multi);
  Fetched& fetched(std::uint64_t number, Fetched& scratch);
  void compare_retr_size(std::uint64_t number, std::size_t octets);
  void compare_top_retr(std::uint64_t number, const Fetched& fetched, const Response* top);
  void tell_book(std::uint64_t number);

  MaildropBook* book_;
  TrackerLimits limits_;
  SessionState state_ = SessionState::authorization;
  bool sasl_ = false;    // inside an AUTH exchange
  bool closed_ = false;  // QUIT answered outside TRANSACTION
  std::optional<Violation> first_;
  std::size_t violations_ = 0;
  std::unordered_map<std::uint64_t, Message> messages_;  // at most max_messages
  std::unordered_map<std::uint64_t, Fetched> fetched_;
  std::unordered_map<std::string, std::uint64_t> uid_owner_;
  std::vector<std::uint64_t> deleted_;  // tracked message numbers DELE'd, for RSET
  std::uint64_t untracked_deleted_ = 0;  // DELE'd numbers above max_messages
  std::size_t prefix_hashes_ = 0;
  std::optional<Totals> totals_;
};

}  // namespace facteur::pop3
