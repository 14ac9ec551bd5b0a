// A POP3 command line split into its keyword and arguments (RFC 1939 §3, RFC 2449 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::pop3 {

struct Command {
  std::string keyword;                 // upper-cased ("RETR"); "" for an empty line
  std::vector<std::string_view> args;  // views into the line given to split_command
};

// Splits a command line (with or without its CRLF) on spaces. Runs of spaces are treated as one,
// so "LIST " has no argument. The views point into `line`.
Command split_command(std::string_view line);

// A message-number or other decimal argument: 1*DIGIT without sign or spaces that fits 64 bits.
std::optional<std::uint64_t> parse_number(std::string_view digits);

}  // namespace facteur::pop3
