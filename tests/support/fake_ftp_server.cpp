#include "tests/support/fake_ftp_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

namespace facteur::testing {
namespace {

using namespace std::chrono_literals;

// A socket closed when it goes out of scope.
struct Socket {
  int fd = -1;
  Socket() = default;
  explicit Socket(int f) : fd(f) {}
  Socket(Socket&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Socket& operator=(Socket&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

// A listener on 127.0.0.1:<ephemeral>.
Socket listen_loopback(std::uint16_t& port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(s.fd, 1) != 0) {
    return Socket();
  }
  socklen_t len = sizeof addr;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return s;
}

// A loopback port nobody listens on: bound (so nobody else gets it) but never listening.
Socket dead_port(std::uint16_t& port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return Socket();
  socklen_t len = sizeof addr;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return s;
}

Socket accept_within(const Socket& listener, std::chrono::milliseconds timeout) {
  pollfd p{listener.fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return Socket();
  return Socket(::accept(listener.fd, nullptr, nullptr));
}

Socket connect_to(const std::string& host, std::uint16_t port) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (s.fd < 0 || ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Socket();
  }
  return s;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string read_all(int fd) {
  std::string out;
  char buf[16384];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return out;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string strip(std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return path;
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

struct FakeFtpServer::Session {
  RawConnection& conn;
  Socket passive;      // listening after PASV/EPSV
  Socket dead;         // the port a faulty PASV/EPSV names
  std::optional<std::pair<std::string, std::uint16_t>> active;
  std::uint64_t rest = 0;
  std::string rename_from;

  void reply(const std::string& line) { conn.send(line + "\r\n"); }

  // The data connection for one transfer, after the 150 went out.
  Socket open_data() {
    if (passive.fd >= 0) {
      Socket s = accept_within(passive, 3000ms);
      passive = Socket();
      return s;
    }
    if (active) {
      Socket s = connect_to(active->first, active->second);
      active.reset();
      return s;
    }
    return Socket();
  }
};

FakeFtpServer::FakeFtpServer(FakeFtpFaults faults)
    : faults_(faults), server_(std::make_unique<RawServer>([this](RawConnection& c) { serve(c); })) {}

void FakeFtpServer::serve(RawConnection& conn) {
  Session s{conn, {}, {}, {}, 0, {}};
  s.reply("220 fake FTP ready.");
  for (;;) {
    std::string line = conn.read_line(30s);
    if (line.empty()) return;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    const auto space = line.find(' ');
    const std::string verb = upper(line.substr(0, space));
    const std::string arg = space == std::string::npos ? "" : line.substr(space + 1);
    const std::string path = strip(arg);
    std::unique_lock lock(mutex_);
    if (verb == "USER") {
      s.reply("331 Password please.");
    } else if (verb == "PASS") {
      s.reply("230 Logged in.");
    } else if (verb == "FEAT") {
      s.reply("211-Features:");
      for (const char* f : {" EPRT", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " UTF8"}) conn.send(std::string(f) + "\r\n");
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
    } else if (verb == "REST") {
      s.rest = faults_.ignore_rest ? 0 : std::stoull(arg.empty() ? "0" : arg);
      s.reply("350 Restart position accepted (" + arg + ").");
    } else if (verb == "PASV" || verb == "EPSV") {
      std::uint16_t port = 0;
      s.passive = listen_loopback(port);
      if (faults_.dead_passive_port) s.dead = dead_port(port);
      s.active.reset();
      s.reply(verb == "PASV" ? "227 Entering Passive Mode (127,0,0,1," + std::to_string(port / 256) + "," +
                                   std::to_string(port % 256) + ")."
                             : "229 Entering Extended Passive Mode (|||" + std::to_string(port) + "|)");
    } else if (verb == "PORT" || verb == "EPRT") {
      s.active = active_address(verb, arg);
      s.passive = Socket();
      s.reply(s.active ? "200 " + verb + " command successful." : "501 Bad " + verb + " argument.");
    } else if (verb == "STOR" || verb == "APPE" || verb == "RETR" || verb == "NLST" || verb == "LIST") {
      const bool download = verb == "RETR" || verb == "NLST" || verb == "LIST";
      if (verb == "RETR" && !files_.count(path)) {
        s.reply("550 No such file.");
        continue;
      }
      std::string payload;
      if (verb == "RETR") {
        payload = files_[path];
        payload.erase(0, std::min<std::uint64_t>(s.rest, payload.size()));
        if (faults_.truncate_retr >= 0 && payload.size() > static_cast<std::uint64_t>(faults_.truncate_retr)) {
          payload.resize(static_cast<std::size_t>(faults_.truncate_retr));
        }
      } else if (download) {
        const std::string prefix = path.empty() ? "" : path + "/";
        for (const auto& [name, data] : files_) {
          if (name.rfind(prefix, 0) != 0 || name.find('/', prefix.size()) != std::string::npos) continue;
          const std::string base = name.substr(prefix.size());
          payload += verb == "NLST" ? base + "\r\n"
                                    : "-rw-r--r--    1 1000     1000" + std::string(12, ' ') + std::to_string(data.size()) +
                                          " Nov 26 12:00 " + base + "\r\n";
        }
      }
      const std::uint64_t offset = s.rest;
      s.rest = 0;
      s.reply("150 Opening data connection.");
      if (faults_.never_connect && s.active) {
        s.active.reset();
        continue;  // no data connection, no further reply: the client must notice by itself
      }
      lock.unlock();
      Socket data = s.open_data();
      if (data.fd < 0) {
        s.reply("425 Cannot open data connection.");
        continue;
      }
      if (download) {
        send_all(data.fd, payload);
        data = Socket();
      } else {
        std::string got = read_all(data.fd);
        lock.lock();
        std::string& file = files_[path];
        if (verb == "APPE") {
          file += got;
        } else if (offset > 0) {
          file.resize(std::min<std::uint64_t>(offset, file.size()));
          file += got;
        } else {
          file = std::move(got);
        }
        lock.unlock();
      }
      s.reply("226 Transfer complete.");
    } else if (verb == "QUIT") {
      s.reply("221 Goodbye.");
      return;
    } else {
      s.reply("500 Unknown command.");
    }
  }
}

}  // namespace facteur::testing
