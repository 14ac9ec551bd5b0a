// FEAT (RFC 2389 §3) and MLST's fact list (RFC 3659 §7.8).
#include "harness/ftp/features.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"

namespace facteur::ftp {
namespace {

constexpr bool is_vchar(char c) { return c >= 0x21 && c <= 0x7e; }
constexpr bool is_tchar(char c) { return is_vchar(c) || c == ' ' || c == '\t'; }  // RFC 2389 §2.1

// "" when `line` (the text of reply line `n`) is a well-formed feature line; the reason otherwise.
std::string feature_line_error(std::string_view line, std::size_t n) {
  const auto bad = [&](std::string_view why) {
    return fmt::format("FEAT line {} \"{}\": {}", n, ascii::printable(line), why);
  };
  if (line.empty() || line[0] != ' ') return bad("does not begin with a space (RFC 2389 §3)");
  const std::string_view rest = line.substr(1);
  const std::size_t space = std::min(rest.find(' '), rest.size());
  const std::string_view label = rest.substr(0, space);
  if (label.empty()) return bad("no feature label after the one leading space");
  if (!std::all_of(label.begin(), label.end(), is_vchar)) return bad("the label has an octet outside VCHAR");
  if (space == rest.size()) return {};
  const std::string_view parms = rest.substr(space + 1);
  if (parms.empty()) return bad("a space after the label but no parameters");
  if (!std::all_of(parms.begin(), parms.end(), is_tchar)) return bad("the parameters have an octet outside TCHAR");
  return {};
}

}  // namespace

bool Features::has(std::string_view label) const { return labels.count(ascii::upper(label)) != 0; }

const std::string* Features::params(std::string_view label) const {
  const auto it = labels.find(ascii::upper(label));
  return it == labels.end() ? nullptr : &it->second;
}

std::vector<MlstFact> Features::mlst_facts() const {
  std::vector<MlstFact> facts;
  const std::string* list = params("MLST");
  if (list == nullptr) return facts;
  std::string_view rest = *list;
  while (!rest.empty()) {
    const std::size_t semi = std::min(rest.find(';'), rest.size());
    std::string_view name = rest.substr(0, semi);
    rest.remove_prefix(std::min(rest.size(), semi + 1));
    const bool selected = !name.empty() && name.back() == '*';
    if (selected) name.remove_suffix(1);
    if (!name.empty()) facts.push_back(MlstFact{ascii::lower(name), selected});
  }
  return facts;
}

Parsed<Features> parse_feat(const Reply& reply) {
  Features features;
  if (reply.code == 500 || reply.code == 502) {
    features.supported = false;
    return features;
  }
  if (reply.code != 211) return Failure{fmt::format("FEAT answered {}, not 211, 500 or 502", reply.code)};
  if (!reply.multiline) return features;
  if (!reply.all_lines_kept()) {
    return Failure{fmt::format("FEAT reply has {} lines, only {} were kept", reply.line_count, reply.lines.size())};
  }
  if (reply.lines.size() < 3) return Failure{"multi-line 211 without feature lines (RFC 2389 §3: no-features is one line)"};
  for (std::size_t i = 1; i + 1 < reply.lines.size(); ++i) {
    const std::string_view line = reply.lines[i];
    if (std::string error = feature_line_error(line, i + 1); !error.empty()) return Failure{std::move(error)};
    const std::size_t space = std::min(line.find(' ', 1), line.size());
    const std::string_view parms = line.substr(std::min(line.size(), space + 1));
    features.labels.try_emplace(ascii::upper(line.substr(1, space - 1)), parms);
  }
  return features;
}

}  // namespace facteur::ftp
