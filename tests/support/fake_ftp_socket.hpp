// Loopback sockets for the fake FTP server's data connections (fake_ftp_server.hpp): a listener for
// PASV/EPSV, a port nobody listens on, an accept or a connect with a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace facteur::testing::fake_ftp {

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
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
};

Socket listen_loopback(std::uint16_t& port);  // 127.0.0.1:<ephemeral>, listening
Socket dead_port(std::uint16_t& port);        // bound (so nobody else gets it), never listening
Socket accept_within(const Socket& listener, std::chrono::milliseconds timeout);
Socket connect_to(const std::string& host, std::uint16_t port);

}  // namespace facteur::testing::fake_ftp
