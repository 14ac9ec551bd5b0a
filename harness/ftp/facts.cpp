// MLSx entries (RFC 3659 §7.2, §7.4, §7.5) and the MLST reply.
#include "harness/ftp/facts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/ftp/detail/numbers.hpp"

namespace facteur::ftp {
namespace {

constexpr bool is_name_octet(char c) { return c >= 0x21 && c <= 0x7e && c != '=' && c != ';'; }
constexpr bool is_value_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u != 0x7f && c != ';';
}

// One "name=value" (without its ';'); "" when it was added to `entry`, the reason otherwise.
std::string add_fact(std::string_view fact, Entry& entry) {
  const std::size_t eq = fact.find('=');
  if (eq == std::string_view::npos) return fmt::format("fact \"{}\" has no '='", ascii::printable(fact));
  const std::string_view name = fact.substr(0, eq);
  const std::string_view value = fact.substr(eq + 1);
  if (name.empty()) return fmt::format("fact \"{}\" has no name", ascii::printable(fact));
  if (!std::all_of(name.begin(), name.end(), is_name_octet)) {
    return fmt::format("fact name \"{}\" has an octet outside visible ASCII", ascii::printable(name));
  }
  if (!std::all_of(value.begin(), value.end(), is_value_octet)) {
    return fmt::format("fact \"{}\" has a control octet in its value", ascii::printable(fact));
  }
  if (!entry.facts.try_emplace(ascii::lower(name), value).second) {
    return fmt::format("fact \"{}\" is given twice", ascii::lower(name));
  }
  return {};
}

}  // namespace

const std::string* Entry::fact(std::string_view name) const {
  const auto it = facts.find(ascii::lower(name));
  return it == facts.end() ? nullptr : &it->second;
}

Parsed<std::uint64_t> Entry::size() const {
  const std::string* value = fact("size");
  if (value == nullptr) return Failure{"no size fact"};
  std::uint64_t size = 0;
  if (!detail::parse_u64(*value, size)) {
    return Failure{fmt::format("size fact \"{}\" is not a decimal number of 64 bits", ascii::printable(*value))};
  }
  return size;
}

Parsed<TimeVal> Entry::modify() const {
  const std::string* value = fact("modify");
  if (value == nullptr) return Failure{"no modify fact"};
  Parsed<TimeVal> time = parse_time_val(*value);
  if (!time.ok()) return Failure{"modify fact: " + time.error};
  return time;
}

std::string Entry::type() const {
  const std::string* value = fact("type");
  return value == nullptr ? std::string() : ascii::lower(*value);
}

std::string Entry::str() const {
  std::string line;
  for (const auto& [name, value] : facts) line += name + "=" + value + ";";
  return line + " " + path;
}

Parsed<Entry> parse_entry(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return Failure{fmt::format("entry \"{}\" has no space between the facts and the pathname", ascii::printable(line))};
  }
  std::string_view facts = line.substr(0, space);
  if (!facts.empty() && facts.back() != ';') {
    return Failure{fmt::format("entry \"{}\": the facts do not end with ';'", ascii::printable(line))};
  }
  Entry entry;
  while (!facts.empty()) {
    const std::size_t semi = facts.find(';');
    if (std::string error = add_fact(facts.substr(0, semi), entry); !error.empty()) {
      return Failure{fmt::format("entry \"{}\": {}", ascii::printable(line), error)};
    }
    facts.remove_prefix(semi + 1);
  }
  entry.path = std::string(line.substr(space + 1));
  return entry;
}

Parsed<std::vector<Entry>> parse_mlst(const Reply& reply) {
  if (reply.code != 250) return Failure{fmt::format("MLST answered {}, not 250", reply.code)};
  if (!reply.all_lines_kept()) {
    return Failure{fmt::format("MLST reply has {} lines, only {} were kept", reply.line_count, reply.lines.size())};
  }
  if (!reply.multiline || reply.lines.size() < 3) return Failure{"MLST reply holds no entry line"};
  std::vector<Entry> entries;
  for (std::size_t i = 1; i + 1 < reply.lines.size(); ++i) {
    const std::string_view line = reply.lines[i];
    // RFC 3659 §7.2: the facts follow one space, so no entry line can pass for the last line.
    if (line.empty() || line[0] != ' ') {
      return Failure{fmt::format("MLST line {} \"{}\" does not begin with a space", i + 1, ascii::printable(line))};
    }
    Parsed<Entry> entry = parse_entry(line.substr(1));
    if (!entry.ok()) return Failure{fmt::format("MLST line {}: {}", i + 1, entry.error)};
    if (!entries.empty() && entry.value.path != entries.front().path) {
      return Failure{fmt::format("MLST line {} names \"{}\", line 2 \"{}\": one path per reply", i + 1,
                                 ascii::printable(entry.value.path), ascii::printable(entries.front().path))};
    }
    entries.push_back(std::move(entry.value));
  }
  return entries;
}

}  // namespace facteur::ftp
