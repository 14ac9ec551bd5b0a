// The server side of the SASL mechanisms the lab offers (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1,
// SCRAM-SHA-256), for the fake SMTP server. Pure: decoded client responses in, raw challenges out.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace facteur::test {

struct SaslServerStep {
  enum class Kind { challenge, success, failure } kind = Kind::failure;
  std::string data;  // challenge: raw bytes to send (base64-encoded by the caller); failure: why
};

struct SaslServerOptions {
  // The password of a user ("alice" or "alice@lab.test"), or nullopt for an unknown user.
  std::function<std::optional<std::string>(const std::string& user)> password_of;
  std::string hostname = "mail.lab.test";
  bool accept_any_password = false;    // misbehaviour: known users get in with any password
  bool bad_server_signature = false;   // misbehaviour: SCRAM server-final with a wrong "v="
  bool nonempty_plain_challenge = false;  // misbehaviour: PLAIN asks with a non-empty challenge
};

class SaslServer {
 public:
  virtual ~SaslServer() = default;
  // `initial` is the decoded initial response of the AUTH command, if one was given.
  virtual SaslServerStep start(const std::optional<std::string>& initial) = 0;
  virtual SaslServerStep respond(std::string_view response) = 0;
  const std::string& user() const { return user_; }

 protected:
  std::string user_;  // set on success
};

// nullptr for a mechanism this server does not implement.
std::unique_ptr<SaslServer> make_sasl_server(std::string_view mechanism, SaslServerOptions options);

}  // namespace facteur::test
