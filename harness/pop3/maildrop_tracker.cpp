// MaildropTracker: session state, dispatch, and the maildrop totals (STAT, DELE, RSET).
// LIST / UIDL are in maildrop_listing.cpp, RETR / TOP in maildrop_fetch.cpp.
#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/pop3/command.hpp"
#include "harness/pop3/detail/listing.hpp"
#include "harness/pop3/maildrop.hpp"

namespace facteur::pop3 {
namespace {

std::string describe(std::uint64_t count, std::optional<std::uint64_t> octets) {
  if (!octets) return fmt::format("{} messages", count);
  return fmt::format("{} messages of {} octets", count, *octets);
}

std::string_view verb(std::string_view source) { return source == "STAT" ? "says" : "lists"; }
std::string_view past_verb(std::string_view source) { return source == "STAT" ? "said" : "listed"; }

}  // namespace

MaildropTracker::MaildropTracker(MaildropBook* book, TrackerLimits limits) : book_(book), limits_(limits) {}

void MaildropTracker::report(std::string_view rule, std::string message, std::string expected, std::string actual) {
  ++violations_;
  if (!first_) first_ = Violation{std::string(rule), std::move(message), std::move(expected), std::move(actual)};
}

MaildropTracker::Message* MaildropTracker::message(std::uint64_t number, bool create) {
  const auto it = messages_.find(number);
  if (it != messages_.end()) return &it->second;
  if (!create || number == 0 || messages_.size() >= limits_.max_messages) return nullptr;
  return &messages_[number];
}

std::optional<std::uint64_t> MaildropTracker::message_count() const {
  if (!totals_) return std::nullopt;
  return totals_->count + deleted_.size() + untracked_deleted_;  // deleted messages keep their numbers
}

// RFC 1939 §5: message numbers run from 1 to the number of messages at the start of the session
// (DELE'd ones keep theirs), so a +OK for any other number is wrong.
bool MaildropTracker::check_number(std::string_view command, std::uint64_t number) {
  if (number == 0) {
    report(rules::msg_beyond_count, fmt::format("{} 0 gave +OK; message numbers start at 1", command), "-ERR",
           "+OK");
    return false;
  }
  const auto count = message_count();
  if (count && number > *count) {
    report(rules::msg_beyond_count,
           fmt::format("{} {} gave +OK, but the maildrop has {} messages (per {})", command, number, *count,
                       totals_->source),
           "-ERR", "+OK");
    return false;
  }
  return true;
}

std::optional<Violation> MaildropTracker::observe(std::string_view command_line, const Response& response) {
  first_.reset();
  if (closed_ || state_ == SessionState::update) return std::nullopt;
  if (sasl_) {  // RFC 5034 §4: the client's lines answer "+ " challenges until +OK or -ERR
    if (response.kind != Response::Kind::continuation) {
      sasl_ = false;
      if (response.ok()) state_ = SessionState::transaction;
    }
    return std::nullopt;
  }
  const Command command = split_command(command_line);
  if (state_ == SessionState::authorization) {
    on_authorization(command.keyword, !command.args.empty(), response);
  } else {
    on_transaction(command.keyword, command.args, response);
  }
  std::optional<Violation> found = std::move(first_);
  first_.reset();
  return found;
}

// RFC 1939 §4, §7 APOP, RFC 5034 §4 AUTH: the +OK that ends authentication opens TRANSACTION.
// RFC 1939 §6: QUIT in AUTHORIZATION ends the session without UPDATE.
void MaildropTracker::on_authorization(std::string_view keyword, bool has_args, const Response& response) {
  if (keyword == "QUIT") {
    closed_ = true;
  } else if ((keyword == "PASS" || keyword == "APOP") && response.ok()) {
    state_ = SessionState::transaction;
  } else if (keyword == "AUTH" && has_args) {
    if (response.kind == Response::Kind::continuation) {
      sasl_ = true;
    } else if (response.ok()) {
      state_ = SessionState::transaction;  // initial response accepted at once
    }
  }
}

void MaildropTracker::on_transaction(std::string_view keyword, const std::vector<std::string_view>& args,
                                     const Response& response) {
  if (keyword == "QUIT") {
    if (response.ok()) state_ = SessionState::update;
    return;
  }
  if (!response.ok()) return;  // an -ERR (or a stray "+ ") tells nothing about the maildrop
  const std::optional<std::uint64_t> number = args.empty() ? std::nullopt : parse_number(args[0]);
  // (value_or, not *number, below: GCC 12 -O2 warns that *number may be uninitialised after the test.)
  const std::uint64_t n = number.value_or(0);
  if (keyword == "STAT") {
    on_stat(response);
  } else if (keyword == "LIST" || keyword == "UIDL") {
    const bool list = keyword == "LIST";
    if (args.empty()) {
      if (response.multiline) list ? on_list(response) : on_uidl(response);
    } else if (number) {
      list ? on_list_one(n, response) : on_uidl_one(n, response);
    }
  } else if (keyword == "RETR" && number && response.multiline) {
    on_retr(n, response);
  } else if (keyword == "TOP" && number && response.multiline) {
    on_top(n, args.size() > 1 ? parse_number(args[1]) : std::nullopt, response);
  } else if (keyword == "DELE" && number) {
    on_dele(n);
  } else if (keyword == "RSET") {
    on_rset();
  }
}

// RFC 1939 §5 STAT: "+OK" SP number-of-messages SP size-in-octets.
void MaildropTracker::on_stat(const Response& response) {
  const auto drop = detail::parse_sized(response.text);
  if (!drop) {
    report(rules::listing_format,
           fmt::format("STAT answered \"+OK {}\", not a drop listing \"+OK nn mm\"", ascii::printable(response.text)),
           "+OK nn mm", fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  observe_totals(drop->number, drop->size, "STAT");
}

// A STAT or a complete multi-line LIST: compared with the totals the last one gave, as DELE / RSET
// changed them since, then the new reference.
void MaildropTracker::observe_totals(std::uint64_t count, std::optional<std::uint64_t> octets,
                                     std::string_view source) {
  if (totals_) {
    const Totals& was = *totals_;
    const std::uint64_t marked = deleted_.size() + untracked_deleted_;
    const bool count_differs = count != was.count;
    const bool octets_differ = octets && was.octets && *octets != *was.octets;
    const std::string now = fmt::format("{} {} {}", source, verb(source), describe(count, octets));
    std::string before =
        fmt::format("{} {} {}", was.source, past_verb(was.source), describe(was.told_count, was.told_octets));
    if (was.changes != 0) {
      before = fmt::format("{} and after the DELE / RSET since {} are expected", before,
                           describe(was.count, was.octets));
    }
    if (count > was.count && marked > 0 && count - was.count <= marked) {
      report(rules::deleted_visible,
             fmt::format("{} while {} of the maildrop's messages are marked deleted: {}", now, marked, before),
             describe(was.count, was.octets), describe(count, octets));
    } else if (count_differs || octets_differ) {
      report(rules::stat_list, fmt::format("{}, but {}", now, before), describe(was.count, was.octets),
             describe(count, octets));
    }
  }
  totals_ = Totals{count, octets, source, 0, count, octets};
}

// RFC 1939 §5 DELE: marks the message; STAT and LIST no longer count it.
void MaildropTracker::on_dele(std::uint64_t number) {
  if (!check_number("DELE", number)) return;
  Message* m = message(number, true);
  if (m != nullptr && m->deleted) {
    report(rules::deleted_visible, fmt::format("DELE {} gave +OK, but message {} was already DELE'd", number, number),
           "-ERR", "+OK");
    return;
  }
  if (m != nullptr) {
    m->deleted = true;
    deleted_.push_back(number);
  } else {
    ++untracked_deleted_;
  }
  if (!totals_) return;
  if (totals_->count > 0) --totals_->count;
  if (m != nullptr && m->size && totals_->octets && *totals_->octets >= *m->size) {
    *totals_->octets -= *m->size;
  } else {
    totals_->octets.reset();
  }
  ++totals_->changes;
}

// RFC 1939 §5 RSET: every message marked as deleted is unmarked.
void MaildropTracker::on_rset() {
  for (const std::uint64_t number : deleted_) {
    Message* m = message(number, false);
    if (m == nullptr) continue;
    m->deleted = false;
    if (!totals_) continue;
    ++totals_->count;
    if (m->size && totals_->octets) {
      *totals_->octets += *m->size;
    } else {
      totals_->octets.reset();
    }
  }
  if (totals_ && !(deleted_.empty() && untracked_deleted_ == 0)) {
    totals_->count += untracked_deleted_;
    if (untracked_deleted_ != 0) totals_->octets.reset();
    ++totals_->changes;
  }
  deleted_.clear();
  untracked_deleted_ = 0;
}

}  // namespace facteur::pop3
