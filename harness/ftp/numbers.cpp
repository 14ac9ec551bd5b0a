// Numbers and addresses of the data-connection replies and arguments (RFC 959 §4.1.2, RFC 2428 §2).
#include "harness/ftp/detail/numbers.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"

namespace facteur::ftp::detail {
namespace {

// A decimal number of 1 to `max_digits` digits, no sign, or -1.
long decimal(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits || !std::all_of(digits.begin(), digits.end(), ascii::is_digit)) {
    return -1;
  }
  long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc{} && end == digits.data() + digits.size() ? value : -1;
}

}  // namespace

bool parse_u64(std::string_view digits, std::uint64_t& value) {
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ascii::is_digit)) return false;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc{} && end == digits.data() + digits.size();
}

bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& octets) {
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return false;
    const std::string_view part = text.substr(0, dot);
    const long value = decimal(part, 3);
    if (value < 0 || value > 255 || (part.size() > 1 && part[0] == '0')) return false;
    octets[i] = static_cast<std::uint8_t>(value);
    text.remove_prefix(std::min(text.size(), dot + 1));
  }
  return true;
}

bool is_ipv6(std::string_view text) {
  // INET6_ADDRSTRLEN bounds the longest form ("ffff:…:255.255.255.255"); inet_pton wants a C string.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  const std::string terminated(text);
  unsigned char address[16];
  return inet_pton(AF_INET6, terminated.c_str(), address) == 1;
}

Parsed<std::uint16_t> parse_port(std::string_view digits, std::string_view what) {
  const long value = decimal(digits, 5);
  if (value < 1 || value > 65535) {
    return Failure{fmt::format("{}: port \"{}\" is not a number in 1..65535", what, ascii::printable(digits))};
  }
  return static_cast<std::uint16_t>(value);
}

NumberRun read_number_run(std::string_view text) {
  NumberRun run;
  std::size_t pos = 0;
  while (run.count < run.numbers.size()) {
    std::size_t end = pos;
    while (end < text.size() && ascii::is_digit(text[end])) ++end;
    if (end == pos) break;
    run.numbers[run.count++] = text.substr(pos, end - pos);
    run.length = end;
    if (end + 1 >= text.size() || text[end] != ',' || !ascii::is_digit(text[end + 1])) break;
    pos = end + 1;
  }
  return run;
}

Parsed<Endpoint> host_port_endpoint(const NumberRun& run, std::string_view what) {
  long values[6] = {};
  for (std::size_t i = 0; i < 6; ++i) {
    values[i] = decimal(run.numbers[i], 3);
    if (values[i] < 0 || values[i] > 255) {
      return Failure{fmt::format("{}: {} \"{}\" is not a number in 0..255", what, i < 4 ? "address part" : "port part",
                                 ascii::printable(run.numbers[i]))};
    }
  }
  Endpoint endpoint;
  endpoint.address = fmt::format("{}.{}.{}.{}", values[0], values[1], values[2], values[3]);
  endpoint.port = static_cast<std::uint16_t>(values[4] * 256 + values[5]);
  if (endpoint.port == 0) return Failure{fmt::format("{}: port 0 (p1 and p2 both 0)", what)};
  return endpoint;
}

}  // namespace facteur::ftp::detail
