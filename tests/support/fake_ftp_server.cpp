#include "tests/support/fake_ftp_server.hpp"

#include <sys/socket.h>

#include <cctype>
#include <cstdio>

#include "tests/support/fake_ftp_session.hpp"

namespace facteur::testing {
namespace {

using namespace std::chrono_literals;

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string strip(std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return path;
}

// RFC 959 §4.1.3: ABOR may come after Telnet IP and Synch (IAC IP, IAC DM, the DM read in line
// here): the Telnet commands before the verb are dropped.
void drop_telnet(std::string& line) {
  std::size_t i = 0;
  while (i + 1 < line.size() && static_cast<unsigned char>(line[i]) == 0xFF) i += 2;
  line.erase(0, i);
}

// "h1,h2,h3,h4,p1,p2" (RFC 959 §4.1.2) or "|1|h|port|" (RFC 2428 §2) → host and port.
std::optional<std::pair<std::string, std::uint16_t>> active_address(const std::string& verb, const std::string& arg) {
  if (verb == "PORT") {
    unsigned h[4], p[2];
    if (std::sscanf(arg.c_str(), "%u,%u,%u,%u,%u,%u", &h[0], &h[1], &h[2], &h[3], &p[0], &p[1]) != 6) return {};
    return std::make_pair(std::to_string(h[0]) + "." + std::to_string(h[1]) + "." + std::to_string(h[2]) + "." +
                              std::to_string(h[3]),
                          static_cast<std::uint16_t>(p[0] * 256 + p[1]));
  }
  if (arg.size() < 7 || arg[0] != '|') return {};
  const char d = arg[0];
  const auto a = arg.find(d, 1), b = arg.find(d, a + 1), c = arg.find(d, b + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos) return {};
  return std::make_pair(arg.substr(a + 1, b - a - 1), static_cast<std::uint16_t>(std::stoi(arg.substr(b + 1, c - b - 1))));
}

}  // namespace

FakeFtpServer::FakeFtpServer(FakeFtpFaults faults, FakeFtpTls tls)
    : faults_(faults), mode_(tls), tls_(std::make_unique<FtpTlsContext>()),
      server_(std::make_unique<RawServer>([this](RawConnection& c) { serve(c); })) {}

FakeFtpServer::~FakeFtpServer() = default;

std::string FakeFtpServer::url() const {
  return std::string(mode_ == FakeFtpTls::implicit_tls ? "ftps" : "ftp") + "://127.0.0.1:" + std::to_string(port());
}

// AUTH, PBSZ, PROT and CCC (RFC 2228 §3, RFC 4217 §4, §5 and §9); false for any other verb.
bool FakeFtpServer::security_command(Session& s, const std::string& verb, const std::string& arg) {
  if (verb == "AUTH") {
    const std::string mechanism = upper(arg);
    if (s.control.tls()) {
      s.reply("503 Already using TLS.");
    } else if (mechanism != "TLS" && mechanism != "TLS-C" && mechanism != "SSL") {
      s.reply("504 Unknown AUTH type.");
    } else if (faults_.auth_no_handshake) {
      s.reply("234 Proceed with negotiation.");  // and goes on reading commands in clear text
    } else {
      // RFC 4217 §4: the handshake starts right after the 234; nothing in clear text may follow it.
      s.control.send(faults_.auth_clear_after_234 ? "234 Proceed with negotiation.\r\n220 fake FTP ready.\r\n"
                                                  : "234 Proceed with negotiation.\r\n",
                     10s);
      s.control.start_tls(*tls_, 5s);  // when it fails the next read finds the connection closed
      s.pbsz = false;
      s.protect_data = false;
    }
  } else if (verb == "PBSZ") {
    // RFC 4217 §9: PBSZ 0 for a streaming mechanism; RFC 2228 §3: 503 before the security exchange.
    if (!s.control.tls()) {
      s.reply("503 PBSZ needs AUTH TLS first.");
    } else {
      s.pbsz = true;
      s.reply("200 PBSZ=0");
    }
  } else if (verb == "PROT") {
    const std::string level = upper(arg);
    if (!s.control.tls()) {
      s.reply("503 PROT needs AUTH TLS first.");
    } else if (!s.pbsz) {
      s.reply("503 PROT needs PBSZ first.");  // RFC 4217 §9: PBSZ is compulsory before PROT
    } else if (level == "C") {
      s.protect_data = false;
      s.was_clear = true;
      s.reply("200 PROT now Clear.");
    } else if (level == "P") {
      if (!faults_.prot_p_clear && !(faults_.prot_p_after_c_clear && s.was_clear)) s.protect_data = true;
      s.reply("200 PROT now Private.");
    } else if (faults_.prot_any_level) {
      s.reply("200 PROT " + level + " accepted.");
    } else if (level == "S" || level == "E") {
      s.reply("536 PROT " + level + " not supported by TLS.");  // RFC 4217 §9: only C and P with TLS
    } else {
      s.reply("504 Unknown PROT level.");  // RFC 2228 §3: C, S, E and P are the levels
    }
  } else if (verb == "CCC") {
    // RFC 4217 §5: 533 on a control connection that is not protected; otherwise 200, the TLS
    // shutdown (the socket stays open), and the next command in clear text.
    if (faults_.ccc_refused) {
      s.reply("500 Unknown command.");
    } else if (!s.control.tls()) {
      s.reply("533 The control connection is not protected.");
    } else {
      s.reply("200 Control connection now in clear text.");
      if (!faults_.ccc_keeps_tls) s.control.end_tls(5s);  // when it fails the next read finds the connection closed
    }
  } else {
    return false;
  }
  return true;
}

void FakeFtpServer::serve(RawConnection& conn) {
  // RFC 959 §4.1.3: ABOR's Synch ends with the Data Mark sent as TCP urgent data; read in line, it is
  // dropped with the Telnet IP ahead of the verb.
  const int one = 1;
  ::setsockopt(conn.fd(), SOL_SOCKET, SO_OOBINLINE, &one, sizeof one);
  FtpStream control(conn.fd(), [&conn] { return conn.stopping(); });
  if (mode_ == FakeFtpTls::implicit_tls && !control.start_tls(*tls_, 5s)) return;
  Session s(control, [&conn] { return conn.stopping(); });
  s.reply("220 fake FTP ready.");
  for (;;) {
    std::string line = control.read_line(30s);
    if (line.empty()) return;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    drop_telnet(line);
    const auto space = line.find(' ');
    const std::string verb = upper(line.substr(0, space));
    const std::string arg = space == std::string::npos ? "" : line.substr(space + 1);
    const std::string path = strip(arg);
    if (security_command(s, verb, arg)) continue;
    std::unique_lock lock(mutex_);
    if (verb == "USER") {
      s.reply("331 Password please.");
    } else if (verb == "PASS") {
      s.reply("230 Logged in.");
    } else if (verb == "FEAT") {
      s.reply("211-Features:");
      for (const char* f : {" AUTH TLS", " CCC", " EPRT", " EPSV", " MDTM", " MLST type*;size*;modify*;", " PASV", " PBSZ",
                            " PROT", " REST STREAM", " SIZE", " UTF8"}) {
        control.send(std::string(f) + "\r\n", 10s);
      }
      s.reply("211 End");
    } else if (verb == "SYST") {
      s.reply("215 UNIX Type: L8");
    } else if (verb == "NOOP" || verb == "TYPE" || verb == "MODE" || verb == "STRU") {
      s.reply("200 OK.");
    } else if (verb == "PWD") {
      s.reply("257 \"/\" is the current directory");
    } else if (verb == "CWD" || verb == "CDUP") {
      s.reply("250 OK.");
    } else if (verb == "MKD") {
      if (dirs_.count(path)) {
        s.reply("550 Exists.");
      } else {
        dirs_[path] = true;
        s.reply("257 \"/" + path + "\" created");
      }
    } else if (verb == "RMD") {
      s.reply(dirs_.erase(path) ? "250 Removed." : "550 No such directory.");
    } else if (verb == "DELE") {
      s.reply(files_.erase(path) ? "250 Deleted." : "550 No such file.");
    } else if (verb == "RNFR") {
      s.rename_from = path;
      s.reply(files_.count(path) ? "350 Ready for RNTO." : "550 No such file.");
    } else if (verb == "RNTO") {
      if (s.rename_from.empty() || !files_.count(s.rename_from)) {
        s.reply("503 RNFR first.");
      } else {
        files_[path] = files_[s.rename_from];
        files_.erase(s.rename_from);
        s.reply("250 Renamed.");
      }
      s.rename_from.clear();
    } else if (verb == "SIZE") {
      const auto it = files_.find(path);
      s.reply(it == files_.end() ? "550 No such file."
                                 : "213 " + std::to_string(static_cast<long long>(it->second.size()) + faults_.size_delta));
    } else if (verb == "MDTM") {
      s.reply(files_.count(path) ? "213 20261126120000" : "550 No such file.");
    } else if (verb == "MLST") {
      // RFC 3659 §7.2: one entry of facts, on a line of its own starting with a space.
      const auto it = files_.find(path);
      if (it == files_.end()) {
        s.reply("550 No such file.");
      } else {
        s.reply("250-Listing " + path);
        control.send(" " + mlst_facts(static_cast<long long>(it->second.size()) + faults_.size_delta) + " /" + path + "\r\n", 10s);
        s.reply("250 End.");
      }
    } else if (verb == "REST") {
      s.rest = faults_.ignore_rest ? 0 : std::stoull(arg.empty() ? "0" : arg);
      s.reply("350 Restart position accepted (" + arg + ").");
    } else if (verb == "PASV" || verb == "EPSV") {
      std::uint16_t port = 0;
      s.passive = fake_ftp::listen_loopback(port);
      if (faults_.dead_passive_port) s.dead = fake_ftp::dead_port(port);
      s.active.reset();
      s.reply(verb == "PASV" ? "227 Entering Passive Mode (127,0,0,1," + std::to_string(port / 256) + "," +
                                   std::to_string(port % 256) + ")."
                             : "229 Entering Extended Passive Mode (|||" + std::to_string(port) + "|)");
    } else if (verb == "PORT" || verb == "EPRT") {
      s.active = active_address(verb, arg);
      s.passive = fake_ftp::Socket();
      s.reply(s.active ? "200 " + verb + " command successful." : "501 Bad " + verb + " argument.");
    } else if (verb == "STOR" || verb == "APPE" || verb == "RETR" || verb == "NLST" || verb == "LIST" ||
               verb == "MLSD") {
      transfer(s, verb, path, lock);
    } else if (verb == "ABOR") {
      // A transfer ABOR interrupted has had its 426 (fake_ftp_transfer.cpp); RFC 959 §4.1.3: then 226.
      if (!faults_.ignore_abor) s.reply("226 ABOR successful.");
    } else if (verb == "QUIT") {
      s.reply("221 Goodbye.");
      control.close_tls(1s);  // close_notify before the close, as a TLS peer should
      return;
    } else {
      s.reply("500 Unknown command.");
    }
  }
}

}  // namespace facteur::testing
