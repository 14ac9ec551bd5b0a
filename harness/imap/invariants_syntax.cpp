#include "harness/imap/invariants_syntax.hpp"

#include <algorithm>
#include <cstddef>

namespace facteur::imap::detail {
namespace {

constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Reads one word (up to a space) from `line` at `pos`.
std::string_view word(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  const std::size_t start = pos;
  while (pos < line.size() && line[pos] != ' ') ++pos;
  return line.substr(start, pos - start);
}

// RFC 9051 §9: atom-specials end an atom; ']' (resp-specials) is allowed in an astring.
bool ends_atom(char c) {
  return c == ' ' || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' || c == '*' ||
         static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

// Reads one astring argument at `pos`. nullopt for a literal or anything else; `ok` false when the
// line cannot be read further.
std::optional<std::string> astring(std::string_view line, std::size_t& pos, bool& ok) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (pos >= line.size()) {
    ok = false;
    return std::nullopt;
  }
  if (line[pos] == '"') {
    std::string out;
    for (++pos; pos < line.size(); ++pos) {
      char c = line[pos];
      if (c == '"') {
        ++pos;
        return out;
      }
      if (c == '\\' && pos + 1 < line.size()) c = line[++pos];
      out += c;
    }
    ok = false;  // unterminated
    return std::nullopt;
  }
  if (line[pos] == '{' || (line[pos] == '~' && pos + 1 < line.size() && line[pos + 1] == '{')) {
    const std::size_t close = line.find('}', pos);
    pos = close == std::string_view::npos ? line.size() : close + 1;
    return std::nullopt;  // a literal: its contents are not on the command line
  }
  const std::size_t start = pos;
  while (pos < line.size() && !ends_atom(line[pos])) ++pos;
  if (pos == start) {
    ok = false;
    return std::nullopt;
  }
  return std::string(line.substr(start, pos - start));
}

std::optional<std::uint64_t> digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_upper(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return to_upper(x) == to_upper(y); });
}

CommandLine parse_command_line(std::string_view line) {
  CommandLine out;
  std::size_t pos = 0;
  out.name = ascii_upper(word(line, pos));
  if (out.name == "UID") {
    const std::string_view next = word(line, pos);
    if (!next.empty()) out.name += ' ' + ascii_upper(next);
  }
  bool ok = true;
  for (int i = 0; i < 2 && ok; ++i) {
    std::optional<std::string> arg = astring(line, pos, ok);
    if (ok) out.args.push_back(std::move(arg));
  }
  return out;
}

std::string mailbox_key(std::string_view name) {
  return iequals(name, "INBOX") ? std::string("INBOX") : std::string(name);
}

std::optional<std::vector<UidRange>> parse_uid_set(std::string_view text) {
  std::vector<UidRange> ranges;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(pos, comma - pos);
    const std::size_t colon = item.find(':');
    const auto a = digits(item.substr(0, colon));
    const auto b = colon == std::string_view::npos ? a : digits(item.substr(colon + 1));
    if (!a || !b || *a == 0 || *b == 0) return std::nullopt;
    ranges.push_back(UidRange{std::min(*a, *b), std::max(*a, *b)});
    pos = comma + 1;
  }
  std::sort(ranges.begin(), ranges.end(), [](const UidRange& x, const UidRange& y) { return x.first < y.first; });
  std::vector<UidRange> merged;
  for (const UidRange& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().last + 1) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace facteur::imap::detail
