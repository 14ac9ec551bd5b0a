// The replies that open a passive data connection: PASV's 227 (RFC 959 §4.1.2, RFC 1123 §4.1.2.6)
// and EPSV's 229 (RFC 2428 §3).
#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/ftp/data_address.hpp"
#include "harness/ftp/detail/numbers.hpp"

namespace facteur::ftp {
namespace {

Failure wrong_code(const Reply& reply, std::string_view command, int expected) {
  return Failure{fmt::format("{} answered {}, not {}", command, reply.code, expected)};
}

constexpr bool is_delimiter(char c) { return c >= 33 && c <= 126; }  // RFC 2428 §2

// "<d><d><d><port><d>)" at the start of `s` (what follows an opening parenthesis).
Parsed<std::uint16_t> epsv_field(std::string_view s) {
  if (s.empty()) return Failure{"229 reply: nothing after \"(\""};
  const char d = s[0];
  if (!is_delimiter(d)) {
    return Failure{fmt::format("229 reply: delimiter \"{}\" is not a character in 33..126",
                               ascii::printable(s.substr(0, 1)))};
  }
  // Errors quote the field up to its first wrong octet.
  const auto quote = [&](std::size_t wrong) { return ascii::printable(s.substr(0, std::min(s.size(), wrong + 1))); };
  if (s.size() < 3 || s[1] != d || s[2] != d) {
    return Failure{fmt::format("229 reply: \"({}\" does not start with three delimiters (the network protocol "
                               "and address fields must be empty)",
                               quote(s.size() > 1 && s[1] == d ? 2 : 1))};
  }
  // The port runs to the delimiter before ')'. A digit delimiter ends the run of digits itself.
  std::size_t end = 3;
  while (end < s.size() && ascii::is_digit(s[end])) ++end;
  if (ascii::is_digit(d) && end > 3 && s[end - 1] == d) --end;
  const bool delimited = end < s.size() && s[end] == d;
  if (!delimited || end + 1 == s.size() || s[end + 1] != ')') {
    return Failure{fmt::format("229 reply: \"({}\" is not (<d><d><d><port><d>)", quote(delimited ? end + 1 : end))};
  }
  return detail::parse_port(s.substr(3, end - 3), "229 reply");
}

}  // namespace

Parsed<Endpoint> parse_pasv_text(std::string_view text) {
  // RFC 1123 §4.1.2.6: scan for the first digit of h1. A run of numbers that is not six long
  // ("2 clients", "1,000") is text; the scan moves on past it.
  for (std::size_t i = 0; i < text.size();) {
    if (!ascii::is_digit(text[i])) {
      ++i;
      continue;
    }
    const detail::NumberRun run = detail::read_number_run(text.substr(i));
    if (run.count == 6) return detail::host_port_endpoint(run, "227 reply");
    i += run.length;
  }
  return Failure{fmt::format("227 reply \"{}\" holds no h1,h2,h3,h4,p1,p2", ascii::printable(text))};
}

Parsed<Endpoint> parse_pasv(const Reply& reply) {
  if (reply.code != 227) return wrong_code(reply, "PASV", 227);
  return parse_pasv_text(reply.text());
}

bool same_host(const Endpoint& endpoint, std::string_view peer) {
  constexpr std::string_view mapped = "::ffff:";  // RFC 4291 §2.5.5.2
  if (endpoint.family == Family::ipv4 && peer.size() > mapped.size() && ascii::iequal(peer.substr(0, mapped.size()), mapped)) {
    peer.remove_prefix(mapped.size());
  }
  return ascii::iequal(endpoint.address, peer);
}

Parsed<std::uint16_t> parse_epsv_text(std::string_view text) {
  // The first "(" that opens a well-formed field wins; when none does, the first one's error.
  Parsed<std::uint16_t> first = Failure{fmt::format("229 reply \"{}\" holds no (<d><d><d><port><d>)",
                                                    ascii::printable(text))};
  bool tried = false;
  for (std::size_t open = text.find('('); open != std::string_view::npos; open = text.find('(', open + 1)) {
    Parsed<std::uint16_t> port = epsv_field(text.substr(open + 1));
    if (port.ok()) return port;
    if (!tried) first = std::move(port);
    tried = true;
  }
  return first;
}

Parsed<std::uint16_t> parse_epsv(const Reply& reply) {
  if (reply.code != 229) return wrong_code(reply, "EPSV", 229);
  return parse_epsv_text(reply.text());
}

}  // namespace facteur::ftp
