// MaildropTracker: LIST and UIDL, in their multi-line and single-message forms (RFC 1939 §5, §7).
#include <algorithm>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/pop3/detail/listing.hpp"
#include "harness/pop3/maildrop.hpp"

namespace facteur::pop3 {
namespace {

// RFC 1939 §7: a unique-id is one to 70 characters in the range 0x21 to 0x7E.
bool valid_uid(std::string_view uid) {
  return !uid.empty() && uid.size() <= 70 &&
         std::all_of(uid.begin(), uid.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

std::string source_name(bool multi, std::string_view command, std::uint64_t number) {
  return multi ? fmt::format("the multi-line {}", command) : fmt::format("{} {}", command, number);
}

}  // namespace

// RFC 1939 §5 LIST: one scan listing "n size" per message not marked as deleted.
void MaildropTracker::on_list(const Response& response) {
  std::uint64_t sum = 0;
  bool sum_known = response.all_lines_kept();
  std::unordered_set<std::uint64_t> listed;
  for (std::size_t i = 0; i < response.lines.size(); ++i) {
    const std::string& line = response.lines[i];
    const auto scan = detail::parse_sized(line);
    if (!scan) {
      report(rules::listing_format,
             fmt::format("LIST line {} \"{}\" is not a scan listing \"n size\"", i + 1, ascii::printable(line)),
             "n size", ascii::printable(line));
      sum_known = false;
      continue;
    }
    if (!listed.insert(scan->number).second) {
      report(rules::listing_format, fmt::format("LIST lists message {} twice (line {})", scan->number, i + 1),
             "one scan listing per message", fmt::format("message {} listed again", scan->number));
      sum_known = false;
      continue;
    }
    if (const Message* m = message(scan->number, false); m != nullptr && m->deleted) {
      report(rules::deleted_visible, fmt::format("LIST lists message {}, which was DELE'd", scan->number),
             "not listed", fmt::format("{} {}", scan->number, scan->size));
    }
    learn_size(scan->number, scan->size, true);
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    sum = scan->size > max - sum ? max : sum + scan->size;
  }
  observe_totals(response.line_count, sum_known ? std::optional<std::uint64_t>(sum) : std::nullopt, "LIST");
}

// "+OK n size" for LIST n.
void MaildropTracker::on_list_one(std::uint64_t number, const Response& response) {
  if (!check_number("LIST", number)) return;
  if (const Message* m = message(number, false); m != nullptr && m->deleted) {
    report(rules::deleted_visible, fmt::format("LIST {} gave +OK, but message {} was DELE'd", number, number), "-ERR",
           fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  const auto scan = detail::parse_sized(response.text);
  if (!scan) {
    report(rules::listing_format,
           fmt::format("LIST {} answered \"+OK {}\", not a scan listing \"+OK n size\"", number,
                       ascii::printable(response.text)),
           fmt::format("+OK {} size", number), fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  if (scan->number != number) {
    report(rules::list_single_multi, fmt::format("LIST {} answered for message {}", number, scan->number),
           fmt::format("+OK {} ...", number), fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  learn_size(number, scan->size, false);
}

// RFC 1939 §7 UIDL: one unique-id listing "n unique-id" per message not marked as deleted.
void MaildropTracker::on_uidl(const Response& response) {
  std::unordered_set<std::uint64_t> listed;
  for (std::size_t i = 0; i < response.lines.size(); ++i) {
    const std::string& line = response.lines[i];
    const auto listing = detail::parse_listing(line);
    if (!listing) {
      report(rules::listing_format,
             fmt::format("UIDL line {} \"{}\" is not a unique-id listing \"n unique-id\"", i + 1,
                         ascii::printable(line)),
             "n unique-id", ascii::printable(line));
      continue;
    }
    if (!listed.insert(listing->number).second) {
      report(rules::listing_format, fmt::format("UIDL lists message {} twice (line {})", listing->number, i + 1),
             "one unique-id listing per message", fmt::format("message {} listed again", listing->number));
      continue;
    }
    if (const Message* m = message(listing->number, false); m != nullptr && m->deleted) {
      report(rules::deleted_visible, fmt::format("UIDL lists message {}, which was DELE'd", listing->number),
             "not listed", ascii::printable(line));
    }
    learn_uid(listing->number, listing->rest, true);
  }
}

// "+OK n unique-id" for UIDL n.
void MaildropTracker::on_uidl_one(std::uint64_t number, const Response& response) {
  if (!check_number("UIDL", number)) return;
  if (const Message* m = message(number, false); m != nullptr && m->deleted) {
    report(rules::deleted_visible, fmt::format("UIDL {} gave +OK, but message {} was DELE'd", number, number), "-ERR",
           fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  const auto listing = detail::parse_listing(response.text);
  if (!listing) {
    report(rules::listing_format,
           fmt::format("UIDL {} answered \"+OK {}\", not a unique-id listing \"+OK n unique-id\"", number,
                       ascii::printable(response.text)),
           fmt::format("+OK {} unique-id", number), fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  if (listing->number != number) {
    report(rules::list_single_multi, fmt::format("UIDL {} answered for message {}", number, listing->number),
           fmt::format("+OK {} ...", number), fmt::format("+OK {}", ascii::printable(response.text)));
    return;
  }
  learn_uid(number, listing->rest, false);
}

void MaildropTracker::learn_size(std::uint64_t number, std::uint64_t size, bool multi) {
  Message* m = message(number, true);
  if (m == nullptr) return;
  if (m->size) {
    if (*m->size != size) {
      report(rules::list_single_multi,
             fmt::format("{} says message {} has {} octets, {} said {}", source_name(multi, "LIST", number), number,
                         size, source_name(m->size_from_multi, "LIST", number), *m->size),
             fmt::format("{} octets", *m->size), fmt::format("{} octets", size));
    }
    return;
  }
  m->size = size;
  m->size_from_multi = multi;
  if (const auto it = fetched_.find(number); it != fetched_.end() && it->second.retrieved) {
    compare_retr_size(number, it->second.octets);
  }
  tell_book(number);
}

void MaildropTracker::learn_uid(std::uint64_t number, std::string_view uid, bool multi) {
  if (!valid_uid(uid)) {
    report(rules::uidl_unique,
           fmt::format("{} gives message {} the unique-id \"{}\" ({} octets), not 1 to 70 characters 0x21-0x7E",
                       source_name(multi, "UIDL", number), number, ascii::printable(uid), uid.size()),
           "1-70 characters 0x21-0x7E", ascii::printable(uid));
    return;
  }
  Message* m = message(number, true);
  if (m == nullptr) return;
  if (!m->uid.empty()) {
    if (m->uid != uid) {
      report(rules::list_single_multi,
             fmt::format("{} says message {} has unique-id \"{}\", {} said \"{}\"", source_name(multi, "UIDL", number),
                         number, uid, source_name(m->uid_from_multi, "UIDL", number), m->uid),
             m->uid, std::string(uid));
    }
    return;
  }
  const auto [owner, inserted] = uid_owner_.try_emplace(std::string(uid), number);
  if (!inserted && owner->second != number) {
    // RFC 1939 §7 tolerates one unique-id for two identical copies of a message: spared when both
    // are known to have the same size and content.
    const std::uint64_t other = owner->second;
    const Message* o = message(other, false);
    const auto a = fetched_.find(number);
    const auto b = fetched_.find(other);
    const bool identical = o != nullptr && o->size && m->size && *o->size == *m->size && a != fetched_.end() &&
                           b != fetched_.end() && a->second.retrieved && b->second.retrieved &&
                           a->second.hash == b->second.hash;
    if (!identical) {
      report(rules::uidl_unique,
             fmt::format("messages {} and {} have the same unique-id \"{}\"", other, number, uid),
             "a unique-id per message", fmt::format("\"{}\" on messages {} and {}", uid, other, number));
    }
  }
  m->uid = uid;
  m->uid_from_multi = multi;
  tell_book(number);
}

// Tells the shared book what this session knows about the message under its unique-id.
void MaildropTracker::tell_book(std::uint64_t number) {
  if (book_ == nullptr) return;
  const Message* m = message(number, false);
  if (m == nullptr || m->uid.empty()) return;
  std::optional<std::uint64_t> hash;
  if (const auto it = fetched_.find(number); it != fetched_.end() && it->second.retrieved) hash = it->second.hash;
  if (auto violation = book_->record(m->uid, number, m->size, hash)) {
    report(violation->rule, std::move(violation->message), std::move(violation->expected),
           std::move(violation->actual));
  }
}

}  // namespace facteur::pop3
