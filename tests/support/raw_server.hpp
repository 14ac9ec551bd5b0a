// A tiny TCP server on 127.0.0.1 for hostile-server tests: each accepted connection runs a script
// on its own thread with a plain blocking socket, so a test can misbehave at the byte level (never
// end a line, trickle, reset, send garbage instead of TLS).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace facteur::testing {

class RawConnection {
 public:
  RawConnection(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  // False once the peer has gone (or the server stops).
  bool send(std::string_view bytes);
  // Reads one line (up to LF) within `timeout`; empty on timeout or close.
  std::string read_line(std::chrono::milliseconds timeout);
  // Reads exactly `n` octets within `timeout`; fewer on timeout or close.
  std::string read_exact(std::size_t n, std::chrono::milliseconds timeout);
  // Waits until the client closes or `timeout` passes; true if it closed.
  bool wait_closed(std::chrono::milliseconds timeout);
  void reset();  // close with RST (SO_LINGER 0)
  // Sends FIN and keeps reading until the client closes (or `timeout`): a lingering close, so
  // unread request octets do not turn the close into a reset that destroys the last response.
  void close_lingering(std::chrono::milliseconds timeout);
  // Octets received but not yet read (a pipelined request, say), and taking them.
  std::size_t buffered() const { return pending_.size(); }
  std::string take_buffered();
  bool stopping() const { return stopping_.load(); }
  // The socket itself, for a script doing its own I/O on it (the fake FTP server's TLS): the reads
  // above buffer, so a script uses one or the other.
  int fd() const { return fd_; }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
  bool fill(std::chrono::steady_clock::time_point until);  // one more read into pending_
  std::string pending_;
};

class RawServer {
 public:
  using Script = std::function<void(RawConnection&)>;
  explicit RawServer(Script script);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void accept_loop();
  Script script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
};

}  // namespace facteur::testing
