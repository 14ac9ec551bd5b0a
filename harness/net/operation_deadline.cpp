#include "harness/net/operation_deadline.hpp"

#include <boost/system/error_code.hpp>

namespace facteur::net {

OperationDeadline::OperationDeadline(boost::asio::any_io_executor executor, boost::asio::ip::tcp::socket& socket)
    : state_(std::make_shared<State>(std::move(executor), socket)) {}

OperationDeadline::~OperationDeadline() {
  state_->socket = nullptr;
  stop();
}

void OperationDeadline::stop() {
  state_->active = false;
  state_->timer.cancel();
}

void OperationDeadline::begin(std::chrono::steady_clock::time_point deadline, Action action) {
  State& s = *state_;
  s.deadline = deadline;
  s.action = action;
  s.active = true;
  s.expired = false;
  // A wait for an earlier moment is kept: its handler moves the timer on when it fires.
  if (s.waits > 0 && s.timer.expiry() <= deadline) return;
  s.timer.expires_at(deadline);  // aborts a later wait, whose handler then just counts itself out
  wait(state_);
}

void OperationDeadline::wait(const std::shared_ptr<State>& state) {
  ++state->waits;
  state->timer.async_wait([state](const boost::system::error_code& ec) {
    State& s = *state;
    --s.waits;
    // Aborted (moved, stopped), superseded by a newer wait, no operation running, or owner gone.
    if (ec || s.waits > 0 || !s.active || !s.socket) return;
    if (std::chrono::steady_clock::now() < s.deadline) {
      // Set for an earlier operation's deadline: follow the current one.
      s.timer.expires_at(s.deadline);
      wait(state);
      return;
    }
    s.expired = true;
    boost::system::error_code ignored;
    if (s.action == Action::close) s.socket->close(ignored);
    else s.socket->cancel(ignored);
  });
}

}  // namespace facteur::net
