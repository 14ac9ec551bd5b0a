// Targets named by URL as curl spells them, and the scheme table that maps each scheme onto a
// protocol dialect, a default port and a TLS mode (shared/STYLE.md §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace facteur {

enum class Protocol { smtp, imap, pop3, ftp, http };
const char* to_string(Protocol);
std::optional<Protocol> protocol_from_string(std::string_view);

struct SchemeInfo {
  std::string_view scheme;
  Protocol protocol;
  std::uint16_t default_port;
  bool implicit_tls;
};
const SchemeInfo* find_scheme(std::string_view scheme);  // case-insensitive; nullptr if unknown

struct TargetUrl {
  std::string scheme;            // lower-case
  Protocol protocol = Protocol::smtp;
  std::string host;              // without IPv6 brackets
  std::uint16_t port = 0;
  bool implicit_tls = false;
  std::string user, password;    // from userinfo, percent-decoded; never printed
  std::string path;              // "/..." or empty

  bool host_is_ip() const;
  std::string display() const;   // scheme://host:port/path, credentials left out
};

// Parses "smtp://host[:port][/path]", "smtps://user:pw@[::1]:465". Returns nullopt and sets
// `error` for an unknown scheme, a missing host, a bad port.
std::optional<TargetUrl> parse_target_url(std::string_view text, std::string* error = nullptr);

}  // namespace facteur
