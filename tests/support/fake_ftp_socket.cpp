#include "tests/support/fake_ftp_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace facteur::testing::fake_ftp {
namespace {

// 127.0.0.1:<ephemeral>, bound.
Socket bound_loopback(std::uint16_t& port) {
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

}  // namespace

Socket::~Socket() {
  if (fd >= 0) ::close(fd);
}

Socket listen_loopback(std::uint16_t& port) {
  Socket s = bound_loopback(port);
  if (s.fd >= 0 && ::listen(s.fd, 1) != 0) return Socket();
  return s;
}

Socket dead_port(std::uint16_t& port) { return bound_loopback(port); }

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

}  // namespace facteur::testing::fake_ftp
