// LOGIN (draft-murchison-sasl-login-00): no initial response; the server prompts "Username:" then
// "Password:" and the client answers each. Prompts are matched case-insensitively; a server using
// other prompt text is answered by position (first → user name, second → password).
#include <algorithm>
#include <cctype>

#include "harness/sasl/detail/factories.hpp"

namespace facteur::sasl::detail {
namespace {

enum class Prompt { username, password, other };

Prompt classify(std::string_view prompt) {
  // Tolerate surrounding blanks and a missing trailing colon ("Username", "USERNAME: ").
  while (!prompt.empty() && std::isspace(static_cast<unsigned char>(prompt.front()))) prompt.remove_prefix(1);
  while (!prompt.empty() && std::isspace(static_cast<unsigned char>(prompt.back()))) prompt.remove_suffix(1);
  if (!prompt.empty() && prompt.back() == ':') prompt.remove_suffix(1);
  auto is = [&](std::string_view word) {
    return std::equal(prompt.begin(), prompt.end(), word.begin(), word.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == b;
    });
  };
  if (is("username") || is("user name")) return Prompt::username;
  if (is("password")) return Prompt::password;
  return Prompt::other;
}

class Login final : public Mechanism {
 public:
  explicit Login(Credentials credentials) : credentials_(std::move(credentials)) {}
  ~Login() override { wipe(credentials_); }
  Login(const Login&) = delete;
  Login& operator=(const Login&) = delete;

  std::string_view name() const override { return "LOGIN"; }

  std::optional<std::string> initial_response() override { return std::nullopt; }

  StepResult step(std::string_view challenge) override {
    if (challenges_ >= 2) return {false, {}, "LOGIN has two prompts; unexpected third challenge"};
    const bool first = challenges_ == 0;
    ++challenges_;
    switch (classify(challenge)) {
      case Prompt::username: return {true, credentials_.authcid, {}};
      case Prompt::password: return {true, credentials_.password, {}};
      case Prompt::other: break;
    }
    return {true, first ? credentials_.authcid : credentials_.password, {}};
  }

 private:
  Credentials credentials_;
  int challenges_ = 0;
};

}  // namespace

std::unique_ptr<Mechanism> make_login(Credentials credentials) {
  return std::make_unique<Login>(std::move(credentials));
}

}  // namespace facteur::sasl::detail
