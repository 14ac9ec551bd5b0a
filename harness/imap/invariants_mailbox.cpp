#include "harness/imap/invariants_mailbox.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "harness/imap/invariants_syntax.hpp"

namespace facteur::imap::detail {
namespace {

void keep(std::optional<Violation>& first, std::optional<Violation> next) {
  if (!first && next) first = std::move(next);
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string messages_between(std::uint64_t n) { return n == 1 ? "1 message" : fmt::format("{} messages", n); }

Violation describe(const UidConflict& c) {
  const std::string ascending(rules::uid_ascending);
  switch (c.kind) {
    case UidConflict::Kind::changed:
      return Violation{std::string(rules::uid_stable),
                       fmt::format("UID of seq {} changed from {} to {} with no EXPUNGE or VANISHED in between", c.seq,
                                   c.other_uid, c.uid),
                       fmt::format("UID {}", c.other_uid), fmt::format("UID {}", c.uid)};
    case UidConflict::Kind::below: {
      const std::string expected = fmt::format("UID >= {}", c.other_uid + (c.seq - c.other_seq));
      if (c.other_seq == 0) {
        return Violation{ascending,
                         fmt::format("UID {} at seq {} leaves no room for the {} before it (UIDs start at 1)", c.uid,
                                     c.seq, messages_between(c.seq - 1)),
                         expected, fmt::format("UID {}", c.uid)};
      }
      if (c.uid <= c.other_uid) {
        return Violation{ascending,
                         fmt::format("UID {} at seq {} is not above UID {} at seq {}", c.uid, c.seq, c.other_uid,
                                     c.other_seq),
                         expected, fmt::format("UID {}", c.uid)};
      }
      return Violation{ascending,
                       fmt::format("UID {} at seq {} leaves no room for the {} between it and UID {} at seq {}", c.uid,
                                   c.seq, messages_between(c.seq - c.other_seq - 1), c.other_uid, c.other_seq),
                       expected, fmt::format("UID {}", c.uid)};
    }
    case UidConflict::Kind::above: {
      const std::string expected = fmt::format("UID <= {}", c.other_uid - (c.other_seq - c.seq));
      if (c.uid >= c.other_uid) {
        return Violation{ascending,
                         fmt::format("UID {} at seq {} is not below UID {} at seq {}", c.uid, c.seq, c.other_uid,
                                     c.other_seq),
                         expected, fmt::format("UID {}", c.uid)};
      }
      return Violation{ascending,
                       fmt::format("UID {} at seq {} leaves no room for the {} between it and UID {} at seq {}", c.uid,
                                   c.seq, messages_between(c.other_seq - c.seq - 1), c.other_uid, c.other_seq),
                       expected, fmt::format("UID {}", c.uid)};
    }
  }
  return Violation{ascending, "UID conflict", "", ""};
}

}  // namespace

std::optional<Violation> MailboxState::check_seq(std::string_view what, std::uint64_t seq) const {
  const std::string rule(rules::seq_within_exists);
  if (seq == 0) {
    return Violation{rule, fmt::format("{} 0: message sequence numbers start at 1", what), "seq >= 1", "seq 0"};
  }
  const std::optional<std::uint64_t> max = messages_.max_exists();
  if (!max || seq <= *max) return std::nullopt;
  // RFC 9051 §2.3.1.2: sequence numbers run from 1 to the number of messages in the mailbox.
  const std::string count = messages_.exists() ? fmt::format("the {}", *max) : fmt::format("at most {}", *max);
  return Violation{rule,
                   fmt::format("{} {} is beyond {} messages in the mailbox (EXISTS less EXPUNGE/VANISHED)", what, seq,
                               count),
                   fmt::format("seq <= {}", *max), fmt::format("seq {}", seq)};
}

std::optional<Violation> MailboxState::on_exists(std::uint64_t n) {
  const std::optional<std::uint64_t> shrunk = messages_.on_exists(n);
  if (!shrunk) return std::nullopt;
  sizes_.renumbered();
  // RFC 9051 §5.2: "it is NOT permitted to send an EXISTS response that would reduce the number of
  // messages in the mailbox; only the EXPUNGE response can do this".
  return Violation{std::string(rules::exists_no_shrink),
                   fmt::format("EXISTS {} is below the {} messages already in the mailbox, with no EXPUNGE or "
                               "VANISHED in between",
                               n, *shrunk),
                   fmt::format("EXISTS >= {}", *shrunk), fmt::format("EXISTS {}", n)};
}

std::optional<Violation> MailboxState::on_expunge(std::uint64_t seq) {
  std::optional<Violation> first = check_seq("EXPUNGE", seq);
  if (seq == 0) return first;
  messages_.note_seq(seq);
  messages_.expunge(seq);  // RFC 9051 §7.5.1: later messages move down by one
  sizes_.renumbered();
  return first;
}

void MailboxState::on_vanished(const std::vector<Value>& data) {
  bool earlier = false;
  const std::string* set = nullptr;
  for (const Value& v : data) {
    if (v.kind == Value::Kind::list) {
      const auto is_earlier = [](const Value& i) { return i.is_atom("EARLIER"); };
      earlier = earlier || std::any_of(v.items.begin(), v.items.end(), is_earlier);
    } else if (v.kind == Value::Kind::atom || v.kind == Value::Kind::number) {
      set = &v.text;
    }
  }
  if (!set) return;
  const std::optional<std::vector<UidRange>> uids = parse_uid_set(*set);
  if (earlier) {
    if (uids) messages_.on_vanished(*uids, true);
    return;
  }
  if (uids) {
    messages_.on_vanished(*uids, false);
  } else {
    messages_.on_vanished_unreadable();
  }
  sizes_.renumbered();
}

std::optional<Violation> MailboxState::check_uid(std::uint64_t seq, const Value& uid) {
  const std::optional<std::uint64_t> n = uid.number();
  const bool digits = all_digits(uid.text);
  if (!digits) return std::nullopt;  // not a number at all: the parser's business, not an invariant
  if (!n || *n == 0 || *n > std::numeric_limits<std::uint32_t>::max()) {
    return Violation{std::string(rules::uid_range),
                     fmt::format("FETCH {} carries UID {}: a UID is a non-zero 32-bit number", seq, uid.text),
                     "UID in 1..4294967295", fmt::format("UID {}", uid.text)};
  }
  const std::optional<UidConflict> conflict = messages_.on_uid(seq, *n);
  if (!conflict) return std::nullopt;
  return describe(*conflict);
}

std::optional<Violation> MailboxState::check_flags(std::uint64_t seq, const Value& flags) const {
  if (!flags_ || flags.kind != Value::Kind::list) return std::nullopt;  // none announced yet: any flag goes
  const auto listed = [](const std::optional<FlagList>& list, const std::string& flag) {
    return list && std::binary_search(list->upper.begin(), list->upper.end(), flag);
  };
  for (const Value& f : flags.items) {
    if (f.kind != Value::Kind::atom) continue;
    const std::string upper = ascii_upper(f.text);
    // RFC 3501 §2.3.2: \Recent is session state, never in FLAGS, yet FETCH FLAGS may carry it.
    if (upper == "\\RECENT" || listed(flags_, upper) || listed(permanent_, upper)) continue;
    const std::string permanent = permanent_ ? permanent_->wire : std::string("(none sent)");
    return Violation{std::string(rules::flags_announced),
                     fmt::format("FETCH {} FLAGS has {}, which is in neither the latest FLAGS {} nor PERMANENTFLAGS {}",
                                 seq, f.text, flags_->wire, permanent),
                     fmt::format("a flag of FLAGS {} or PERMANENTFLAGS {}", flags_->wire, permanent), f.text};
  }
  return std::nullopt;
}

std::optional<Violation> MailboxState::on_fetch(std::uint64_t seq, const Value& attributes) {
  std::optional<Violation> first = check_seq("FETCH", seq);
  if (seq == 0) return first;
  messages_.note_seq(seq);
  if (attributes.kind != Value::Kind::list) return first;
  const Value* uid = nullptr;
  const Value* flags = nullptr;
  SizeFacts sizes;
  const std::vector<Value>& items = attributes.items;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    const Value& name = items[i];
    const Value& value = items[i + 1];
    if (name.is_atom("UID")) {
      uid = &value;
    } else if (name.is_atom("FLAGS")) {
      flags = &value;
    } else if (name.is_atom("RFC822.SIZE")) {
      if (auto n = value.number()) sizes.rfc822_size = n;
    } else if ((name.is_atom("BODY[]") || name.is_atom("BODY.PEEK[]") || name.is_atom("RFC822")) &&
               value.kind == Value::Kind::string) {
      // The whole message: no section, no <partial>. BINARY[] decodes, so it does not count.
      sizes.whole_body = value.text.size();
    }
  }
  if (uid) keep(first, check_uid(seq, *uid));
  if (flags) keep(first, check_flags(seq, *flags));
  std::optional<std::uint64_t> key = messages_.uid_at(seq);
  if (uid) {
    const std::optional<std::uint64_t> n = uid->number();
    if (n && *n != 0 && *n <= std::numeric_limits<std::uint32_t>::max()) key = n;
  }
  keep(first, sizes_.record(seq, key, sizes));
  return first;
}

MailboxState::FlagList MailboxState::read_flags(const Value& list) {
  constexpr std::size_t kMaxShown = 200;  // keep violation messages one readable line
  FlagList out;
  out.wire = list.wire();
  if (out.wire.size() > kMaxShown) out.wire = out.wire.substr(0, kMaxShown - 4) + " ...";
  if (list.kind != Value::Kind::list) return out;
  for (const Value& f : list.items) {
    if (f.kind == Value::Kind::atom) out.upper.push_back(ascii_upper(f.text));
  }
  std::sort(out.upper.begin(), out.upper.end());
  return out;
}

void MailboxState::on_flags(const Value& list) { flags_ = read_flags(list); }

void MailboxState::on_permanent_flags(const Value& list) { permanent_ = read_flags(list); }

}  // namespace facteur::imap::detail
