// A listening socket for connections the peer opens to us: FTP active mode (PORT/EPRT, RFC 959
// §3.2), where the server connects to the client's data port.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/net/connection.hpp"

namespace facteur::net {

class Listener {
 public:
  explicit Listener(boost::asio::any_io_executor executor);
  // Listens on `address` (an IP literal), on a port the system picks.
  IoResult open(const std::string& address);
  std::uint16_t port() const;
  std::string address() const;
  // Waits for one connection and hands it to `into`; a timeout when none comes by `deadline`.
  boost::asio::awaitable<IoResult> accept(Connection& into, Deadline deadline);
  void close();

 private:
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer timer_;
};

}  // namespace facteur::net
