// What a scripted server saw, read by the test after the case (the server runs on its own thread).
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace facteur::testing {

class ServerLog {
 public:
  void add(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace facteur::testing
