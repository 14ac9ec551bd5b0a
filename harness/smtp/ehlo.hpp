// EHLO response: the server's greeting domain and its service extensions (RFC 5321 §4.1.1.1, RFC 1869 §4.3).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/smtp/reply.hpp"

namespace facteur::smtp {

struct Extensions {
  std::string domain;    // first word of the first line
  std::string greeting;  // rest of the first line
  // Upper-cased keyword → its parameters (split on spaces). "AUTH=PLAIN LOGIN" old-style lines are
  // folded into AUTH as well.
  std::map<std::string, std::vector<std::string>> keywords;

  bool has(std::string_view keyword) const;  // case-insensitive
  const std::vector<std::string>* params(std::string_view keyword) const;
  // SIZE's declared limit; nullopt when absent or without a number, 0 means "no fixed limit" (RFC 1870 §4).
  std::optional<unsigned long long> size_limit() const;
  // AUTH mechanisms, upper-cased.
  std::vector<std::string> auth_mechanisms() const;
};

// Parses a 250 reply to EHLO. Returns nullopt (with `error` set) when the reply is not a 2xx or a
// keyword line is malformed (RFC 5321 §4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")).
// Parameters follow ehlo-param = 1*(%d33-126) separated by single SPs: a double or trailing space,
// a control or 8-bit octet is an error too (its text names the line). A keyword repeated on a later
// line keeps its first parameters, except AUTH whose mechanisms are merged without duplicates.
std::optional<Extensions> parse_ehlo(const Reply& reply, std::string* error = nullptr);

}  // namespace facteur::smtp
