#include "tests/support/fake_sasl_server.hpp"

#include <atomic>

#include <fmt/format.h>

#include "harness/sasl/detail/crypto.hpp"
#include "harness/sasl/mechanism.hpp"

namespace facteur::test {
namespace {
namespace crypto = sasl::detail;
using Kind = SaslServerStep::Kind;

SaslServerStep challenge(std::string data) { return {Kind::challenge, std::move(data)}; }
SaslServerStep failure(std::string why) { return {Kind::failure, std::move(why)}; }
SaslServerStep success() { return {Kind::success, {}}; }

class Base : public SaslServer {
 public:
  explicit Base(SaslServerOptions options) : options_(std::move(options)) {}

 protected:
  // Plain-text password check, with the misbehaviour applied.
  bool check(const std::string& user, const std::string& password) {
    auto expected = options_.password_of(user);
    if (!expected) return false;
    if (!options_.accept_any_password && *expected != password) return false;
    user_ = user;
    return true;
  }
  SaslServerOptions options_;
};

// RFC 4616: [authzid] NUL authcid NUL passwd.
class Plain final : public Base {
 public:
  using Base::Base;
  SaslServerStep start(const std::optional<std::string>& initial) override {
    // RFC 4616 §2 / RFC 4422 §5: without an initial response the server sends an empty challenge.
    if (!initial) return challenge(options_.nonempty_plain_challenge ? "credentials, please" : "");
    return respond(*initial);
  }
  SaslServerStep respond(std::string_view response) override {
    const auto first = response.find('\0');
    const auto second = first == std::string_view::npos ? first : response.find('\0', first + 1);
    if (second == std::string_view::npos) return failure("malformed PLAIN response");
    const std::string authcid(response.substr(first + 1, second - first - 1));
    const std::string password(response.substr(second + 1));
    return check(authcid, password) ? success() : failure("authentication failure");
  }
};

// draft-murchison-sasl-login: "Username:" then "Password:".
class Login final : public Base {
 public:
  using Base::Base;
  SaslServerStep start(const std::optional<std::string>& initial) override {
    if (initial) return respond(*initial);
    return challenge("Username:");
  }
  SaslServerStep respond(std::string_view response) override {
    if (!have_user_) {
      have_user_ = true;
      login_ = std::string(response);
      return challenge("Password:");
    }
    return check(login_, std::string(response)) ? success() : failure("authentication failure");
  }

 private:
  bool have_user_ = false;
  std::string login_;
};

// RFC 2195: challenge "<unique@host>", response "user SP hex(HMAC-MD5(password, challenge))".
class CramMd5 final : public Base {
 public:
  using Base::Base;
  SaslServerStep start(const std::optional<std::string>& initial) override {
    if (initial && !initial->empty()) return failure("CRAM-MD5 has no initial response");
    static std::atomic<unsigned> counter{0};
    const unsigned n = ++counter;
    challenge_ = fmt::format("<{}.{}@{}>", n, 1700000000u + n, options_.hostname);
    return challenge(challenge_);
  }
  SaslServerStep respond(std::string_view response) override {
    const auto space = response.rfind(' ');
    if (space == std::string_view::npos) return failure("malformed CRAM-MD5 response");
    const std::string user(response.substr(0, space));
    const std::string digest(response.substr(space + 1));
    auto password = options_.password_of(user);
    if (!password) return failure("authentication failure");
    const std::string expected = crypto::hex_lower(crypto::hmac(crypto::Digest::md5, *password, challenge_));
    if (!options_.accept_any_password && expected != digest) return failure("authentication failure");
    user_ = user;
    return success();
  }

 private:
  std::string challenge_;
};

// RFC 5802 / RFC 7677 server: client-first → server-first → client-final → server-final (as a
// challenge, answered by an empty response) → success.
class Scram final : public Base {
 public:
  Scram(SaslServerOptions options, crypto::Digest digest) : Base(std::move(options)), digest_(digest) {}

  SaslServerStep start(const std::optional<std::string>& initial) override {
    if (!initial) return challenge("");
    return respond(*initial);
  }

  SaslServerStep respond(std::string_view response) override {
    switch (state_) {
      case State::first: return client_first(std::string(response));
      case State::final: return client_final(std::string(response));
      case State::done: return response.empty() ? success() : failure("unexpected data after server-final");
    }
    return failure("bad state");
  }

 private:
  enum class State { first, final, done };

  static std::optional<std::string> attribute(const std::string& message, char name) {
    const std::string key = std::string(1, name) + "=";
    std::size_t pos = 0;
    while (pos <= message.size()) {
      const auto comma = message.find(',', pos);
      const std::string part = message.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (part.rfind(key, 0) == 0) return part.substr(2);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    return std::nullopt;
  }

  static std::string unescape(std::string name) {
    for (auto [from, to] : {std::pair<const char*, const char*>{"=2C", ","}, {"=3D", "="}}) {
      for (auto at = name.find(from); at != std::string::npos; at = name.find(from, at + 1)) name.replace(at, 3, to);
    }
    return name;
  }

  SaslServerStep client_first(const std::string& message) {
    // gs2-header: "n,," or "n,a=authzid," (no channel binding).
    if (message.rfind("n,", 0) != 0 && message.rfind("y,", 0) != 0) return failure("channel binding not supported");
    const auto header_end = message.find(',', 2);
    if (header_end == std::string::npos) return failure("malformed client-first-message");
    gs2_header_ = message.substr(0, header_end + 1);
    first_bare_ = message.substr(header_end + 1);
    auto name = attribute(first_bare_, 'n');
    auto nonce = attribute(first_bare_, 'r');
    if (!name || !nonce || nonce->empty()) return failure("malformed client-first-message");
    login_ = unescape(*name);
    nonce_ = *nonce + "fakeServerNonce4711";
    server_first_ = "r=" + nonce_ + ",s=" + sasl::base64_encode(salt_) + ",i=" + std::to_string(kIterations);
    state_ = State::final;
    return challenge(server_first_);
  }

  SaslServerStep client_final(const std::string& message) {
    const auto proof_at = message.rfind(",p=");
    if (proof_at == std::string::npos) return failure("client-final-message without proof");
    const std::string without_proof = message.substr(0, proof_at);
    if (attribute(without_proof, 'r') != nonce_) return failure("nonce mismatch");
    if (attribute(without_proof, 'c') != sasl::base64_encode(gs2_header_)) return failure("channel binding mismatch");
    auto proof = sasl::base64_decode(message.substr(proof_at + 3));
    auto password = options_.password_of(login_);
    if (!password || !proof) return failure("authentication failure");
    const std::string auth_message = first_bare_ + "," + server_first_ + "," + without_proof;
    const std::string salted = crypto::pbkdf2(digest_, *password, salt_, kIterations);
    const std::string client_key = crypto::hmac(digest_, salted, "Client Key");
    const std::string stored_key = crypto::hash(digest_, client_key);
    const std::string signature = crypto::hmac(digest_, stored_key, auth_message);
    std::string recovered_key = *proof;
    if (recovered_key.size() != signature.size()) return failure("authentication failure");
    for (std::size_t i = 0; i < recovered_key.size(); ++i) {
      recovered_key[i] = static_cast<char>(recovered_key[i] ^ signature[i]);
    }
    if (!options_.accept_any_password && crypto::hash(digest_, recovered_key) != stored_key) {
      return failure("authentication failure");
    }
    std::string server_signature = crypto::hmac(digest_, crypto::hmac(digest_, salted, "Server Key"), auth_message);
    if (options_.bad_server_signature) server_signature[0] = static_cast<char>(server_signature[0] ^ 0x5a);
    user_ = login_;
    state_ = State::done;
    return challenge("v=" + sasl::base64_encode(server_signature));
  }

  static constexpr std::uint32_t kIterations = 4096;
  crypto::Digest digest_;
  State state_ = State::first;
  std::string salt_ = "facteur-fake-salt";
  std::string gs2_header_, first_bare_, login_, nonce_, server_first_;
};

}  // namespace

std::unique_ptr<SaslServer> make_sasl_server(std::string_view mechanism, SaslServerOptions options) {
  if (mechanism == "PLAIN") return std::make_unique<Plain>(std::move(options));
  if (mechanism == "LOGIN") return std::make_unique<Login>(std::move(options));
  if (mechanism == "CRAM-MD5") return std::make_unique<CramMd5>(std::move(options));
  if (mechanism == "SCRAM-SHA-1") return std::make_unique<Scram>(std::move(options), crypto::Digest::sha1);
  if (mechanism == "SCRAM-SHA-256") return std::make_unique<Scram>(std::move(options), crypto::Digest::sha256);
  return nullptr;
}

}  // namespace facteur::test
