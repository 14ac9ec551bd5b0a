// The CAPA response: the server's capabilities (RFC 2449 §5-6).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/pop3/response.hpp"

namespace facteur::pop3 {

// RFC 2449 §6.7: minimum retention in days, or NEVER; "USER" when it may differ after login.
struct Expire {
  bool never = false;
  std::uint64_t days = 0;  // 0 when never; EXPIRE 0 forbids leaving mail on the server
  bool per_user = false;
  friend bool operator==(const Expire&, const Expire&) = default;
};

// RFC 2449 §6.5: minimum seconds between logins; "USER" when it may differ after login.
struct LoginDelay {
  std::uint64_t seconds = 0;
  bool per_user = false;
  friend bool operator==(const LoginDelay&, const LoginDelay&) = default;
};

struct Capabilities {
  // Upper-cased capa-tag → its parameters as sent (split on single spaces).
  std::map<std::string, std::vector<std::string>> tags;

  bool has(std::string_view tag) const;  // case-insensitive (RFC 2449 §5)
  const std::vector<std::string>* params(std::string_view tag) const;
  // The SASL capability's mechanisms, upper-cased (RFC 2449 §6.3); empty when none.
  std::vector<std::string> sasl_mechanisms() const;
  // IMPLEMENTATION's text (RFC 2449 §6.9), its parameters joined by single spaces.
  std::optional<std::string> implementation() const;
  // EXPIRE / LOGIN-DELAY parsed; nullopt when absent or malformed.
  std::optional<Expire> expire() const;
  std::optional<LoginDelay> login_delay() const;
};

// Parses the body of a +OK multi-line CAPA response. Returns nullopt (with `error` set) when the
// response is not a multi-line +OK, its lines were not all kept, or a line is malformed:
// capability = capa-tag *(SP param), capa-tag = 1*cchar (printable ASCII without "."),
// param = 1*VCHAR (RFC 2449 §3). A double or trailing space is an error; its text names the line.
// A tag repeated on a later line keeps its first parameters, except SASL whose mechanisms are
// merged without duplicates.
std::optional<Capabilities> parse_capa(const Response& response, std::string* error = nullptr);

// The same over body lines already unstuffed.
std::optional<Capabilities> parse_capa_lines(const std::vector<std::string>& lines, std::string* error = nullptr);

}  // namespace facteur::pop3
