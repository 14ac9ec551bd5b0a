#include "tests/support/fake_ftp_tls.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "tests/support/test_certs.hpp"

namespace facteur::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kSlice{20};  // longest wait between looks at `stopping` / `give_up`

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

}  // namespace

FtpTlsContext::FtpTlsContext() : ctx_(SSL_CTX_new(TLS_server_method())) {
  const auto& certs = test::test_certificates();
  std::unique_ptr<BIO, BioFree> chain(BIO_new_mem_buf(certs.cert_pem.data(), static_cast<int>(certs.cert_pem.size())));
  std::unique_ptr<BIO, BioFree> key(BIO_new_mem_buf(certs.key_pem.data(), static_cast<int>(certs.key_pem.size())));
  bool ok = ctx_ != nullptr && SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION) == 1;
  X509* leaf = ok ? PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr) : nullptr;
  ok = leaf != nullptr && SSL_CTX_use_certificate(ctx_, leaf) == 1;
  X509_free(leaf);
  while (ok) {  // the rest of cert_pem is the chain (the CA)
    X509* ca = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr);
    if (!ca) break;
    ok = SSL_CTX_add0_chain_cert(ctx_, ca) == 1;
  }
  ERR_clear_error();  // the end of the PEM list
  EVP_PKEY* pkey = ok ? PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr) : nullptr;
  ok = pkey != nullptr && SSL_CTX_use_PrivateKey(ctx_, pkey) == 1;
  EVP_PKEY_free(pkey);
  // One session cache for the control and data connections: what lets PROT P data resume.
  static const unsigned char sid[] = "facteur-fake-ftp";
  ok = ok && SSL_CTX_set_session_id_context(ctx_, sid, sizeof sid - 1) == 1;
  if (!ok) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error("fake FTP server: TLS context setup failed");
  }
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_SERVER);
}

FtpTlsContext::~FtpTlsContext() { SSL_CTX_free(ctx_); }

FtpStream::FtpStream(int fd, Stopping stopping) : fd_(fd), stopping_(std::move(stopping)) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

FtpStream::~FtpStream() {
  if (ssl_) SSL_free(ssl_);
}

bool FtpStream::wait_for(short events, Clock::time_point until, const std::function<bool()>& give_up) {
  for (;;) {
    if (stopping_ && stopping_()) return false;
    if (give_up && give_up()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min(left, kSlice).count()));
    if (n > 0) return true;
  }
}

bool FtpStream::start_tls(const FtpTlsContext& ctx, std::chrono::milliseconds timeout) {
  // Octets read before the handshake would be TLS records OpenSSL never sees: the client sends
  // nothing between our 234 and its ClientHello, so there are none.
  pending_.clear();
  // OpenSSL writes with write(2): a client that closed a TLS data connection (as facteur does after
  // ABOR) would kill the test with SIGPIPE. Blocked in this thread (the fake's own), it gives EPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  ssl_ = SSL_new(ctx.native());
  if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) return false;
  const auto until = Clock::now() + timeout;
  for (;;) {
    const int r = SSL_accept(ssl_);
    if (r == 1) return true;
    const int err = SSL_get_error(ssl_, r);
    ERR_clear_error();
    if (err == SSL_ERROR_WANT_READ && wait_for(POLLIN, until)) continue;
    if (err == SSL_ERROR_WANT_WRITE && wait_for(POLLOUT, until)) continue;
    closed_ = true;
    return false;
  }
}

bool FtpStream::resumed() const { return ssl_ && SSL_session_reused(ssl_) == 1; }

bool FtpStream::send(std::string_view bytes, std::chrono::milliseconds timeout, const std::function<bool()>& give_up) {
  const auto until = Clock::now() + timeout;
  while (!bytes.empty() && !closed_) {
    if (ssl_) {
      std::size_t n = 0;
      const int r = SSL_write_ex(ssl_, bytes.data(), bytes.size(), &n);
      if (r == 1) {
        bytes.remove_prefix(n);
        continue;
      }
      const int err = SSL_get_error(ssl_, r);
      ERR_clear_error();
      // OpenSSL wants the same call again once the socket is ready.
      if (err == SSL_ERROR_WANT_WRITE && wait_for(POLLOUT, until, give_up)) continue;
      if (err == SSL_ERROR_WANT_READ && wait_for(POLLIN, until, give_up)) continue;
      return false;
    }
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(POLLOUT, until, give_up)) return false;
    } else {
      closed_ = true;
    }
  }
  return bytes.empty();
}

FtpStream::Io FtpStream::read_some(std::string& out, bool wait, Clock::time_point until) {
  char buf[65536];
  for (;;) {
    if (closed_) return Io::closed;
    if (ssl_) {
      std::size_t n = 0;
      const int r = SSL_read_ex(ssl_, buf, sizeof buf, &n);
      if (r == 1) {
        out.append(buf, n);
        return Io::ok;
      }
      const int err = SSL_get_error(ssl_, r);
      ERR_clear_error();
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (!wait) return Io::again;
        if (wait_for(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until)) continue;
        return Io::again;
      }
      closed_ = true;  // close_notify, a reset or a broken record
      return Io::closed;
    }
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      return Io::ok;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait) return Io::again;
      if (wait_for(POLLIN, until)) continue;
      return Io::again;
    }
    closed_ = true;
    return Io::closed;
  }
}

std::string FtpStream::read_line(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    if (const auto lf = pending_.find('\n'); lf != std::string::npos) {
      std::string line = pending_.substr(0, lf + 1);
      pending_.erase(0, lf + 1);
      return line;
    }
    if (read_some(pending_, true, until) != Io::ok) return {};
  }
}

bool FtpStream::line_ready() {
  while (pending_.find('\n') == std::string::npos) {
    if (read_some(pending_, false, Clock::now()) != Io::ok) return false;
  }
  return true;
}

std::string FtpStream::read_to_end(std::chrono::milliseconds idle) {
  std::string out = std::move(pending_);
  pending_.clear();
  for (;;) {
    if (read_some(out, true, Clock::now() + idle) != Io::ok) return out;
  }
}

void FtpStream::close_tls(std::chrono::milliseconds timeout) {
  if (!ssl_) return;
  const auto until = Clock::now() + timeout;
  for (;;) {
    const int r = SSL_shutdown(ssl_);
    if (r >= 0) break;  // close_notify sent (1: the peer's arrived too)
    const int err = SSL_get_error(ssl_, r);
    ERR_clear_error();
    if (err == SSL_ERROR_WANT_WRITE && wait_for(POLLOUT, until)) continue;
    if (err == SSL_ERROR_WANT_READ && wait_for(POLLIN, until)) continue;
    return;
  }
  // The peer's close_notify or its close: closing before then could reset the connection and lose
  // the end of what we sent.
  std::string ignored;
  while (read_some(ignored, true, until) == Io::ok) ignored.clear();
}

bool FtpStream::end_tls(std::chrono::milliseconds timeout) {
  if (!ssl_) return false;
  // Octets read ahead of the close would be TLS records: the client sends nothing between the 200
  // and its close_notify, so there are none.
  pending_.clear();
  const auto until = Clock::now() + timeout;
  for (;;) {
    const int r = SSL_shutdown(ssl_);
    if (r == 1) break;  // ours sent, the peer's received
    if (r == 0) continue;  // ours sent: the second call waits for the peer's
    const int err = SSL_get_error(ssl_, r);
    ERR_clear_error();
    if (err == SSL_ERROR_WANT_WRITE && wait_for(POLLOUT, until)) continue;
    if (err == SSL_ERROR_WANT_READ && wait_for(POLLIN, until)) continue;
    closed_ = true;
    return false;
  }
  // OpenSSL reads a socket record by record (no read-ahead): what follows the close_notify is still
  // in the socket, for the clear-text reads.
  SSL_free(ssl_);
  ssl_ = nullptr;
  return true;
}

}  // namespace facteur::testing
