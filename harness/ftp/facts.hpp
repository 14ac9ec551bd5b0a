// Entries of the machine listings, MLST and MLSD (RFC 3659 §7): a set of facts and a pathname,
// "type=file;size=1024;modify=20260101120000;perm=r; name with spaces.txt".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ftp/parsed.hpp"
#include "harness/ftp/reply.hpp"
#include "harness/ftp/time_val.hpp"

namespace facteur::ftp {

struct Entry {
  // Lower-cased fact name (RFC 3659 §7.5: case-insensitive) → its value as sent.
  std::map<std::string, std::string> facts;
  std::string path;  // everything after the space that ends the facts: spaces and ';' included

  const std::string* fact(std::string_view name) const;  // nullptr when absent; any case
  // The standard facts read (RFC 3659 §7.5.1, §7.5.3, §7.5.7); an error when absent or malformed.
  Parsed<std::uint64_t> size() const;
  Parsed<TimeVal> modify() const;
  std::string type() const;  // lower-cased; "" when absent ("file", "dir", "cdir", "pdir", "os.name=type")
  std::string str() const;   // back to an entry line (facts in name order): parse_entry(e.str()) == e
  friend bool operator==(const Entry&, const Entry&) = default;
};

// One entry (RFC 3659 §7.2): entry = [facts] SP pathname, facts = 1*(fact ";"), fact = factname "="
// value. An MLSD data line as it is; an MLST line without its leading space. Exactly one space ends
// the facts (none inside them); the pathname may be empty (MLST of the current directory). A fact
// name is visible ASCII without '=' or ';'; a value has no ';' or control octet (8-bit octets are
// kept). A fact named twice is an error.
Parsed<Entry> parse_entry(std::string_view line);

// The MLST reply (RFC 3659 §7.2 control-response): a multi-line 250 whose lines between the first
// and the last are SP entry, at least one; several only for several types of one path, so every
// entry must name the same path.
Parsed<std::vector<Entry>> parse_mlst(const Reply& reply);

}  // namespace facteur::ftp
