// MaildropTracker: RETR and TOP (RFC 1939 §5 RETR, §7 TOP) against LIST and each other.
#include <algorithm>

#include <fmt/format.h>

#include "harness/pop3/maildrop.hpp"

namespace facteur::pop3 {
namespace {

// The blank line that separates the header from the body (RFC 5322 §2.1), among the kept lines.
std::optional<std::size_t> blank_line(const Response& response) {
  for (std::size_t i = 0; i < response.lines.size(); ++i) {
    if (response.lines[i].empty()) return i;
  }
  return std::nullopt;
}

}  // namespace

// The record of a message, or `scratch` when max_messages are tracked already.
MaildropTracker::Fetched& MaildropTracker::fetched(std::uint64_t number, Fetched& scratch) {
  auto it = fetched_.find(number);
  if (it == fetched_.end() && fetched_.size() < limits_.max_messages) it = fetched_.try_emplace(number).first;
  return it == fetched_.end() ? scratch : it->second;
}

void MaildropTracker::on_retr(std::uint64_t number, const Response& response) {
  if (!check_number("RETR", number)) return;
  if (const Message* m = message(number, false); m != nullptr && m->deleted) {
    report(rules::deleted_visible, fmt::format("RETR {} gave +OK, but message {} was DELE'd", number, number), "-ERR",
           "+OK");
    return;
  }
  Fetched scratch;
  Fetched& f = fetched(number, scratch);
  const bool stored = &f != &scratch;
  if (stored) prefix_hashes_ -= f.prefix.size();
  f.retrieved = true;
  f.octets = response.body_octets;
  f.hash = response.body_hash;
  f.lines = response.line_count;
  f.all_kept = response.all_lines_kept();
  f.header_end = blank_line(response);
  // Hashes of each prefix of the message, for TOP: as many lines as the budgets allow.
  const std::size_t budget = limits_.max_prefix_hashes - std::min(prefix_hashes_, limits_.max_prefix_hashes);
  const std::size_t keep = std::min({response.lines.size(), limits_.max_prefix_lines, budget});
  f.prefix.clear();
  f.prefix.reserve(keep);
  std::uint64_t hash = fnv1a64_basis;
  for (std::size_t i = 0; i < keep; ++i) {
    hash = fnv1a64("\r\n", fnv1a64(response.lines[i], hash));
    f.prefix.push_back(hash);
  }
  if (stored) prefix_hashes_ += keep;

  compare_retr_size(number, f.octets);
  if (f.top) compare_top_retr(number, f, nullptr);
  tell_book(number);
}

// RFC 1939 §5 LIST: "the exact size of the message in octets"; RETR sends the message.
void MaildropTracker::compare_retr_size(std::uint64_t number, std::size_t octets) {
  const Message* m = message(number, false);
  if (m == nullptr || !m->size || *m->size == octets) return;
  report(rules::list_retr_size,
         fmt::format("LIST says message {} has {} octets, RETR returned {}", number, *m->size, octets),
         fmt::format("{} octets", *m->size), fmt::format("{} octets", octets));
}

// RFC 1939 §7 TOP msg n: the header, the blank line, then n lines of the body.
void MaildropTracker::on_top(std::uint64_t number, std::optional<std::uint64_t> k, const Response& response) {
  if (!check_number("TOP", number)) return;
  if (const Message* m = message(number, false); m != nullptr && m->deleted) {
    report(rules::deleted_visible, fmt::format("TOP {} gave +OK, but message {} was DELE'd", number, number), "-ERR",
           "+OK");
    return;
  }
  if (!k) return;  // no line count: nothing to hold the answer to
  if (const auto blank = blank_line(response)) {
    const std::size_t body = response.line_count - (*blank + 1);
    if (body > *k) {
      report(rules::top_lines,
             fmt::format("TOP {} {} returned {} body lines after the header, more than {}", number, *k, body, *k),
             fmt::format("at most {} body lines", *k), fmt::format("{} body lines", body));
      return;
    }
  }
  Fetched scratch;
  Fetched& f = fetched(number, scratch);
  f.top = Top{*k, response.line_count, response.body_hash};
  if (f.retrieved) compare_top_retr(number, f, &response);
}

// TOP's lines against RETR's: exactly the header, blank line and k body lines (the whole message
// when it has fewer), and the same lines. `top` is the TOP response when at hand, to name the
// first line that differs. Lenient where RETR's lines were not kept.
void MaildropTracker::compare_top_retr(std::uint64_t number, const Fetched& f, const Response* top) {
  const Top& t = *f.top;
  std::optional<std::size_t> expected;
  std::string why;
  if (f.header_end) {
    const std::size_t header = *f.header_end + 1;  // header lines and the blank line
    const std::size_t body = f.lines - header;
    expected = header + static_cast<std::size_t>(std::min<std::uint64_t>(t.k, body));
    why = fmt::format("RETR {} has {} lines with the blank line after the header at line {}", number, f.lines, header);
  } else if (f.all_kept) {
    expected = f.lines;  // no blank line: all header, sent whole
    why = fmt::format("RETR {} has {} lines and no blank line", number, f.lines);
  }
  if (expected && t.lines != *expected) {
    report(rules::top_lines,
           fmt::format("TOP {} {} returned {} lines; {}, so expected {}", number, t.k, t.lines, why, *expected),
           fmt::format("{} lines", *expected), fmt::format("{} lines", t.lines));
    return;
  }
  if (t.lines == 0) return;
  if (t.lines > f.lines) {
    report(rules::top_lines,
           fmt::format("TOP {} {} returned {} lines, more than the {} of RETR {}", number, t.k, t.lines, f.lines,
                       number),
           fmt::format("at most {} lines", f.lines), fmt::format("{} lines", t.lines));
    return;
  }
  bool same = false;
  if (t.lines == f.lines) {
    same = t.hash == f.hash;
  } else if (t.lines <= f.prefix.size()) {
    same = t.hash == f.prefix[t.lines - 1];
  } else {
    return;  // RETR's lines were not kept that far
  }
  if (same) return;
  std::string where;
  if (top != nullptr) {
    std::uint64_t hash = fnv1a64_basis;
    const std::size_t n = std::min(top->lines.size(), f.prefix.size());
    for (std::size_t i = 0; i < n; ++i) {
      hash = fnv1a64("\r\n", fnv1a64(top->lines[i], hash));
      if (hash != f.prefix[i]) {
        where = fmt::format(", line {} differs", i + 1);
        break;
      }
    }
  }
  report(rules::top_lines,
         fmt::format("TOP {} {} returned {} lines that are not the first {} lines of RETR {}{}", number, t.k, t.lines,
                     t.lines, number, where),
         fmt::format("the first {} lines of RETR {}", t.lines, number), "other lines");
}

}  // namespace facteur::pop3
