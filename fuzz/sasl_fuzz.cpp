// Fuzzes the SASL client against hostile servers: the input is a SCRAM server-first (both
// hashes), a SCRAM server-final, a LOGIN / CRAM-MD5 / PLAIN / XOAUTH2 challenge, and base64 text.
// Invariants are checked with __builtin_trap() so libFuzzer and the corpus replay both stop.
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/sasl/detail/scram_messages.hpp"
#include "harness/sasl/mechanism.hpp"

namespace {

using namespace facteur::sasl;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Full exchanges only up to this count: PBKDF2 at the 10,000,000 cap takes seconds per input.
constexpr std::uint32_t fuzz_max_iterations = 4096;

Credentials user() { return {.authcid = "user", .password = "pencil"}; }

// RFC 5802 §5 / RFC 7677 §3 client nonces, so the seed server-firsts are accepted.
void fuzz_server_first(std::string_view name, std::string_view client_nonce, std::string_view input) {
  const auto parsed = facteur::sasl::detail::parse_server_first(input, client_nonce);
  check(parsed.value.has_value() != !parsed.error.empty());
  if (parsed.value && parsed.value->iterations > fuzz_max_iterations) return;

  auto scram = make_mechanism(name, user(), [client_nonce] { return std::string(client_nonce); });
  check(scram != nullptr);
  check(scram->initial_response() == "n,,n=user,r=" + std::string(client_nonce));
  const StepResult result = scram->step(input);
  if (input.empty()) {
    check(result.ok);  // an empty challenge asks for the client-first again
    return;
  }
  check(result.ok == parsed.value.has_value());
  check(result.ok == result.error.empty());
  check(!scram->server_verified());
  if (!result.ok) return;
  // RFC 5802 §7: client-final = c=biws,r=<server nonce>,p=<proof>
  const std::string prefix = "c=biws,r=" + parsed.value->nonce + ",p=";
  check(result.response.compare(0, prefix.size(), prefix) == 0);
  check(base64_decode(std::string_view(result.response).substr(prefix.size())).has_value());
  // Hostile server-final after a hostile server-first: nothing random may verify.
  check(scram->verify_success(input).empty() == scram->server_verified());
}

// The input as server-final after a genuine exchange. i=1 keeps it cheap; the matching signature
// was computed independently (Python hashlib) and is also a seed.
constexpr std::string_view genuine_server_first = "r=rOprNGfwEbeRWgbNEkqOfuzz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1";
constexpr std::string_view genuine_server_final = "v=4CDjHVb1HuDc/nr2purogRIQiuyKut2QoWQMfFhQmNg=";

void fuzz_server_final(std::string_view input) {
  auto scram = make_mechanism("SCRAM-SHA-256", user(), [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
  (void)scram->initial_response();
  check(scram->step(genuine_server_first).ok);
  const StepResult result = scram->step(input);
  check(result.ok == scram->server_verified());
  check(result.ok == result.error.empty());
  if (result.ok) {
    check(result.response.empty());
    // Only the real signature (optionally followed by extensions) verifies.
    check(input.substr(0, genuine_server_final.size()) == genuine_server_final);
  }
}

void fuzz_challenges(std::string_view input) {
  auto login = make_mechanism("LOGIN", user());
  const StepResult first = login->step(input);
  check(first.ok && (first.response == "user" || first.response == "pencil"));

  auto cram = make_mechanism("CRAM-MD5", user());
  const StepResult digest = cram->step(input);
  check(digest.ok == !input.empty());
  check(!digest.ok || digest.response.size() == std::string_view("user ").size() + 32);

  auto plain = make_mechanism("PLAIN", user());
  check(plain->step(input).ok == input.empty());

  auto xoauth2 = make_mechanism("XOAUTH2", {.authcid = "user", .token = "t"});
  (void)xoauth2->initial_response();
  const StepResult answer = xoauth2->step(input);
  check(answer.ok);
  check(input.empty() || (answer.response.empty() && xoauth2->server_error() == input));
}

void fuzz_base64(std::string_view input) {
  check(base64_decode(base64_encode(input)) == std::string(input));
  // Strict decoding: whatever decodes has exactly one (canonical) encoding.
  if (const auto decoded = base64_decode(input)) check(base64_encode(*decoded) == input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz_server_first("SCRAM-SHA-256", "rOprNGfwEbeRWgbNEkqO", input);
  fuzz_server_first("SCRAM-SHA-1", "fyko+d2lbbFgONRv9qkxdawL", input);
  fuzz_server_final(input);
  fuzz_challenges(input);
  fuzz_base64(input);
  return 0;
}
