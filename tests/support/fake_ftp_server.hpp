// A small FTP server in memory (RFC 959 control replies, passive and active data connections in
// plain text) that can misbehave on the data connection in the ways a proxy on the control
// connection cannot fake: a download cut short that still ends 226, a data connection it never
// opens, a PASV/EPSV reply naming a port nobody listens on, a restart marker it ignores, a SIZE off
// by one. tests/integration/negative_ftp_data_test.cpp runs FTP cases against it.
//
// What it understands (enough for the transfer cases of scenarios/ftp): USER, PASS (any password),
// FEAT, SYST, NOOP, PWD, CWD, CDUP, MKD, RMD, DELE, TYPE, MODE, STRU, SIZE, MDTM, REST, PASV, EPSV,
// PORT, EPRT, STOR, APPE, RETR, NLST, LIST, RNFR, RNTO, QUIT. Paths are kept as given, relative to
// "/" (no CWD state beyond PWD's answer).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "tests/support/raw_server.hpp"

namespace facteur::testing {

struct FakeFtpFaults {
  std::int64_t truncate_retr = -1;  // ≥ 0: RETR sends at most this many octets, closes, still says 226
  bool never_connect = false;       // active mode (PORT/EPRT): RETR/STOR/LIST answer 150 and never connect
  bool dead_passive_port = false;   // PASV/EPSV name a port on which nothing listens
  bool ignore_rest = false;         // REST is answered 350 and forgotten: the whole file is sent
  int size_delta = 0;               // added to every SIZE answer
};

class FakeFtpServer {
 public:
  explicit FakeFtpServer(FakeFtpFaults faults = {});
  std::uint16_t port() const { return server_->port(); }

 private:
  struct Session;
  void serve(RawConnection& conn);

  FakeFtpFaults faults_;
  std::mutex mutex_;                           // guards files_ and dirs_
  std::map<std::string, std::string> files_;   // path (without leading '/') → contents
  std::map<std::string, bool> dirs_;
  std::unique_ptr<RawServer> server_;          // last: its threads use the members above
};

}  // namespace facteur::testing
