// CRAM-MD5 (RFC 2195): one challenge, answered with
// user SP lowercase-hex(HMAC-MD5(password, challenge)).
#include "harness/sasl/detail/factories.hpp"

namespace facteur::sasl::detail {
namespace {

class CramMd5 final : public Mechanism {
 public:
  explicit CramMd5(Credentials credentials) : credentials_(std::move(credentials)) {}
  ~CramMd5() override { wipe(credentials_); }
  CramMd5(const CramMd5&) = delete;
  CramMd5& operator=(const CramMd5&) = delete;

  std::string_view name() const override { return "CRAM-MD5"; }

  // RFC 2195 §2: the server speaks first with its challenge.
  std::optional<std::string> initial_response() override { return std::nullopt; }

  StepResult step(std::string_view challenge) override {
    if (answered_) return {false, {}, "CRAM-MD5 has a single challenge; unexpected second one"};
    if (challenge.empty()) return {false, {}, "CRAM-MD5 challenge is empty (RFC 2195 2)"};
    answered_ = true;
    // RFC 2195 §2: the digest is HMAC-MD5 keyed with the shared secret, in lowercase hex.
    std::string digest = hex_lower(hmac(Digest::md5, credentials_.password, challenge));
    return {true, credentials_.authcid + ' ' + digest, {}};
  }

 private:
  Credentials credentials_;
  bool answered_ = false;
};

}  // namespace

std::unique_ptr<Mechanism> make_cram_md5(Credentials credentials) {
  return std::make_unique<CramMd5>(std::move(credentials));
}

}  // namespace facteur::sasl::detail
