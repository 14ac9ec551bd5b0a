// CAPA parsing (RFC 2449 §5) and the capabilities of §6 that carry arguments.
#include "harness/pop3/capa.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/pop3/command.hpp"

namespace facteur::pop3 {
namespace {

using ascii::upper;

bool is_vchar(char c) { return c >= 0x21 && c <= 0x7e; }
bool is_cchar(char c) { return is_vchar(c) && c != '.'; }  // RFC 2449 §3 cchar, less DEL

std::optional<Capabilities> failed(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

// "30", "30 USER" → {30, per_user}; the first word may also be NEVER for EXPIRE.
struct Amount {
  bool never = false;
  std::uint64_t value = 0;
  bool per_user = false;
};
std::optional<Amount> parse_amount(const std::vector<std::string>& params, bool never_allowed) {
  if (params.empty() || params.size() > 2) return std::nullopt;
  Amount amount;
  if (never_allowed && upper(params[0]) == "NEVER") {
    amount.never = true;
  } else {
    const auto value = parse_number(params[0]);
    if (!value) return std::nullopt;
    amount.value = *value;
  }
  if (params.size() == 2) {
    if (upper(params[1]) != "USER") return std::nullopt;
    amount.per_user = true;
  }
  return amount;
}

}  // namespace

bool Capabilities::has(std::string_view tag) const { return tags.count(upper(tag)) != 0; }

const std::vector<std::string>* Capabilities::params(std::string_view tag) const {
  const auto it = tags.find(upper(tag));
  return it == tags.end() ? nullptr : &it->second;
}

std::vector<std::string> Capabilities::sasl_mechanisms() const {
  const auto* p = params("SASL");
  if (p == nullptr) return {};
  std::vector<std::string> mechanisms;
  for (const auto& m : *p) mechanisms.push_back(upper(m));
  return mechanisms;
}

std::optional<std::string> Capabilities::implementation() const {
  const auto* p = params("IMPLEMENTATION");
  if (p == nullptr) return std::nullopt;
  std::string text;
  for (const auto& word : *p) {
    if (!text.empty()) text.push_back(' ');
    text += word;
  }
  return text;
}

std::optional<Expire> Capabilities::expire() const {
  const auto* p = params("EXPIRE");
  if (p == nullptr) return std::nullopt;
  const auto amount = parse_amount(*p, true);
  if (!amount) return std::nullopt;
  return Expire{amount->never, amount->value, amount->per_user};
}

std::optional<LoginDelay> Capabilities::login_delay() const {
  const auto* p = params("LOGIN-DELAY");
  if (p == nullptr) return std::nullopt;
  const auto amount = parse_amount(*p, false);
  if (!amount) return std::nullopt;
  return LoginDelay{amount->value, amount->per_user};
}

std::optional<Capabilities> parse_capa(const Response& response, std::string* error) {
  if (response.kind != Response::Kind::ok || !response.multiline) {
    return failed(error, "CAPA answer is not a multi-line +OK");
  }
  if (!response.all_lines_kept()) {
    return failed(error, fmt::format("CAPA answer has {} lines, only {} were kept", response.line_count,
                                     response.lines.size()));
  }
  return parse_capa_lines(response.lines, error);
}

// RFC 2449 §3: capability = capa-tag *(SP param) CRLF.
std::optional<Capabilities> parse_capa_lines(const std::vector<std::string>& lines, std::string* error) {
  Capabilities caps;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = lines[n];
    std::vector<std::string> words;
    std::size_t pos = 0;
    for (;;) {
      const std::size_t space = std::min(line.find(' ', pos), line.size());
      const std::string_view word = line.substr(pos, space - pos);
      if (word.empty()) {
        return failed(error, fmt::format("CAPA line {} \"{}\": empty tag or parameter (stray space)", n + 1,
                                         ascii::printable(line)));
      }
      const bool is_tag = words.empty();
      if (!std::all_of(word.begin(), word.end(), is_tag ? is_cchar : is_vchar)) {
        return failed(error, fmt::format("CAPA line {} \"{}\": {} \"{}\" has a character outside {}", n + 1,
                                         ascii::printable(line), is_tag ? "tag" : "parameter",
                                         ascii::printable(word),
                                         is_tag ? "printable ASCII without '.'" : "printable ASCII"));
      }
      words.emplace_back(word);
      if (space == line.size()) break;
      pos = space + 1;
    }
    std::string tag = upper(words.front());
    words.erase(words.begin());
    const auto [it, inserted] = caps.tags.try_emplace(std::move(tag), words);
    if (!inserted && it->first == "SASL") {
      for (auto& mechanism : words) {
        const auto same = [&](const std::string& m) { return upper(m) == upper(mechanism); };
        if (std::none_of(it->second.begin(), it->second.end(), same)) it->second.push_back(std::move(mechanism));
      }
    }
  }
  return caps;
}

}  // namespace facteur::pop3
