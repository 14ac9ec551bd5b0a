// The arguments of PORT (RFC 959 §4.1.2 host-port) and EPRT (RFC 2428 §2): built by a client,
// parsed by a test server; parse(format(e)) == e for every endpoint the builder accepts.
#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/ftp/data_address.hpp"
#include "harness/ftp/detail/numbers.hpp"

namespace facteur::ftp {
namespace {

constexpr bool is_delimiter(char c) { return c >= 33 && c <= 126; }  // RFC 2428 §2

// The endpoint's address is valid text for its family; "" when so, the reason otherwise.
std::string address_error(const Endpoint& endpoint, std::string_view what) {
  std::array<std::uint8_t, 4> octets{};
  switch (endpoint.family) {
    case Family::ipv4:
      if (detail::parse_ipv4(endpoint.address, octets)) return {};
      return fmt::format("{}: \"{}\" is not an IPv4 address in dotted decimal", what,
                         ascii::printable(endpoint.address));
    case Family::ipv6:
      if (detail::is_ipv6(endpoint.address)) return {};
      return fmt::format("{}: \"{}\" is not an IPv6 address", what, ascii::printable(endpoint.address));
  }
  return fmt::format("{}: address family {} is neither 1 (IPv4) nor 2 (IPv6)", what,
                     static_cast<unsigned>(endpoint.family));
}

}  // namespace

Parsed<std::string> format_port_argument(const Endpoint& endpoint) {
  std::array<std::uint8_t, 4> h{};
  if (endpoint.family != Family::ipv4 || !detail::parse_ipv4(endpoint.address, h)) {
    return Failure{fmt::format("PORT takes an IPv4 address in dotted decimal, not \"{}\"",
                               ascii::printable(endpoint.address))};
  }
  if (endpoint.port == 0) return Failure{"PORT: port 0"};
  return fmt::format("{},{},{},{},{},{}", h[0], h[1], h[2], h[3], endpoint.port >> 8, endpoint.port & 0xff);
}

Parsed<Endpoint> parse_port_argument(std::string_view argument) {
  const detail::NumberRun run = detail::read_number_run(argument);
  if (run.count != 6 || run.length != argument.size()) {
    return Failure{fmt::format("PORT argument \"{}\" is not h1,h2,h3,h4,p1,p2", ascii::printable(argument))};
  }
  return detail::host_port_endpoint(run, "PORT argument");
}

Parsed<std::string> format_eprt_argument(const Endpoint& endpoint, char delimiter) {
  if (std::string error = address_error(endpoint, "EPRT"); !error.empty()) return Failure{std::move(error)};
  if (endpoint.port == 0) return Failure{"EPRT: port 0"};
  const std::string fields =
      fmt::format("{}{}{}", static_cast<unsigned>(endpoint.family), endpoint.address, endpoint.port);
  if (!is_delimiter(delimiter) || fields.find(delimiter) != std::string::npos) {
    return Failure{fmt::format("EPRT: delimiter \"{}\" is not a character in 33..126 absent from the fields",
                               ascii::printable(std::string_view(&delimiter, 1)))};
  }
  const char d = delimiter;
  return fmt::format("{}{}{}{}{}{}{}", d, static_cast<unsigned>(endpoint.family), d, endpoint.address, d,
                     endpoint.port, d);
}

Parsed<Endpoint> parse_eprt_argument(std::string_view argument) {
  const auto malformed = [&] {
    return Failure{fmt::format("EPRT argument \"{}\" is not <d><net-prt><d><net-addr><d><tcp-port><d>",
                               ascii::printable(argument))};
  };
  if (argument.size() < 2 || !is_delimiter(argument[0]) || argument.back() != argument[0]) return malformed();
  const char d = argument[0];
  // Between the first and the last delimiter: exactly three fields.
  const std::string_view inner = argument.substr(1, argument.size() - 2);
  const std::size_t a = inner.find(d);
  const std::size_t b = a == std::string_view::npos ? a : inner.find(d, a + 1);
  if (b == std::string_view::npos || inner.find(d, b + 1) != std::string_view::npos) return malformed();
  const std::string_view protocol = inner.substr(0, a);

  Endpoint endpoint;
  if (protocol == "1") {
    endpoint.family = Family::ipv4;
  } else if (protocol == "2") {
    endpoint.family = Family::ipv6;
  } else {
    return Failure{fmt::format("EPRT argument: network protocol \"{}\" is neither 1 (IPv4) nor 2 (IPv6)",
                               ascii::printable(protocol))};
  }
  endpoint.address = std::string(inner.substr(a + 1, b - a - 1));
  if (std::string error = address_error(endpoint, "EPRT argument"); !error.empty()) return Failure{std::move(error)};
  const Parsed<std::uint16_t> port = detail::parse_port(inner.substr(b + 1), "EPRT argument");
  if (!port.ok()) return Failure{port.error};
  endpoint.port = port.value;
  return endpoint;
}

}  // namespace facteur::ftp
