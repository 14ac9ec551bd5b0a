// SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) clients without channel binding.
// Exchange: client-first → server-first → client-final (with proof) → server-final "v=", which
// arrives either as a last challenge (answered with an empty response) or as additional data with
// the success reply (verify_success). SASLprep (RFC 4013) is not applied: credentials are used as
// the UTF-8 bytes given, which is exact for ASCII.
#include "harness/sasl/detail/factories.hpp"
#include "harness/sasl/detail/scram_messages.hpp"

namespace facteur::sasl::detail {
namespace {

class Scram final : public Mechanism {
 public:
  Scram(std::string_view name, Digest digest, Credentials credentials, NonceSource nonce)
      : name_(name), digest_(digest), credentials_(std::move(credentials)), nonce_(std::move(nonce)) {}
  ~Scram() override {
    wipe(credentials_);
    cleanse(expected_signature_);
  }
  Scram(const Scram&) = delete;
  Scram& operator=(const Scram&) = delete;

  std::string_view name() const override { return name_; }

  std::optional<std::string> initial_response() override {
    prepare_client_first();
    return client_first_;
  }

  StepResult step(std::string_view challenge) override {
    switch (state_) {
      case State::start:
      case State::awaiting_server_first:
        prepare_client_first();
        // RFC 4422 §5 (2a): the initial response was not sent, so the server asks with an empty
        // challenge; send client-first now (once).
        if (challenge.empty()) {
          if (resent_first_) return fail("second empty challenge instead of server-first-message");
          resent_first_ = true;
          return {true, client_first_, {}};
        }
        return answer_server_first(challenge);
      case State::awaiting_server_final: {
        // Server-final sent as a challenge: verify it, then answer with an empty response.
        std::string error = check_server_final(challenge);
        if (!error.empty()) return fail(std::move(error));
        return {true, {}, {}};
      }
      case State::verified: return fail("unexpected challenge after the server-final-message");
      case State::failed: break;
    }
    return {false, {}, error_};
  }

  std::string verify_success(std::string_view server_final) override {
    switch (state_) {
      case State::awaiting_server_final:
        if (server_final.empty()) {
          // RFC 5802 §5: the client MUST authenticate the server from ServerSignature.
          return fail("success without a server-final-message: server not authenticated (RFC 5802 5)").error;
        }
        break;
      case State::verified:
        if (server_final.empty()) return {};  // "v=" already came as a challenge
        break;  // repeated: must match again
      case State::failed: return error_;
      case State::start:
      case State::awaiting_server_first:
        return fail("success reported before the SCRAM exchange completed").error;
    }
    return check_server_final(server_final);
  }

  bool server_verified() const override { return state_ == State::verified; }

  std::string_view server_error() const override { return server_error_; }

 private:
  enum class State { start, awaiting_server_first, awaiting_server_final, verified, failed };

  StepResult fail(std::string error) {
    state_ = State::failed;
    error_ = std::move(error);
    return {false, {}, error_};
  }

  // RFC 5802 §7: client-first-message = gs2-header client-first-message-bare.
  void prepare_client_first() {
    if (state_ != State::start) return;
    client_nonce_ = nonce_ ? nonce_() : default_nonce();
    // "n" = no channel binding; "a=" only when an authorisation identity is asked for.
    gs2_header_ = "n,";
    if (!credentials_.authzid.empty()) gs2_header_ += "a=" + saslname_escape(credentials_.authzid);
    gs2_header_ += ',';
    client_first_bare_ = "n=" + saslname_escape(credentials_.authcid) + ",r=" + client_nonce_;
    client_first_ = gs2_header_ + client_first_bare_;
    state_ = State::awaiting_server_first;
  }

  // RFC 5802 §3: SaltedPassword, ClientKey, StoredKey, AuthMessage, ClientProof, ServerSignature.
  StepResult answer_server_first(std::string_view server_first) {
    auto parsed = parse_server_first(server_first, client_nonce_);
    if (!parsed.value) {
      if (server_first.substr(0, 2) == "e=") server_error_ = std::string(server_first.substr(2));
      return fail(std::move(parsed.error));
    }
    const ServerFirst& first = *parsed.value;

    std::string without_proof = "c=" + base64_encode(gs2_header_) + ",r=" + first.nonce;
    const std::string auth_message =
        client_first_bare_ + ',' + std::string(server_first) + ',' + without_proof;

    std::string salted = pbkdf2(digest_, credentials_.password, first.salt, first.iterations);
    std::string client_key = hmac(digest_, salted, "Client Key");
    std::string stored_key = hash(digest_, client_key);
    std::string signature = hmac(digest_, stored_key, auth_message);
    std::string server_key = hmac(digest_, salted, "Server Key");
    expected_signature_ = hmac(digest_, server_key, auth_message);

    std::string proof = client_key;
    for (std::size_t k = 0; k < proof.size(); ++k) proof[k] = static_cast<char>(proof[k] ^ signature[k]);

    std::string response = std::move(without_proof) + ",p=" + base64_encode(proof);
    for (std::string* secret : {&salted, &client_key, &stored_key, &signature, &server_key, &proof}) {
      cleanse(*secret);
    }
    state_ = State::awaiting_server_final;
    return {true, std::move(response), {}};
  }

  // Returns an error text, or empty once the server signature matched.
  std::string check_server_final(std::string_view message) {
    auto parsed = parse_server_final(message);
    if (!parsed.value) return fail(std::move(parsed.error)).error;
    if (!parsed.value->error.empty()) {
      server_error_ = parsed.value->error;
      return fail("server reported error: " + server_error_ + " (RFC 5802 7 server-error)").error;
    }
    // RFC 5802 §5: if the signatures differ the client MUST consider the exchange unsuccessful.
    if (!equal_constant_time(parsed.value->verifier, expected_signature_)) {
      return fail("server signature does not match: the server does not know the password "
                  "(RFC 5802 5)").error;
    }
    state_ = State::verified;
    return {};
  }

  std::string name_;
  Digest digest_;
  Credentials credentials_;
  NonceSource nonce_;
  State state_ = State::start;
  bool resent_first_ = false;
  std::string client_nonce_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string client_first_;
  std::string expected_signature_;
  std::string server_error_;
  std::string error_;
};

}  // namespace

std::unique_ptr<Mechanism> make_scram(std::string_view name, Digest digest, Credentials credentials,
                                      NonceSource nonce) {
  return std::make_unique<Scram>(name, digest, std::move(credentials), std::move(nonce));
}

}  // namespace facteur::sasl::detail
