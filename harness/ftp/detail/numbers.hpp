// The numbers and addresses inside FTP data-connection replies and arguments (RFC 959 §4.1.2
// host-port, RFC 2428 §2 net-addr and tcp-port). Private to harness/ftp.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/ftp/data_address.hpp"
#include "harness/ftp/parsed.hpp"

namespace facteur::ftp::detail {

// Dotted decimal as RFC 2428 §2 writes an IPv4 net-addr: four numbers 0..255, no leading zeros
// (which some readers take for octal). False when `text` is not one.
bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& octets);

// The text forms of an IPv6 address (RFC 4291 §2.2), as inet_pton reads them; no zone index.
bool is_ipv6(std::string_view text);

// 1*DIGIT that fits 64 bits (SIZE's reply, the size fact). False otherwise.
bool parse_u64(std::string_view digits, std::uint64_t& value);

// A tcp-port: 1 to 5 digits, 1..65535. `what` names it in the error.
Parsed<std::uint16_t> parse_port(std::string_view digits, std::string_view what);

// RFC 959 §4.1.2 host-port at the start of `text`: the comma-separated runs of digits there, at
// most seven (a seventh means it is not a host-port).
struct NumberRun {
  std::array<std::string_view, 7> numbers;
  std::size_t count = 0;
  std::size_t length = 0;  // octets of `text` the run takes
};
NumberRun read_number_run(std::string_view text);

// The endpoint of a run of exactly six numbers: each 0..255, the port not 0. `what` names the
// reply or argument in the error.
Parsed<Endpoint> host_port_endpoint(const NumberRun& run, std::string_view what);

}  // namespace facteur::ftp::detail
