// XOAUTH2 (Google's bearer-token mechanism, predecessor of RFC 7628 OAUTHBEARER):
// "user=" authcid ^A "auth=Bearer " token ^A ^A. A failing server sends a JSON error as a
// challenge; the client must answer it with an empty response, after which the server fails the
// exchange (same rule as RFC 7628 §3.2.3). The JSON is kept as server_error().
#include "harness/sasl/detail/factories.hpp"

namespace facteur::sasl::detail {
namespace {

class XOAuth2 final : public Mechanism {
 public:
  explicit XOAuth2(Credentials credentials) : credentials_(std::move(credentials)) {}
  ~XOAuth2() override { wipe(credentials_); }
  XOAuth2(const XOAuth2&) = delete;
  XOAuth2& operator=(const XOAuth2&) = delete;

  std::string_view name() const override { return "XOAUTH2"; }

  std::optional<std::string> initial_response() override { return message(); }

  StepResult step(std::string_view challenge) override {
    if (challenge.empty()) {
      // RFC 4422 §5 (2a): the initial response was not sent; the server asks for it.
      if (sent_in_step_ || !server_error_.empty()) return {false, {}, "unexpected empty XOAUTH2 challenge"};
      sent_in_step_ = true;
      return {true, message(), {}};
    }
    if (!server_error_.empty()) return {false, {}, "XOAUTH2 server sent a second error challenge"};
    server_error_ = std::string(challenge);
    return {true, {}, {}};  // the empty response the protocol requires after an error
  }

  std::string_view server_error() const override { return server_error_; }

 private:
  std::string message() const {
    return "user=" + credentials_.authcid + "\x01" "auth=Bearer " + credentials_.token + "\x01\x01";
  }

  Credentials credentials_;
  bool sent_in_step_ = false;
  std::string server_error_;
};

}  // namespace

std::unique_ptr<Mechanism> make_xoauth2(Credentials credentials) {
  return std::make_unique<XOAuth2>(std::move(credentials));
}

}  // namespace facteur::sasl::detail
