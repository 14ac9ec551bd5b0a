// Choosing where a data connection goes and what announces it (RFC 959 §3.2, §4.1.2; RFC 2428),
// and the octets of an urgent ABOR (RFC 959 §4.1.3). Pure: the engine does the I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/ftp/data_address.hpp"
#include "harness/ftp/parsed.hpp"
#include "harness/ftp/reply.hpp"

namespace facteur::ftp {

enum class DataMode { pasv, epsv, port, eprt };

inline bool passive(DataMode m) { return m == DataMode::pasv || m == DataMode::epsv; }

// "PASV" / "EPSV" for the passive modes.
const char* passive_command(DataMode mode);

// Where to connect after the reply to PASV (227) or EPSV (229). `control_peer` is the address at
// the other end of the control connection: EPSV's port is on it (RFC 2428 §3), and a PASV address
// that is not it is refused (a server can aim a client at a third host: RFC 2577 §3 describes the
// bounce; the lab's vsftpd sets pasv_address to its own address), the reason naming both.
Parsed<Endpoint> passive_endpoint(DataMode mode, const Reply& reply, std::string_view control_peer);

// "PORT h1,h2,h3,h4,p1,p2" or "EPRT |1|addr|port|" for the address facteur listens on.
// PORT takes IPv4 only (RFC 959): an IPv6 address gives an error that says to use EPRT.
Parsed<std::string> active_command(DataMode mode, const Endpoint& listening);

// The address family of an IP literal as RFC 2428 numbers it.
Family family_of(std::string_view address);

// What an ABOR "as urgent data" puts on the wire (RFC 959 §4.1.3, RFC 854 Synch): IAC IP and IAC
// in the normal stream, then DM as the one urgent octet (TCP urgent pointer), then the command.
struct UrgentAbort {
  std::string before;  // "\xFF\xF4\xFF": IAC IP IAC
  std::string urgent;  // "\xF2": DM, sent with MSG_OOB
  std::string command; // "ABOR\r\n"
};
UrgentAbort urgent_abort();

}  // namespace facteur::ftp
