// What the fake FTP server (fake_ftp_server.hpp) keeps per control connection. Private to
// fake_ftp_server.cpp and fake_ftp_transfer.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "tests/support/fake_ftp_server.hpp"
#include "tests/support/fake_ftp_socket.hpp"
#include "tests/support/fake_ftp_tls.hpp"

namespace facteur::testing {

// RFC 3659 §7.5: the facts of one file (type, size, modify), each ending in ';'.
inline std::string mlst_facts(long long size) {
  return "type=file;size=" + std::to_string(size) + ";modify=20261126120000;";
}

struct FakeFtpServer::Session {
  Session(FtpStream& c, std::function<bool()> stop) : control(c), stopping(std::move(stop)) {}

  FtpStream& control;
  std::function<bool()> stopping;
  fake_ftp::Socket passive;  // listening after PASV/EPSV
  fake_ftp::Socket dead;     // the port a faulty PASV/EPSV names
  std::optional<std::pair<std::string, std::uint16_t>> active;
  std::uint64_t rest = 0;
  std::string rename_from;
  bool pbsz = false;          // PBSZ accepted (RFC 4217 §9: before any PROT)
  bool protect_data = false;  // PROT P in force: data connections are TLS (RFC 2228 §3: Clear by default)
  bool was_clear = false;     // PROT C was asked for at some point

  void reply(const std::string& line) { control.send(line + "\r\n", std::chrono::seconds(10)); }

  // The data connection for one transfer, after the 150 went out.
  fake_ftp::Socket open_data() {
    if (passive.fd >= 0) {
      fake_ftp::Socket s = fake_ftp::accept_within(passive, std::chrono::seconds(3));
      passive = fake_ftp::Socket();
      return s;
    }
    if (active) {
      fake_ftp::Socket s = fake_ftp::connect_to(active->first, active->second);
      active.reset();
      return s;
    }
    return fake_ftp::Socket();
  }
};

}  // namespace facteur::testing
