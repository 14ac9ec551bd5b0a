#include "harness/net/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "harness/net/deadline_guard.hpp"

namespace facteur::net {
namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::any_io_executor executor) : acceptor_(executor), timer_(executor) {}

IoResult Listener::open(const std::string& address) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return IoResult{FailureKind::connect, "cannot listen on '" + address + "': " + ec.message()};
  const tcp::endpoint endpoint(ip, 0);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(1, ec);
  if (ec) return IoResult{FailureKind::connect, "cannot listen on " + address + ": " + ec.message()};
  return IoResult{};
}

std::uint16_t Listener::port() const {
  boost::system::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::string Listener::address() const {
  boost::system::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

asio::awaitable<IoResult> Listener::accept(Connection& into, Deadline deadline) {
  DeadlineGuard guard(timer_, deadline, [this] {
    boost::system::error_code ignored;
    acceptor_.cancel(ignored);
  });
  auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
  if (guard.expired()) co_return IoResult{FailureKind::timeout, "no connection came to " + address() + ":" + std::to_string(port())};
  if (ec) co_return IoResult{FailureKind::connect, "accept: " + ec.message()};
  boost::system::error_code pec;
  const auto peer = socket.remote_endpoint(pec);
  std::string name = pec ? std::string("?") : peer.address().to_string() + ":" + std::to_string(peer.port());
  into.adopt(std::move(socket), std::move(name));
  co_return IoResult{};
}

void Listener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace facteur::net
