// Arms a timer for one operation; when the deadline passes first, `on_expiry` cancels the I/O.
// A generation counter keeps a late timer handler from touching the next operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/steady_timer.hpp>

namespace facteur::net {

class DeadlineGuard {
 public:
  DeadlineGuard(boost::asio::steady_timer& timer, std::chrono::steady_clock::time_point deadline,
                std::function<void()> on_expiry)
      : timer_(timer), state_(std::make_shared<State>()) {
    timer_.expires_at(deadline);
    timer_.async_wait([state = state_, fn = std::move(on_expiry)](const boost::system::error_code& ec) {
      if (ec || state->done) return;
      state->expired = true;
      fn();
    });
  }
  ~DeadlineGuard() {
    state_->done = true;
    timer_.cancel();
  }
  DeadlineGuard(const DeadlineGuard&) = delete;
  DeadlineGuard& operator=(const DeadlineGuard&) = delete;

  bool expired() const { return state_->expired; }

 private:
  struct State {
    bool done = false;
    bool expired = false;
  };
  boost::asio::steady_timer& timer_;
  std::shared_ptr<State> state_;
};

}  // namespace facteur::net
