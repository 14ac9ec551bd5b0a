#include "harness/net/connection.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>


namespace facteur::net {
namespace asio = boost::asio;
using asio::ip::tcp;
namespace {
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

IoResult failure(FailureKind kind, std::string detail) { return IoResult{kind, std::move(detail)}; }

// Maps a read/write error onto the kinds facteur reports.
IoResult io_failure(const boost::system::error_code& ec, bool timed_out, const char* what) {
  if (timed_out) return failure(FailureKind::timeout, std::string("deadline passed while ") + what);
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::ssl::error::stream_truncated || ec == asio::error::broken_pipe) {
    return failure(FailureKind::closed, std::string("connection closed by the server while ") + what +
                                            " (" + ec.message() + ")");
  }
  if (ec.category() == asio::error::get_ssl_category()) {
    return failure(FailureKind::tls, std::string("TLS error while ") + what + ": " + ec.message());
  }
  return failure(FailureKind::io, std::string(what) + ": " + ec.message());
}
}  // namespace

const char* to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::none: return "none";
    case FailureKind::connect: return "connect";
    case FailureKind::tls: return "tls";
    case FailureKind::timeout: return "timeout";
    case FailureKind::closed: return "closed";
    case FailureKind::io: return "io";
  }
  return "?";
}

Connection::Connection(asio::any_io_executor executor, std::shared_ptr<asio::ssl::context> tls)
    : socket_(executor), tls_context_(std::move(tls)), deadline_(executor, socket_) {}

Connection::~Connection() { close(); }

asio::awaitable<IoResult> Connection::connect(std::string host, std::uint16_t port, Deadline deadline) {
  peer_name_ = host + ":" + std::to_string(port);
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::close);
  tcp::resolver resolver(socket_.get_executor());
  const std::string service = std::to_string(port);  // a named local: see smtp_steps.cpp on GCC 12
  auto [rec, endpoints] = co_await resolver.async_resolve(host, service, kToken);
  if (rec) co_return failure(FailureKind::connect, "cannot resolve '" + host + "': " + rec.message());
  auto [ec, endpoint] = co_await asio::async_connect(socket_, endpoints, kToken);
  if (guard.expired()) co_return failure(FailureKind::connect, "connect to " + peer_name_ + " timed out");
  if (ec) co_return failure(FailureKind::connect, "cannot connect to " + peer_name_ + ": " + ec.message());
  socket_.set_option(tcp::no_delay(true));
  co_return IoResult{};
}

asio::awaitable<IoResult> Connection::start_tls(std::string server_name, Deadline deadline) {
  if (!tls_context_) co_return failure(FailureKind::tls, "TLS is not configured");
  if (tls_) co_return failure(FailureKind::tls, "TLS is already active on this connection");
  tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *tls_context_);
  SSL* ssl = tls_->native_handle();
  if (!is_ip_literal(server_name)) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
    SSL_set_tlsext_host_name(ssl, server_name.c_str());  // a macro with a C cast inside
#pragma GCC diagnostic pop
  }
  if (resume_) SSL_set_session(ssl, resume_.get());
  // RFC 6125: check the name (DNS name or IP address) the user asked for.
  tls_->set_verify_callback(asio::ssl::host_name_verification(server_name));
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::close);
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, kToken);
  if (guard.expired()) co_return failure(FailureKind::timeout, "TLS handshake timed out");
  if (ec) {
    std::string detail = ec.message();
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      detail += std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")";
    }
    co_return failure(FailureKind::tls, "TLS handshake with " + peer_name_ + " failed: " + detail);
  }
  co_return IoResult{};
}

asio::awaitable<IoResult> Connection::write(std::string_view bytes, Deadline deadline) {
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::cancel);
  boost::system::error_code ec;
  if (tls_) {
    std::tie(ec, std::ignore) = co_await asio::async_write(*tls_, asio::buffer(bytes), kToken);
  } else {
    std::tie(ec, std::ignore) = co_await asio::async_write(socket_, asio::buffer(bytes), kToken);
  }
  if (ec || guard.expired()) co_return io_failure(ec, guard.expired(), "writing");
  co_return IoResult{};
}

asio::awaitable<IoResult> Connection::read_some(std::string& buffer, std::size_t max, Deadline deadline) {
  // Into a scratch area kept for the connection's life, then appended: growing `buffer` by `max`
  // first would zero-fill `max` octets on every read (most reads bring a short reply).
  if (scratch_size_ < max) {
    scratch_ = std::make_unique_for_overwrite<char[]>(max);
    scratch_size_ = max;
  }
  if (!clear_after_tls_.empty()) {
    const std::size_t n = std::min(max, clear_after_tls_.size());
    buffer.append(clear_after_tls_, 0, n);
    clear_after_tls_.erase(0, n);
    co_return IoResult{};
  }
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::cancel);
  boost::system::error_code ec;
  std::size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await tls_->async_read_some(asio::buffer(scratch_.get(), max), kToken);
  } else {
    std::tie(ec, n) = co_await socket_.async_read_some(asio::buffer(scratch_.get(), max), kToken);
  }
  buffer.append(scratch_.get(), n);
  if (n > 0) co_return IoResult{};
  if (ec || guard.expired()) co_return io_failure(ec, guard.expired(), "reading");
  co_return IoResult{};
}

void Connection::close() {
  boost::system::error_code ignored;
  deadline_.stop();
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

TlsSession Connection::tls_session() const {
  if (!tls_) return nullptr;
  SSL* ssl = const_cast<asio::ssl::stream<tcp::socket&>&>(*tls_).native_handle();
  SSL_SESSION* session = SSL_get1_session(ssl);
  if (!session) return nullptr;
  // A copy: OpenSSL marks a connection's own session not resumable when that connection ends
  // without a TLS close (an aborted FTP data connection), which would spoil it for the next one.
  SSL_SESSION* copy = SSL_SESSION_dup(session);
  SSL_SESSION_free(session);
  if (!copy) return nullptr;
  return TlsSession(copy, SSL_SESSION_free);
}

asio::awaitable<IoResult> Connection::shutdown_tls(Deadline deadline) {
  if (!tls_) co_return IoResult{};
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::cancel);
  auto [ec] = co_await tls_->async_shutdown(kToken);
  if (guard.expired()) co_return failure(FailureKind::timeout, "deadline passed during the TLS close (no close_notify from the peer)");
  // The peer's close_notify then its TCP close: asio reports eof once both are done.
  if (ec && ec != asio::error::eof && ec != asio::ssl::error::stream_truncated) co_return io_failure(ec, false, "closing TLS");
  co_return IoResult{};
}

asio::awaitable<IoResult> Connection::end_tls(Deadline deadline) {
  if (!tls_) co_return failure(FailureKind::tls, "TLS is not active on this connection");
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::cancel);
  // asio's shutdown sends our close_notify and reads until the peer's arrives (SSL_shutdown twice).
  auto [ec] = co_await tls_->async_shutdown(kToken);
  if (guard.expired()) co_return failure(FailureKind::timeout, "no TLS close_notify from the peer before the deadline");
  if (ec) co_return io_failure(ec, false, "waiting for the peer's TLS close_notify");
  SSL* ssl = tls_->native_handle();
  if ((SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN) == 0) {
    co_return failure(FailureKind::tls, "the TLS close ended without the peer's close_notify");
  }
  // OpenSSL reads record by record, so what arrived behind the close_notify is still in the BIO
  // asio fed it: clear text already, the first octets read_some must give.
  char rest[4096];
  for (int n = 0; (n = BIO_read(SSL_get_rbio(ssl), rest, sizeof rest)) > 0;) {
    clear_after_tls_.append(rest, static_cast<std::size_t>(n));
  }
  tls_.reset();
  co_return IoResult{};
}

void Connection::shutdown_send() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<IoResult> Connection::write_urgent(std::string_view bytes, Deadline deadline) {
  if (tls_) co_return failure(FailureKind::io, "urgent data cannot be sent on a TLS connection");
  OperationDeadline::Scope guard(deadline_, deadline, OperationDeadline::Action::cancel);
  auto [ec, n] = co_await socket_.async_send(asio::buffer(bytes), tcp::socket::message_out_of_band, kToken);
  if (ec || guard.expired()) co_return io_failure(ec, guard.expired(), "writing urgent data");
  if (n != bytes.size()) co_return failure(FailureKind::io, "urgent data only partly written");
  co_return IoResult{};
}

void Connection::adopt(tcp::socket socket, std::string peer_name) {
  close();
  tls_.reset();
  clear_after_tls_.clear();
  socket_ = std::move(socket);
  peer_name_ = std::move(peer_name);
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
}

bool Connection::is_open() const { return socket_.is_open(); }

TlsInfo Connection::tls_info() const {
  TlsInfo info;
  if (!tls_) return info;
  SSL* ssl = const_cast<asio::ssl::stream<tcp::socket&>&>(*tls_).native_handle();
  info.version = SSL_get_version(ssl);
  info.cipher = SSL_get_cipher_name(ssl);
  info.resumed = SSL_session_reused(ssl) == 1;
  if (X509* cert = SSL_get1_peer_certificate(ssl)) {
    char name[256];
    X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
    info.peer_subject = name;
    X509_free(cert);
  }
  return info;
}

std::string Connection::local_endpoint() const {
  boost::system::error_code ec;
  auto ep = socket_.local_endpoint(ec);
  return ec ? std::string() : ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string Connection::peer_endpoint() const { return peer_name_; }

std::string Connection::local_address() const {
  boost::system::error_code ec;
  auto ep = socket_.local_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

std::string Connection::remote_address() const {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

}  // namespace facteur::net
