// Splitting command lines, and which commands are answered with a multi-line +OK.
#include <limits>

#include "harness/core/ascii.hpp"
#include "harness/pop3/command.hpp"
#include "harness/pop3/response.hpp"

namespace facteur::pop3 {

Command split_command(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  Command command;
  std::size_t pos = 0;
  bool first = true;
  while (pos < line.size()) {
    if (line[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view word = line.substr(pos, end - pos);
    if (first) {
      command.keyword = ascii::upper(word);
      first = false;
    } else {
      command.args.push_back(word);
    }
    pos = end;
  }
  return command;
}

std::optional<std::uint64_t> parse_number(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// RFC 1939 §5 LIST/RETR, §7 TOP/UIDL, RFC 2449 §5 CAPA. AUTH (RFC 5034) exchanges single lines.
bool multiline_command(std::string_view command_line) {
  const Command command = split_command(command_line);
  const std::string& k = command.keyword;
  if (k == "RETR" || k == "TOP" || k == "CAPA") return true;
  if (k == "LIST" || k == "UIDL") return command.args.empty();
  return false;
}

}  // namespace facteur::pop3
