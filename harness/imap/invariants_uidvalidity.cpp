// UidValidityBook (harness/imap/invariants.hpp): rule imap.uidvalidity-stable's memory.
#include "harness/imap/invariants.hpp"
#include "harness/imap/invariants_syntax.hpp"

namespace facteur::imap {
namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<UidValidityBook::Change> UidValidityBook::see(std::string_view mailbox, std::uint64_t uidvalidity) {
  const std::string key = detail::mailbox_key(mailbox);
  auto it = values_.find(key);
  if (it == values_.end()) {
    if (values_.size() < max_) values_.emplace(key, uidvalidity);
    return std::nullopt;
  }
  if (it->second == uidvalidity) return std::nullopt;
  const Change change{it->second, uidvalidity};
  it->second = uidvalidity;
  return change;
}

void UidValidityBook::forget(std::string_view mailbox) {
  auto it = values_.find(detail::mailbox_key(mailbox));
  if (it != values_.end()) values_.erase(it);
}

void UidValidityBook::forget_with_inferiors(std::string_view mailbox) {
  const std::string key = detail::mailbox_key(mailbox);
  // RFC 9051 §6.3.6: renaming a mailbox renames its inferiors too; the delimiter is not known here.
  for (auto it = values_.lower_bound(key); it != values_.end() && it->first.starts_with(key);) {
    if (it->first.size() == key.size() || !is_alnum(it->first[key.size()])) {
      it = values_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<std::uint64_t> UidValidityBook::find(std::string_view mailbox) const {
  auto it = values_.find(detail::mailbox_key(mailbox));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace facteur::imap
