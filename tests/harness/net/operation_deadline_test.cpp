// The connection's deadline timer stays armed across operations: each operation must still time
// out at its own deadline (earlier or later than the one before), and an idle connection must not
// keep io_context::run() waiting for a timer.
#include <gtest/gtest.h>

#include <chrono>
#include <string_view>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "harness/net/connection.hpp"

namespace facteur::net {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// A loopback server that accepts one connection, says one line and then stays silent, the
// connection open for the test's life.
class OneLineServer {
 public:
  explicit OneLineServer(asio::io_context& io)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), peer_(io) {
    acceptor_.async_accept(peer_, [this](const boost::system::error_code& ec) {
      if (!ec) asio::write(peer_, asio::buffer(std::string_view("hello\r\n")));
    });
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::socket peer_;
};

struct Outcome {
  IoResult connect, first, second;
  Clock::duration second_took{};
};

// connect, a read with `first` as its timeout, then (unless `second` is zero) one with `second`; the connection is closed
// at the end only when `close` says so.
asio::awaitable<void> session(Connection& c, std::uint16_t port, Clock::duration first, Clock::duration second,
                              bool close, Outcome& out) {
  out.connect = co_await c.connect("127.0.0.1", port, Clock::now() + 5s);
  std::string buffer;
  // The greeting may come in pieces: read until its end of line.
  while (out.connect && buffer.find('\n') == std::string::npos) {
    out.first = co_await c.read_some(buffer, 4096, Clock::now() + first);
    if (!out.first) break;
  }
  if (second == Clock::duration::zero()) {  // no second read
    if (close) c.close();
    co_return;
  }
  const auto started = Clock::now();
  out.second = co_await c.read_some(buffer, 4096, started + second);
  out.second_took = Clock::now() - started;
  if (close) c.close();
}

TEST(OperationDeadline, AReadTimesOutAtItsOwnLaterDeadlineNotAtTheArmedEarlierOne) {
  asio::io_context io;
  OneLineServer server(io);
  Connection c(io.get_executor(), nullptr);
  Outcome out;
  // The greeting's read leaves the timer armed for 50 ms; the silent read after it has 400 ms.
  asio::co_spawn(io, session(c, server.port(), 50ms, 400ms, true, out), asio::detached);
  io.run();
  ASSERT_TRUE(out.connect) << out.connect.detail;
  ASSERT_TRUE(out.first) << out.first.detail;
  EXPECT_EQ(out.second.kind, FailureKind::timeout) << out.second.detail;
  EXPECT_GE(out.second_took, 390ms);
  EXPECT_LT(out.second_took, 3s);
}

TEST(OperationDeadline, AnEarlierDeadlineMovesTheArmedTimer) {
  asio::io_context io;
  OneLineServer server(io);
  Connection c(io.get_executor(), nullptr);
  Outcome out;
  // Armed for 5 s by the greeting's read: the silent read's 100 ms must move it.
  asio::co_spawn(io, session(c, server.port(), 5s, 100ms, true, out), asio::detached);
  io.run();
  ASSERT_TRUE(out.first) << out.first.detail;
  EXPECT_EQ(out.second.kind, FailureKind::timeout) << out.second.detail;
  EXPECT_GE(out.second_took, 90ms);
  EXPECT_LT(out.second_took, 2s);
}

TEST(OperationDeadline, ClosingTheConnectionLetsRunReturnAtOnce) {
  asio::io_context io;
  OneLineServer server(io);
  Connection c(io.get_executor(), nullptr);
  Outcome out;
  const auto started = Clock::now();
  // The greeting's read leaves the timer armed for 30 s; close() must stop it.
  asio::co_spawn(io, session(c, server.port(), 30s, Clock::duration::zero(), true, out), asio::detached);
  io.run();
  ASSERT_TRUE(out.first) << out.first.detail;
  EXPECT_LT(Clock::now() - started, 3s);
}

}  // namespace
}  // namespace facteur::net
