// A small SMTP server for tests: correct by default (modelled on the lab's Postfix), with the
// misbehaviours of fake_smtp_config.hpp switched on one by one by negative tests. It listens on
// 127.0.0.1:<ephemeral>, serves every connection on its own thread and io_context, delivers into
// temporary Maildirs, and stops in its destructor.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_smtp_config.hpp"

namespace facteur::test {

class TempMaildirs;

class FakeSmtpServer {
 public:
  // When config.maildirs is empty the server makes its own temporary Maildirs, one per user.
  explicit FakeSmtpServer(FakeSmtpConfig config);
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:N" or "smtps://…" for implicit TLS
  const FakeSmtpConfig& config() const { return config_; }
  std::string maildir(const std::string& user) const;  // "" when unknown

  // What the clients sent: every command line and SASL response, in order.
  struct Received {
    int connection = 0;  // 1, 2, … in accept order
    bool tls = false;
    std::string line;
  };
  std::vector<Received> received() const;
  int connections() const;

 private:
  struct Impl;
  FakeSmtpConfig config_;
  std::unique_ptr<TempMaildirs> own_maildirs_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  int connections_ = 0;
  std::uint16_t port_ = 0;
  std::unique_ptr<Impl> impl_;  // last: its io_context (and every session) goes first
  std::thread thread_;
};

}  // namespace facteur::test
