// MaildropBook: unique-ids across sessions (RFC 1939 §7 UIDL: a unique-id "persists across
// sessions", so it keeps naming the same message, of the same size and content).
#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/pop3/maildrop.hpp"

namespace facteur::pop3 {

std::optional<Violation> MaildropBook::record(std::string_view uid, std::uint64_t number,
                                              std::optional<std::uint64_t> size,
                                              std::optional<std::uint64_t> hash) {
  const std::lock_guard lock(mutex_);
  const auto it = ids_.find(std::string(uid));
  if (it == ids_.end()) {
    if (ids_.size() < max_ids_) ids_.emplace(std::string(uid), Entry{number, size, hash});
    return std::nullopt;
  }
  Entry& was = it->second;
  std::optional<Violation> violation;
  if (size && was.size && *size != *was.size) {
    violation = Violation{
        std::string(rules::uidl_stable),
        fmt::format("unique-id \"{}\" named a message of {} octets (message {}) before, now message {} of {} octets",
                    ascii::printable(uid), *was.size, was.number, number, *size),
        fmt::format("{} octets", *was.size), fmt::format("{} octets", *size)};
  } else if (hash && was.hash && *hash != *was.hash) {
    violation = Violation{
        std::string(rules::uidl_stable),
        fmt::format("unique-id \"{}\" named other content before (message {}): RETR of message {} hashes to {:016x}, "
                    "not {:016x}",
                    ascii::printable(uid), was.number, number, *hash, *was.hash),
        fmt::format("{:016x}", *was.hash), fmt::format("{:016x}", *hash)};
  }
  if (!was.size) was.size = size;
  if (!was.hash) was.hash = hash;
  return violation;
}

std::size_t MaildropBook::size() const {
  const std::lock_guard lock(mutex_);
  return ids_.size();
}

}  // namespace facteur::pop3
