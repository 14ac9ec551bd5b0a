// AUTH (RFC 4954): the command's checks, the SASL exchange (fake_sasl_server.hpp) and its replies.
#include "harness/sasl/mechanism.hpp"
#include "tests/support/fake_smtp_session.hpp"

namespace facteur::test {

void FakeSmtpSession::auth(const std::string& arg) {
  if (!greeted_) return say(503, "5.5.1", "Error: send HELO/EHLO first");
  if (submission() && !tls_) return say(530, "5.7.0", "Must issue a STARTTLS command first");
  if (!tls_ && !bad_.auth_before_tls) return say(503, "5.5.1", "Error: authentication not enabled");
  // RFC 4954 §4: AUTH is not permitted once authenticated, nor during a mail transaction.
  if (authenticated_ && !bad_.auth_twice) return say(503, "5.5.1", "Error: already authenticated");
  if (tx_.active && !bad_.auth_in_transaction) return say(503, "5.5.1", "Error: MAIL transaction in progress");
  if (arg.empty()) return say(501, "5.5.4", "Syntax: AUTH mechanism");
  const auto space = arg.find(' ');
  const std::string mechanism = upper(arg.substr(0, space));
  bool offered = false;
  for (const auto& ext : config_.extensions) {
    if (upper(ext.substr(0, 5)) != "AUTH ") continue;
    const std::string list = " " + upper(ext.substr(5)) + " ";
    offered = offered || list.find(" " + mechanism + " ") != std::string::npos;
  }
  SaslServerOptions options;
  options.password_of = [this](const std::string& user) -> std::optional<std::string> {
    std::string address = lower(user);
    if (address.find('@') == std::string::npos) address += "@" + config_.domain;  // Dovecot's %Ln
    const auto it = config_.passwords.find(address);
    if (it == config_.passwords.end()) return std::nullopt;
    return it->second;
  };
  options.hostname = config_.hostname;
  options.accept_any_password = bad_.auth_any_password;
  options.bad_server_signature = bad_.scram_bad_server_signature;
  options.nonempty_plain_challenge = bad_.plain_nonempty_challenge;
  sasl_ = offered ? make_sasl_server(mechanism, std::move(options)) : nullptr;
  // RFC 4954 §4: an unsupported mechanism is rejected with 504.
  if (!sasl_) return say(504, "5.5.4", "Unrecognized authentication type");
  std::optional<std::string> initial;
  if (space != std::string::npos) {
    const std::string encoded = arg.substr(space + 1);
    if (encoded == "=") {
      initial = std::string();  // RFC 4954 §4: "=" is an empty initial response
    } else {
      initial = sasl::base64_decode(encoded);
      if (!initial) {
        sasl_.reset();
        if (bad_.auth_bad_base64_accepted) return say(535, "5.7.8", "Error: authentication failed");
        return say(501, "5.5.2", "Invalid base64 data in initial response");
      }
    }
  }
  sasl_step(sasl_->start(initial));
}

void FakeSmtpSession::auth_response(const std::string& line) {
  if (log_) log_(line, tls_);
  verb_ = "AUTH-END";
  arg_.clear();
  input_ = Input::command;
  if (line == "*" && !bad_.auth_cancel_ignored) {
    sasl_.reset();
    return say(501, "5.7.0", "Authentication aborted");  // RFC 4954 §4
  }
  auto decoded = sasl::base64_decode(line);
  if (!decoded) {
    sasl_.reset();
    if (bad_.auth_bad_base64_accepted || line == "*") return say(535, "5.7.8", "Error: authentication failed");
    return say(501, "5.5.2", "Invalid base64 data in continued response");
  }
  sasl_step(sasl_->respond(*decoded));
}

void FakeSmtpSession::sasl_step(const SaslServerStep& step) {
  switch (step.kind) {
    case SaslServerStep::Kind::challenge:
      // 334 carries only the base64 challenge (no enhanced code); "334 " for an empty one.
      out_.bytes += "334 " + sasl::base64_encode(step.data) + (bad_.bare_lf_replies ? "\n" : "\r\n");
      input_ = Input::auth;
      return;
    case SaslServerStep::Kind::success:
      authenticated_ = true;
      auth_user_ = sasl_->user();
      sasl_.reset();
      verb_ = "AUTH-END";
      return say(235, "2.7.0", "Authentication successful");
    case SaslServerStep::Kind::failure:
      sasl_.reset();
      verb_ = "AUTH-END";
      say(535, "5.7.8", "Error: authentication failed: " + step.data);
      // RFC 4954 §4: a server may drop the connection after repeated failures (SHOULD NOT soon).
      if (++auth_failures_ == bad_.close_after_auth_failures) close_after_reply();
      return;
  }
}

}  // namespace facteur::test
