#include "harness/imap/invariants_sizes.hpp"

#include <fmt/format.h>

#include <string>

namespace facteur::imap::detail {
namespace {

// Merges `facts` into `known` (about message `who`); the first contradiction found is returned.
std::optional<Violation> merge(SizeFacts& known, const SizeFacts& facts, const std::string& who) {
  std::optional<Violation> first;
  const std::string rule(rules::rfc822_size_matches);
  if (facts.rfc822_size) {
    if (known.rfc822_size && *known.rfc822_size != *facts.rfc822_size && !first) {
      first = Violation{rule,
                        fmt::format("RFC822.SIZE of {} changed from {} to {}", who, *known.rfc822_size,
                                    *facts.rfc822_size),
                        fmt::format("RFC822.SIZE {}", *known.rfc822_size),
                        fmt::format("RFC822.SIZE {}", *facts.rfc822_size)};
    }
    known.rfc822_size = facts.rfc822_size;
  }
  if (facts.whole_body) {
    if (known.whole_body && *known.whole_body != *facts.whole_body && !first) {
      first = Violation{rule,
                        fmt::format("the whole message (BODY[]) of {} changed from {} to {} octets", who,
                                    *known.whole_body, *facts.whole_body),
                        fmt::format("BODY[] of {} octets", *known.whole_body),
                        fmt::format("BODY[] of {} octets", *facts.whole_body)};
    }
    known.whole_body = facts.whole_body;
  }
  if (known.rfc822_size && known.whole_body && *known.rfc822_size != *known.whole_body && !first) {
    first = Violation{rule,
                      fmt::format("RFC822.SIZE {} of {} is not the {} octets of its BODY[]", *known.rfc822_size,
                                  who, *known.whole_body),
                      fmt::format("RFC822.SIZE {} (the octets of BODY[])", *known.whole_body),
                      fmt::format("RFC822.SIZE {}", *known.rfc822_size)};
  }
  return first;
}

}  // namespace

SizeFacts* MessageSizes::slot(Table& table, std::uint64_t key) {
  auto it = table.find(key);
  if (it != table.end()) return &it->second;
  if (size() >= max_) return nullptr;
  return &table[key];
}

std::optional<Violation> MessageSizes::record(std::uint64_t seq, std::optional<std::uint64_t> uid,
                                              const SizeFacts& facts) {
  if (!uid) {
    if (!facts.rfc822_size && !facts.whole_body) return std::nullopt;
    SizeFacts* known = slot(by_seq_, seq);
    if (!known) return std::nullopt;
    return merge(*known, facts, fmt::format("message {}", seq));
  }
  // The UID is known now: what was learnt under the sequence number belongs to it.
  std::optional<SizeFacts> earlier;
  if (auto it = by_seq_.find(seq); it != by_seq_.end()) {
    earlier = it->second;
    by_seq_.erase(it);
  }
  if (!earlier && !facts.rfc822_size && !facts.whole_body) return std::nullopt;
  SizeFacts* known = slot(by_uid_, *uid);
  if (!known) return std::nullopt;
  const std::string who = fmt::format("UID {}", *uid);
  std::optional<Violation> first;
  if (earlier) first = merge(*known, *earlier, who);
  std::optional<Violation> now = merge(*known, facts, who);
  return first ? first : now;
}

}  // namespace facteur::imap::detail
