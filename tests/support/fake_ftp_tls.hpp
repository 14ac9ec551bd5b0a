// The byte stream of the fake FTP server (fake_ftp_server.hpp), plain or TLS: the control connection
// (AUTH TLS, RFC 4217 §4, or implicit TLS from the first octet) and each data connection under
// PROT P (RFC 4217 §9). The fake runs one thread per connection, so the calls block, each with a
// deadline, over a non-blocking socket; OpenSSL is used directly on it. The server's TLS context is
// shared by all its connections, so a data connection can resume the control connection's session
// (RFC 4217 §10.2). TEST ONLY: the certificate is test_certs.hpp's throw-away one.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace facteur::testing {

// A server-side TLS context with test_certs.hpp's certificate (TLS 1.2 and 1.3, session resumption on).
class FtpTlsContext {
 public:
  FtpTlsContext();
  ~FtpTlsContext();
  FtpTlsContext(const FtpTlsContext&) = delete;
  FtpTlsContext& operator=(const FtpTlsContext&) = delete;
  SSL_CTX* native() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

class FtpStream {
 public:
  using Stopping = std::function<bool()>;  // true once the server shuts down: every wait gives up
  // `fd` stays owned by the caller and is made non-blocking.
  FtpStream(int fd, Stopping stopping);
  ~FtpStream();
  FtpStream(const FtpStream&) = delete;
  FtpStream& operator=(const FtpStream&) = delete;

  // The server side of a TLS handshake; false if it fails or does not end within `timeout`.
  bool start_tls(const FtpTlsContext& ctx, std::chrono::milliseconds timeout);
  bool tls() const { return ssl_ != nullptr; }
  bool resumed() const;  // the peer resumed an earlier session

  // Sends every octet; false when the peer has gone, `timeout` passed, or `give_up` (asked while
  // waiting for room to write, when set) said so.
  bool send(std::string_view bytes, std::chrono::milliseconds timeout, const std::function<bool()>& give_up = {});
  // One line up to LF; empty on timeout, close or stop.
  std::string read_line(std::chrono::milliseconds timeout);
  // Whether a whole line can be read at once (reads what has arrived, never waits).
  bool line_ready();
  // Everything up to the peer's close (or `idle` without data): an upload.
  std::string read_to_end(std::chrono::milliseconds idle);
  // TLS: close_notify, then the peer's (or its close) within `timeout` (RFC 4217 §10.3 wants the
  // TLS session ended before the data connection is closed).
  void close_tls(std::chrono::milliseconds timeout);
  // CCC (RFC 4217 §5): close_notify both ways within `timeout`, then the socket carries clear text.
  // False when the peer's close_notify did not come (the stream is closed then).
  bool end_tls(std::chrono::milliseconds timeout);

 private:
  enum class Io { ok, again, closed };
  Io read_some(std::string& out, bool wait, std::chrono::steady_clock::time_point until);
  bool wait_for(short events, std::chrono::steady_clock::time_point until, const std::function<bool()>& give_up = {});

  int fd_;
  Stopping stopping_;
  SSL* ssl_ = nullptr;
  std::string pending_;  // read, not yet returned
  bool closed_ = false;
};

}  // namespace facteur::testing
