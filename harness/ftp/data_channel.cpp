#include "harness/ftp/data_channel.hpp"

#include <fmt/format.h>

namespace facteur::ftp {

const char* passive_command(DataMode mode) { return mode == DataMode::pasv ? "PASV" : "EPSV"; }

Family family_of(std::string_view address) {
  return address.find(':') == std::string_view::npos ? Family::ipv4 : Family::ipv6;
}

Parsed<Endpoint> passive_endpoint(DataMode mode, const Reply& reply, std::string_view control_peer) {
  if (mode == DataMode::epsv) {
    Parsed<std::uint16_t> port = parse_epsv(reply);
    if (!port.ok()) return Failure{port.error};
    std::string host(control_peer);
    if (host.rfind("::ffff:", 0) == 0 && host.find('.') != std::string::npos) host = host.substr(7);
    return Endpoint{family_of(host), host, port.value};
  }
  if (mode != DataMode::pasv) return Failure{"PORT and EPRT are active modes: the server connects to facteur"};
  Parsed<Endpoint> e = parse_pasv(reply);
  if (!e.ok()) return e;
  if (!same_host(e.value, control_peer)) {
    return Failure{fmt::format("PASV points at {}:{}, not at the server of the control connection ({}): facteur "
                               "does not connect a data channel to a third host (RFC 2577 §3)",
                               e.value.address, e.value.port, control_peer)};
  }
  return e;
}

Parsed<std::string> active_command(DataMode mode, const Endpoint& listening) {
  if (mode == DataMode::port) {
    if (listening.family != Family::ipv4) {
      return Failure{"PORT carries IPv4 addresses only (RFC 959 §4.1.2): use EPRT for " + listening.address};
    }
    Parsed<std::string> arg = format_port_argument(listening);
    if (!arg.ok()) return arg;
    return "PORT " + arg.value;
  }
  if (mode == DataMode::eprt) {
    Parsed<std::string> arg = format_eprt_argument(listening);
    if (!arg.ok()) return arg;
    return "EPRT " + arg.value;
  }
  return Failure{"PASV and EPSV are passive modes: facteur connects to the server"};
}

UrgentAbort urgent_abort() {
  return UrgentAbort{std::string("\xFF\xF4\xFF", 3), std::string("\xF2", 1), "ABOR\r\n"};
}

}  // namespace facteur::ftp
