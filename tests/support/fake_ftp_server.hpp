// A small FTP server in memory (RFC 959 control replies, passive and active data connections, FTP
// over TLS per RFC 4217: AUTH TLS or implicit TLS, PBSZ, PROT C/P with TLS data connections, CCC) that
// can misbehave in the ways a proxy on the control connection cannot fake: on the data connection
// (a download cut short that still ends 226, a data connection it never opens, a PASV/EPSV reply
// naming a port nobody listens on, a restart marker it ignores, a SIZE off by one) and behind TLS,
// where the proxy is blind (PROT P said and not done, an unknown PROT level accepted, no handshake
// after 234, ABOR ignored, CCC said and not done). tests/integration/negative_ftp_data_test.cpp and
// negative_ftp_tls_test.cpp run FTP cases against it.
//
// What it understands (enough for the transfer and TLS cases of scenarios/ftp): USER, PASS (any
// password), FEAT, SYST, NOOP, PWD, CWD, CDUP, MKD, RMD, DELE, TYPE, MODE, STRU, SIZE, MDTM, MLST,
// REST, PASV, EPSV, PORT, EPRT, STOR, APPE, RETR, NLST, LIST, MLSD, RNFR, RNTO, AUTH, PBSZ, PROT,
// CCC, ABOR, QUIT. Paths are kept as given, relative to "/" (no CWD state beyond PWD's answer).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "tests/support/fake_ftp_tls.hpp"
#include "tests/support/raw_server.hpp"

namespace facteur::testing {

struct FakeFtpFaults {
  std::int64_t truncate_retr = -1;  // ≥ 0: RETR sends at most this many octets, closes, still says 226
  bool never_connect = false;       // active mode (PORT/EPRT): RETR/STOR/LIST answer 150 and never connect
  bool dead_passive_port = false;   // PASV/EPSV name a port on which nothing listens
  bool ignore_rest = false;         // REST is answered 350 and forgotten: the whole file is sent
  int size_delta = 0;               // added to every SIZE answer and MLST/MLSD size fact
  // Behind TLS (where the mutating proxy is blind):
  bool prot_p_clear = false;        // PROT P answered 200, yet the data connections stay in clear text
  bool prot_p_after_c_clear = false;  // once PROT C was in force, PROT P answers 200 and changes nothing
  bool prot_any_level = false;      // PROT X, S, E answered 200 (instead of 504 / 536)
  bool auth_no_handshake = false;   // AUTH TLS answered 234, then no handshake: the session stays clear
  bool auth_clear_after_234 = false;  // AUTH TLS answered 234 followed by a clear-text line, then TLS
  bool ignore_abor = false;         // ABOR is never answered, and not looked for during a transfer
  bool ccc_keeps_tls = false;       // CCC answered 200, yet the control connection stays TLS
  bool ccc_refused = false;         // CCC announced in FEAT, yet answered 500 (as if unknown)
};

enum class FakeFtpTls {
  explicit_tls,  // plain text until AUTH TLS (RFC 4217 §4)
  implicit_tls,  // TLS from the first octet (ftps://)
};

class FakeFtpServer {
 public:
  explicit FakeFtpServer(FakeFtpFaults faults = {}, FakeFtpTls tls = FakeFtpTls::explicit_tls);
  ~FakeFtpServer();
  std::uint16_t port() const { return server_->port(); }
  std::string url() const;  // "ftp://127.0.0.1:N", or "ftps://…" for implicit TLS

 private:
  struct Session;
  void serve(RawConnection& conn);
  bool security_command(Session& s, const std::string& verb, const std::string& arg);
  void transfer(Session& s, const std::string& verb, const std::string& path, std::unique_lock<std::mutex>& lock);

  FakeFtpFaults faults_;
  FakeFtpTls mode_;
  std::unique_ptr<FtpTlsContext> tls_;
  std::mutex mutex_;                           // guards files_ and dirs_
  std::map<std::string, std::string> files_;   // path (without leading '/') → contents
  std::map<std::string, bool> dirs_;
  std::unique_ptr<RawServer> server_;          // last: its threads use the members above
};

}  // namespace facteur::testing
