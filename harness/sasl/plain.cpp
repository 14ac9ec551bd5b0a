// PLAIN (RFC 4616): one message, authzid NUL authcid NUL passwd, sent as the initial response or
// in answer to the server's empty challenge.
#include "harness/sasl/detail/factories.hpp"

namespace facteur::sasl::detail {
namespace {

class Plain final : public Mechanism {
 public:
  explicit Plain(Credentials credentials) : credentials_(std::move(credentials)) {}
  ~Plain() override { wipe(credentials_); }
  Plain(const Plain&) = delete;
  Plain& operator=(const Plain&) = delete;

  std::string_view name() const override { return "PLAIN"; }

  std::optional<std::string> initial_response() override { return message(); }

  StepResult step(std::string_view challenge) override {
    // RFC 4422 §5 (2a): a client-first mechanism whose initial response was not sent gets one
    // empty challenge. PLAIN has no other challenge (RFC 4616 §2).
    if (!challenge.empty()) return {false, {}, "PLAIN expects an empty challenge (RFC 4616 2)"};
    if (answered_) return {false, {}, "PLAIN has a single message; unexpected second challenge"};
    answered_ = true;
    return {true, message(), {}};
  }

 private:
  // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
  std::string message() const {
    std::string out;
    out.reserve(credentials_.authzid.size() + credentials_.authcid.size() +
                credentials_.password.size() + 2);
    out += credentials_.authzid;
    out += '\0';
    out += credentials_.authcid;
    out += '\0';
    out += credentials_.password;
    return out;
  }

  Credentials credentials_;
  bool answered_ = false;
};

}  // namespace

std::unique_ptr<Mechanism> make_plain(Credentials credentials) {
  return std::make_unique<Plain>(std::move(credentials));
}

}  // namespace facteur::sasl::detail
