// The Asio driver of the fake SMTP server: accepts, runs one FakeSmtpSession per connection and
// does what it asks (write, read, TLS handshake, close).
#include "tests/support/fake_smtp_server.hpp"

#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "tests/support/fake_smtp_session.hpp"
#include "tests/support/maildir.hpp"
#include "tests/support/test_certs.hpp"

namespace facteur::test {
namespace asio = boost::asio;
using asio::ip::tcp;
namespace {
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);
using TlsStream = asio::ssl::stream<tcp::socket&>;
}  // namespace

struct FakeSmtpServer::Impl {
  FakeSmtpServer& owner;
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{io};
  std::list<std::weak_ptr<tcp::socket>> sockets;  // touched on the server thread only

  explicit Impl(FakeSmtpServer& o) : owner(o) {
    const auto& certs = test_certificates();
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    tls.use_certificate_chain(asio::buffer(certs.cert_pem));
    tls.use_private_key(asio::buffer(certs.key_pem), asio::ssl::context::pem);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(io);
      auto [ec] = co_await acceptor.async_accept(*socket, kToken);
      if (ec) co_return;
      sockets.remove_if([](const auto& w) { return w.expired(); });
      sockets.push_back(socket);
      int id = 0;
      {
        std::lock_guard lock(owner.mutex_);
        id = ++owner.connections_;
      }
      asio::co_spawn(io, serve(socket, id), asio::detached);
    }
  }

  static asio::awaitable<bool> write(tcp::socket& socket, TlsStream* tls, const std::string& bytes) {
    boost::system::error_code ec;
    if (tls) {
      std::tie(ec, std::ignore) = co_await asio::async_write(*tls, asio::buffer(bytes), kToken);
    } else {
      std::tie(ec, std::ignore) = co_await asio::async_write(socket, asio::buffer(bytes), kToken);
    }
    co_return !ec;
  }

  static asio::awaitable<std::size_t> read(tcp::socket& socket, TlsStream* tls, std::string& buffer) {
    boost::system::error_code ec;
    std::size_t n = 0;
    if (tls) {
      std::tie(ec, n) = co_await tls->async_read_some(asio::buffer(buffer), kToken);
    } else {
      std::tie(ec, n) = co_await socket.async_read_some(asio::buffer(buffer), kToken);
    }
    co_return ec ? 0 : n;
  }

  asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket, int id) {
    const bool implicit = owner.config_.mode == FakeSmtpMode::implicit_tls;
    FakeSmtpSession session(owner.config_, implicit, [this, id](const std::string& line, bool in_tls) {
      std::lock_guard lock(owner.mutex_);
      owner.received_.push_back({id, in_tls, line});
    });
    std::unique_ptr<TlsStream> stream;
    auto handshake = [&]() {
      stream = std::make_unique<TlsStream>(*socket, tls);
      return stream->async_handshake(asio::ssl::stream_base::server, kToken);
    };
    boost::system::error_code ignored;
    try {
      if (implicit) {
        auto [ec] = co_await handshake();
        if (ec) co_return;
      }
      SessionOutput out = session.start();
      std::string buffer(16 * 1024, '\0');
      for (;;) {
        if (!out.bytes.empty() && !(co_await write(*socket, stream.get(), out.bytes))) break;
        if (out.next == SessionOutput::Next::close) break;
        if (out.next == SessionOutput::Next::start_tls) {
          auto [ec] = co_await handshake();
          if (ec) break;
          out = session.tls_started();
          continue;
        }
        const std::size_t n = co_await read(*socket, stream.get(), buffer);
        if (n == 0) break;
        out = session.receive(std::string_view(buffer.data(), n));
      }
    } catch (const std::exception&) {
      // A bug in the fake must not take the test process down; the client sees the close.
    }
    socket->shutdown(tcp::socket::shutdown_both, ignored);
    socket->close(ignored);
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (auto& weak : sockets) {
      if (auto s = weak.lock()) s->close(ignored);
    }
  }
};

FakeSmtpServer::FakeSmtpServer(FakeSmtpConfig config) : config_(std::move(config)) {
  if (config_.maildirs.empty()) {
    own_maildirs_ = std::make_unique<TempMaildirs>(config_.passwords);
    config_.maildirs = own_maildirs_->maildirs();
  }
  impl_ = std::make_unique<Impl>(*this);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  thread_ = std::thread([this] { impl_->io.run(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  // Closing the acceptor and every socket ends each coroutine; io.run() then runs out of work.
  asio::post(impl_->io, [impl = impl_.get()] { impl->stop(); });
  thread_.join();
}

std::string FakeSmtpServer::url() const {
  return std::string(config_.mode == FakeSmtpMode::implicit_tls ? "smtps" : "smtp") + "://127.0.0.1:" +
         std::to_string(port_);
}

std::string FakeSmtpServer::maildir(const std::string& user) const {
  const auto it = config_.maildirs.find(user);
  return it == config_.maildirs.end() ? std::string() : it->second;
}

std::vector<FakeSmtpServer::Received> FakeSmtpServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

int FakeSmtpServer::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

}  // namespace facteur::test
