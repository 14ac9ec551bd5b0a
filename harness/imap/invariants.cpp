// SessionInvariants (harness/imap/invariants.hpp): the command/selection state machine, the tag
// rule and UIDVALIDITY; per-message rules live in invariants_mailbox.cpp.
#include "harness/imap/invariants.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "harness/imap/invariants_syntax.hpp"

namespace facteur::imap {

using detail::iequals;

SessionInvariants::SessionInvariants(UidValidityBook* shared_book, InvariantLimits limits)
    : limits_(limits), shared_book_(shared_book), mailbox_state_(fresh_state()) {}

detail::MailboxState SessionInvariants::fresh_state() const {
  return detail::MailboxState(limits_.max_messages, limits_.max_sized_messages);
}

const std::string& SessionInvariants::selected_mailbox() const {
  static const std::string none;
  return selection_ == Selection::selected && mailbox_ ? *mailbox_ : none;
}

std::optional<std::uint64_t> SessionInvariants::exists() const {
  if (selection_ == Selection::none) return std::nullopt;
  return mailbox_state_.messages().exists();
}

std::optional<std::uint64_t> SessionInvariants::uid_at(std::uint64_t seq) const {
  if (selection_ == Selection::none) return std::nullopt;
  return mailbox_state_.messages().uid_at(seq);
}

void SessionInvariants::on_command(std::string_view tag, std::string_view command_line) {
  const detail::CommandLine line = detail::parse_command_line(command_line);
  Pending p;
  p.tag = std::string(tag);
  const auto arg = [&line](std::size_t i) -> std::optional<std::string> {
    return i < line.args.size() ? line.args[i] : std::nullopt;
  };
  if (line.name == "SELECT" || line.name == "EXAMINE") {
    p.kind = Kind::select;
    p.mailbox = arg(0);
    p.verb = line.name;
  } else if (line.name == "CLOSE" || line.name == "UNSELECT") {
    p.kind = Kind::close;
  } else if (line.name == "DELETE") {
    p.kind = Kind::delete_mailbox;
    p.mailbox = arg(0);
  } else if (line.name == "RENAME") {
    p.kind = Kind::rename;
    p.mailbox = arg(0);
    p.to = arg(1);
  }
  pending_.push_back(std::move(p));
  start_front();
}

// RFC 9051 §5.5: the server runs commands in order, so a SELECT/EXAMINE takes effect once every
// command sent before it has completed; responses until then belong to the previous selection.
void SessionInvariants::start_front() {
  if (!pending_.empty() && pending_.front().kind == Kind::select && !pending_.front().started) {
    begin_select(pending_.front());
  }
}

// RFC 9051 §6.3.2: SELECT deselects the current mailbox before it tries the new one.
void SessionInvariants::begin_select(Pending& p) {
  p.started = true;
  before_select_.emplace(Saved{selection_, std::move(mailbox_), std::move(selecting_verb_), std::move(mailbox_state_)});
  selection_ = Selection::selecting;
  mailbox_ = p.mailbox;
  selecting_verb_ = p.verb;
  mailbox_state_ = fresh_state();
}

void SessionInvariants::deselect() {
  selection_ = Selection::none;
  mailbox_.reset();
  mailbox_state_ = fresh_state();
  before_select_.reset();
}

std::optional<Violation> SessionInvariants::on_response(const Response& r) {
  switch (r.kind) {
    case Response::Kind::tagged:
      return on_tagged(r);
    case Response::Kind::untagged:
      return on_untagged(r);
    case Response::Kind::continuation:
      break;
  }
  return std::nullopt;
}

std::optional<Violation> SessionInvariants::on_tagged(const Response& r) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&r](const Pending& p) { return p.tag == r.tag; });
  if (it == pending_.end()) {
    // RFC 9051 §2.2.2: a completion "is tagged with the same tag as the client command that began
    // the operation" — one completion per command.
    const std::string actual = fmt::format("{} {}", r.tag, r.status.empty() ? r.name : r.status);
    if (completed_count_.contains(r.tag)) {
      return Violation{std::string(rules::tag_unknown),
                       fmt::format("second tagged completion for tag {}, whose command had already completed", r.tag),
                       "one tagged completion per command", actual};
    }
    return Violation{std::string(rules::tag_unknown),
                     fmt::format("tagged completion for tag {}, which the client never sent", r.tag),
                     "the tag of a command in progress", actual};
  }
  Pending p = std::move(*it);
  pending_.erase(it);
  remember_completed(p.tag);
  if (p.kind == Kind::select && !p.started) begin_select(p);  // completed out of order
  std::optional<Violation> first = on_status_code(r);
  complete(p, r);
  start_front();
  return first;
}

void SessionInvariants::complete(Pending& p, const Response& r) {
  const bool ok = iequals(r.status, "OK");
  switch (p.kind) {
    case Kind::select:
      if (ok) {
        selection_ = Selection::selected;
        before_select_.reset();
      } else if (iequals(r.status, "BAD") && before_select_) {
        // BAD: the command was not run; the previous selection stands.
        selection_ = before_select_->selection;
        mailbox_ = std::move(before_select_->mailbox);
        selecting_verb_ = std::move(before_select_->verb);
        mailbox_state_ = std::move(before_select_->state);
        before_select_.reset();
      } else {
        deselect();  // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected
      }
      break;
    case Kind::close:
      if (ok) deselect();
      break;
    case Kind::delete_mailbox:
      if (ok && p.mailbox) book().forget(*p.mailbox);
      break;
    case Kind::rename:
      if (ok && p.mailbox) book().forget_with_inferiors(*p.mailbox);
      if (ok && p.to) book().forget_with_inferiors(*p.to);
      break;
    case Kind::other:
      break;
  }
}

void SessionInvariants::remember_completed(const std::string& tag) {
  if (limits_.recent_tags == 0) return;
  completed_.push_back(tag);
  ++completed_count_[tag];
  while (completed_.size() > limits_.recent_tags) {
    auto it = completed_count_.find(completed_.front());
    if (it != completed_count_.end() && --it->second == 0) completed_count_.erase(it);
    completed_.pop_front();
  }
}

std::optional<Violation> SessionInvariants::on_untagged(const Response& r) {
  if (r.is_status()) return on_status_code(r);
  if (iequals(r.name, "STATUS")) return on_status_data(r);
  if (selection_ == Selection::none) return std::nullopt;  // no mailbox: nothing to hold the data against
  if (iequals(r.name, "FLAGS")) {
    if (!r.data.empty()) mailbox_state_.on_flags(r.data.front());
    return std::nullopt;
  }
  if (iequals(r.name, "EXISTS")) {
    return r.number ? mailbox_state_.on_exists(*r.number) : std::nullopt;
  }
  // A selection's messages exist once its EXISTS announced them: message data before that, while
  // selecting, is about the mailbox being left.
  if (selection_ == Selection::selecting && !mailbox_state_.messages().max_exists()) return std::nullopt;
  if (iequals(r.name, "EXPUNGE")) {
    return r.number ? mailbox_state_.on_expunge(*r.number) : std::nullopt;
  }
  if (iequals(r.name, "FETCH")) {
    if (!r.number) return std::nullopt;
    return mailbox_state_.on_fetch(*r.number, r.data.empty() ? Value{} : r.data.front());
  }
  if (iequals(r.name, "VANISHED")) mailbox_state_.on_vanished(r.data);
  return std::nullopt;
}

std::optional<Violation> SessionInvariants::on_status_code(const Response& r) {
  if (r.code.empty() || !iequals(r.status, "OK")) return std::nullopt;
  if (iequals(r.code, "CLOSED")) {
    // RFC 9051 §7.1 CLOSED: what came before it in a selection was about the mailbox being left.
    if (selection_ == Selection::selecting) mailbox_state_ = fresh_state();
    return std::nullopt;
  }
  if (selection_ == Selection::none || r.code_args.empty()) return std::nullopt;
  if (iequals(r.code, "PERMANENTFLAGS")) {
    mailbox_state_.on_permanent_flags(r.code_args.front());
    return std::nullopt;
  }
  if (iequals(r.code, "UIDVALIDITY") && mailbox_) {
    if (auto n = r.code_args.front().number()) {
      return see_uidvalidity(*mailbox_, *n, selecting_verb_.empty() ? "SELECT" : selecting_verb_);
    }
  }
  return std::nullopt;
}

std::optional<Violation> SessionInvariants::on_status_data(const Response& r) {
  // RFC 9051 §7.3.4: * STATUS mailbox (item value ...)
  if (r.data.size() < 2 || r.data[0].kind == Value::Kind::nil || r.data[0].kind == Value::Kind::list) {
    return std::nullopt;
  }
  const Value& items = r.data[1];
  if (items.kind != Value::Kind::list) return std::nullopt;
  for (std::size_t i = 0; i + 1 < items.items.size(); i += 2) {
    if (!items.items[i].is_atom("UIDVALIDITY")) continue;
    if (auto n = items.items[i + 1].number()) return see_uidvalidity(r.data[0].text, *n, "STATUS");
  }
  return std::nullopt;
}

std::optional<Violation> SessionInvariants::see_uidvalidity(const std::string& mailbox, std::uint64_t value,
                                                            std::string_view source) {
  const std::optional<UidValidityBook::Change> change = book().see(mailbox, value);
  if (!change) return std::nullopt;
  // RFC 9051 §2.3.1.1: UIDVALIDITY changes only with a new incarnation of the mailbox.
  return Violation{std::string(rules::uidvalidity_stable),
                   fmt::format("UIDVALIDITY of \"{}\" changed from {} to {} ({}) with no DELETE or RENAME of it in "
                               "between",
                               mailbox, change->before, change->after, source),
                   fmt::format("UIDVALIDITY {}", change->before), fmt::format("UIDVALIDITY {}", change->after)};
}

}  // namespace facteur::imap
