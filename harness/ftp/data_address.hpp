// Where the data connection goes: the PASV (227) and EPSV (229) replies a client reads, and the PORT
// and EPRT arguments it sends (RFC 959 §4.1.2, RFC 1123 §4.1.2.6, RFC 2428). Each argument has a
// builder and a parser (a test server reads what a client builds): parse(format(e)) == e.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/ftp/parsed.hpp"
#include "harness/ftp/reply.hpp"

namespace facteur::ftp {

// RFC 2428 §2 net-prt: the address family numbers of IANA's registry.
enum class Family : std::uint8_t { ipv4 = 1, ipv6 = 2 };

struct Endpoint {
  Family family = Family::ipv4;
  std::string address;     // IPv4: dotted decimal without leading zeros; IPv6: the text as written
  std::uint16_t port = 0;  // 1..65535 in every parsed endpoint
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// The address and port of a 227 reply. RFC 1123 §4.1.2.6: the form is not fixed (parentheses or
// none, "=", text before and after), so the text is scanned for the first run of six
// comma-separated numbers, h1,h2,h3,h4,p1,p2: each 0..255, the port p1*256+p2 not 0. The address is
// returned as the server wrote it; whether it is the control connection's is the caller's call
// (same_host). The reply must be a 227.
Parsed<Endpoint> parse_pasv(const Reply& reply);
Parsed<Endpoint> parse_pasv_text(std::string_view text);

// Whether a PASV endpoint names the host at the other end of the control connection, `peer` in
// text form (an IPv4-mapped IPv6 peer, "::ffff:192.0.2.1", counts as its IPv4 address).
bool same_host(const Endpoint& endpoint, std::string_view peer);

// The port of a 229 reply (RFC 2428 §3): "(<d><d><d><port><d>)" somewhere in the text, <d> one
// character 33..126 repeated, the two fields before the port empty, the port 1..65535. The host is
// the control connection's. The reply must be a 229.
Parsed<std::uint16_t> parse_epsv(const Reply& reply);
Parsed<std::uint16_t> parse_epsv_text(std::string_view text);

// PORT's argument (RFC 959 §4.1.2 host-port): "h1,h2,h3,h4,p1,p2" for an IPv4 endpoint, and back.
// The parser takes the numbers with or without leading zeros and writes the address in dotted decimal.
Parsed<std::string> format_port_argument(const Endpoint& endpoint);
Parsed<Endpoint> parse_port_argument(std::string_view argument);

// EPRT's argument (RFC 2428 §2): "<d><net-prt><d><net-addr><d><tcp-port><d>", e.g.
// "|1|132.235.1.2|6275|" or "|2|::1|6275|". The builder refuses a delimiter outside 33..126 or found
// in a field (RFC 2428 §2 recommends '|' for that reason); the parser splits on the first character.
Parsed<std::string> format_eprt_argument(const Endpoint& endpoint, char delimiter = '|');
Parsed<Endpoint> parse_eprt_argument(std::string_view argument);

}  // namespace facteur::ftp
