// The deadline of a connection's operations, on one timer kept armed across them. Arming a timer
// per read and per write costs two timer-queue operations and an aborted-handler dispatch each
// time; here an operation only records its deadline, and the timer is moved only when the new
// deadline is earlier than the one it waits for. When it fires early (it was set for an earlier
// operation) it follows the current operation; when no operation runs it stops, so an idle
// connection does not keep io_context::run() from returning. close() stops it at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace facteur::net {

class OperationDeadline {
 public:
  // What the deadline does to the socket: cancel its pending I/O, or close it (connect, handshake).
  enum class Action { cancel, close };

  OperationDeadline(boost::asio::any_io_executor executor, boost::asio::ip::tcp::socket& socket);
  ~OperationDeadline();
  OperationDeadline(const OperationDeadline&) = delete;
  OperationDeadline& operator=(const OperationDeadline&) = delete;

  // One operation's scope: the deadline holds from construction to destruction.
  class Scope {
   public:
    Scope(OperationDeadline& owner, std::chrono::steady_clock::time_point deadline, Action action)
        : owner_(owner) {
      owner_.begin(deadline, action);
    }
    ~Scope() { owner_.end(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    bool expired() const { return owner_.state_->expired; }

   private:
    OperationDeadline& owner_;
  };

  // No operation will run for now (the connection is closed): the timer stops waiting.
  void stop();

 private:
  // Shared with the timer's handler, which may run after the connection is gone.
  struct State {
    explicit State(boost::asio::any_io_executor executor, boost::asio::ip::tcp::socket& s)
        : timer(executor), socket(&s) {}
    boost::asio::steady_timer timer;
    boost::asio::ip::tcp::socket* socket;  // null once the owner is destroyed
    std::chrono::steady_clock::time_point deadline;
    Action action = Action::cancel;
    bool active = false;   // an operation runs
    bool expired = false;  // its deadline passed
    std::size_t waits = 0; // handlers not yet run (a re-armed timer leaves an aborted one behind)
  };

  void begin(std::chrono::steady_clock::time_point deadline, Action action);
  void end() { state_->active = false; }
  static void wait(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
};

}  // namespace facteur::net
