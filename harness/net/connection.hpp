// The one Asio driver of facteur: a TCP connection that can start TLS (implicit, or STARTTLS later
// in the session), with a deadline on every operation. Protocol code never touches sockets: it
// asks the connection for bytes and gives it bytes (shared/STYLE.md §2).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>

#include "harness/net/operation_deadline.hpp"

namespace facteur::net {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Why an operation failed, by the kinds the reports and the load summaries count.
enum class FailureKind { none, connect, tls, timeout, closed, io };
const char* to_string(FailureKind);

struct IoResult {
  FailureKind kind = FailureKind::none;
  std::string detail;  // human-readable, e.g. "connection refused (127.0.0.1:2525)"
  explicit operator bool() const { return kind == FailureKind::none; }
};

// An OpenSSL session shared between connections (FTPS: the data connections resume the control
// connection's session, RFC 4217 §10.2 / vsftpd require_ssl_reuse).
using TlsSession = std::shared_ptr<SSL_SESSION>;

struct TlsInfo {
  std::string version;   // "TLSv1.3"
  std::string cipher;
  std::string peer_subject;
  bool resumed = false;
};

class Connection {
 public:
  Connection(boost::asio::any_io_executor executor, std::shared_ptr<boost::asio::ssl::context> tls);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  boost::asio::awaitable<IoResult> connect(std::string host, std::uint16_t port, Deadline deadline);
  // Starts TLS on the open connection (implicit TLS right after connect, or after STARTTLS).
  // `server_name` is used for SNI (unless it is an IP literal) and for the certificate check.
  boost::asio::awaitable<IoResult> start_tls(std::string server_name, Deadline deadline);
  boost::asio::awaitable<IoResult> write(std::string_view bytes, Deadline deadline);
  // Appends what arrives (at most `max` octets) to `buffer`. EOF gives FailureKind::closed.
  boost::asio::awaitable<IoResult> read_some(std::string& buffer, std::size_t max, Deadline deadline);
  // Closes at once (abrupt close; cancels pending operations).
  void close();

  // A copy of the session of the established TLS connection (null without TLS), for another connection
  // to resume; and the session to offer in the next start_tls (resumption, when the server agrees:
  // TlsInfo::resumed says).
  TlsSession tls_session() const;
  void resume_tls_session(TlsSession session) { resume_ = std::move(session); }
  // TLS close: sends close_notify and waits for the peer's (reading and discarding what the peer
  // still sends, TLS 1.3 session tickets included). Without TLS: nothing.
  boost::asio::awaitable<IoResult> shutdown_tls(Deadline deadline);
  // Ends TLS and keeps the TCP connection (FTP's CCC, RFC 4217 §5): close_notify both ways, then
  // reads and writes go to the socket in clear text. Fails when the peer's close_notify has not come
  // by `deadline`, or the peer sends application data or closes the connection instead; the
  // connection is unusable then.
  boost::asio::awaitable<IoResult> end_tls(Deadline deadline);
  // TCP half-close: no more data from us (FIN); reading stays possible.
  void shutdown_send();
  // Writes `bytes` as TCP urgent data (MSG_OOB: the urgent pointer marks their last octet). Plain
  // connections only: under TLS the octets would land outside a record.
  boost::asio::awaitable<IoResult> write_urgent(std::string_view bytes, Deadline deadline);
  // Takes over an accepted socket (active-mode FTP data connections, net::Listener).
  void adopt(boost::asio::ip::tcp::socket socket, std::string peer_name);

  bool is_open() const;
  bool tls_active() const { return tls_ != nullptr; }
  TlsInfo tls_info() const;
  std::string local_endpoint() const;
  std::string peer_endpoint() const;
  // The IP addresses at either end of the open socket ("" when not connected).
  std::string local_address() const;
  std::string remote_address() const;

 private:
  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  OperationDeadline deadline_;  // after socket_, which it cancels or closes
  std::string peer_name_;
  std::unique_ptr<char[]> scratch_;  // read_some's landing area, allocated once per connection
  std::size_t scratch_size_ = 0;
  std::string clear_after_tls_;  // clear text that came behind the peer's close_notify (end_tls)
  TlsSession resume_;
};

}  // namespace facteur::net
