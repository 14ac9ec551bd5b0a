// Small pieces of IMAP syntax the session invariants need (harness/imap/invariants.hpp): the
// command name and mailbox arguments of a client command line, mailbox-name keys, UID sets.
// Pure and locale-independent; nothing here throws on any input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::imap::detail {

std::string ascii_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// A client command line without its tag, CRLF or literal contents: "SELECT INBOX",
// "UID FETCH 1:* (FLAGS)", "RENAME \"a b\" c".
struct CommandLine {
  std::string name;  // upper case; a UID prefix is kept ("UID FETCH")
  // The first two arguments read as astrings (RFC 9051 §9 "mailbox"): quoted strings unescaped,
  // atoms as sent; nullopt for a literal ({n}, {n+}, ~{n}: its contents are not on the line) or
  // an argument that is not an astring. Absent arguments are not listed.
  std::vector<std::optional<std::string>> args;
};
CommandLine parse_command_line(std::string_view line);

// The name under which a mailbox is tracked: INBOX in any case is "INBOX" (RFC 9051 §5.1), every
// other name is compared as sent (modified UTF-7 or UTF-8 alike, no normalisation).
std::string mailbox_key(std::string_view name);

// A closed range of UIDs, first <= last.
struct UidRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};
// RFC 9051 §9 "sequence-set" without "*" (RFC 7162 §3.2.10 "known-uids"): "300:310,405,411".
// Ranges may be written high:low. Returns the ranges sorted and merged; nullopt on bad syntax or a 0.
std::optional<std::vector<UidRange>> parse_uid_set(std::string_view text);

}  // namespace facteur::imap::detail
