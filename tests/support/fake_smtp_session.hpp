// One SMTP server session of the fake, sans I/O: bytes in, bytes out and what the driver must do
// next (keep reading, start TLS, close). The Asio driver is fake_smtp_server.cpp.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/smtp/dot_stuffing.hpp"
#include "tests/support/fake_sasl_server.hpp"
#include "tests/support/fake_smtp_config.hpp"

namespace facteur::test {

struct SessionOutput {
  std::string bytes;  // to write now, in this order
  enum class Next { read, start_tls, close } next = Next::read;
};

class FakeSmtpSession {
 public:
  // Called for every command line and SASL response the session receives (without CRLF).
  using CommandLog = std::function<void(const std::string& line, bool tls)>;

  FakeSmtpSession(const FakeSmtpConfig& config, bool tls, CommandLog log = {});
  ~FakeSmtpSession();
  FakeSmtpSession(const FakeSmtpSession&) = delete;
  FakeSmtpSession& operator=(const FakeSmtpSession&) = delete;

  SessionOutput start();                       // the greeting (or nothing, or close)
  SessionOutput receive(std::string_view bytes);
  SessionOutput tls_started();                 // the handshake after STARTTLS succeeded

 private:
  enum class Input { command, data, bdat, bdat_skip, auth };
  struct Recipient {
    std::string address;              // lower-case
    std::string notify;               // RFC 3461 NOTIFY value, upper-case ("" = not given)
    std::string orcpt;
  };
  struct Transaction {
    bool active = false;
    std::string from;
    std::string envid, ret;           // RFC 3461 MAIL parameters
    std::vector<Recipient> rcpts;
    bool bdat = false;                // BDAT used in this transaction
    std::string body;                 // BDAT chunks so far
  };

  SessionOutput take();
  void process();
  bool command_input();  // false when a complete line is not there yet
  void command(const std::string& line);
  bool apply_rule(const std::string& verb, const std::string& arg);
  void say(int code, std::string_view enhanced, std::string text);
  void say_lines(int code, const std::vector<std::string>& lines);
  void close_after_reply();

  // fake_smtp_session.cpp
  void greeting_reply();
  void ehlo(const std::string& arg, bool extended);
  void starttls(const std::string& arg);
  void quit();
  bool submission() const { return config_.mode != FakeSmtpMode::mta; }
  // fake_smtp_transaction.cpp
  void mail(const std::string& arg);
  void rcpt(const std::string& arg);
  void rcpt_command(const std::string& arg);
  void data(const std::string& arg);
  void bdat(const std::string& arg);
  void data_input();
  void bdat_input();
  void end_of_data();
  void end_of_bdat_chunk();
  void deliver(std::string content);
  void send_success_dsn(const std::vector<std::string>& delivered, const std::string& content);
  std::string trace_headers(const std::string& rcpt) const;
  void reset_transaction();
  std::string queue_id();
  // fake_smtp_auth.cpp
  void auth(const std::string& arg);
  void auth_response(const std::string& line);
  void sasl_step(const SaslServerStep& step);

  const FakeSmtpConfig& config_;
  const Misbehaviour& bad_;
  CommandLog log_;
  bool tls_;
  std::string in_;
  SessionOutput out_;
  bool stop_ = false;           // stop processing input (close, or STARTTLS pending)
  bool tls_pending_ = false;
  bool refused_ = false;        // greeted with 554: only QUIT is served (RFC 5321 §3.1)
  bool discarding_line_ = false;  // the rest of an overlong command line is being skipped
  bool mail_broken_ = false;      // misbehaviour rset_breaks_mail has struck
  Input input_ = Input::command;
  std::string verb_, arg_;      // the command being answered
  // Session state.
  bool greeted_ = false, extended_ = false;
  std::string helo_name_;
  bool authenticated_ = false;
  int auth_failures_ = 0;
  std::string auth_user_;
  std::unique_ptr<SaslServer> sasl_;
  Transaction tx_;
  smtp::DotUnstuffer unstuffer_;
  std::string data_raw_, data_clean_;
  std::size_t data_column_ = 0;
  std::size_t bdat_remaining_ = 0;
  std::size_t bdat_chunk_ = 0;
  bool bdat_last_ = false;
  unsigned messages_ = 0;
};

std::string upper(std::string_view text);
std::string lower(std::string_view text);

}  // namespace facteur::test
