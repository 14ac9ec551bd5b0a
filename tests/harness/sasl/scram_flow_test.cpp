// SCRAM exchange ordering: client-first on an empty challenge, server errors, success without a
// server signature, challenges after the end, and the default nonce.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

constexpr std::string_view server_first =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

std::unique_ptr<Mechanism> client() {
  return make_mechanism("scram-sha-256", {.authcid = "user", .password = "pencil"},
                        [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
}

TEST(ScramFlow, EmptyChallengeGetsClientFirstOnce) {
  // RFC 4422 §5 2a: initial response not sent, so the server's first challenge is empty.
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  const StepResult first = scram->step("");
  EXPECT_TRUE(first.ok);
  EXPECT_EQ(first.response, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  const StepResult again = scram->step("");
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.error, "second empty challenge instead of server-first-message");
}

TEST(ScramFlow, EmptyChallengeAfterInitialResponseThenFullExchange) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  const auto initial = scram->initial_response();
  EXPECT_EQ(scram->step("").response, *initial);
  EXPECT_EQ(scram->step(server_first).response,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_EQ(scram->verify_success(server_final), "");
  EXPECT_TRUE(scram->server_verified());
}

TEST(ScramFlow, ServerErrorInServerFinal) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  const StepResult result = scram->step("e=invalid-proof");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.response, "");
  EXPECT_EQ(result.error, "server reported error: invalid-proof (RFC 5802 7 server-error)");
  EXPECT_EQ(scram->server_error(), "invalid-proof");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramFlow, ServerErrorWithSuccessData) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  EXPECT_EQ(scram->verify_success("e=other-error"), "server reported error: other-error (RFC 5802 7 server-error)");
  EXPECT_EQ(scram->server_error(), "other-error");
}

TEST(ScramFlow, ServerErrorInsteadOfServerFirst) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  const StepResult result = scram->step("e=unknown-user");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "server error instead of server-first-message: unknown-user");
  EXPECT_EQ(scram->server_error(), "unknown-user");
}

TEST(ScramFlow, SuccessWithoutServerFinalIsNotVerified) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  EXPECT_EQ(scram->verify_success(""),
            "success without a server-final-message: server not authenticated (RFC 5802 5)");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramFlow, SuccessBeforeTheExchangeCompleted) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  EXPECT_EQ(scram->verify_success(server_final), "success reported before the SCRAM exchange completed");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramFlow, ChallengeAfterServerFinalIsAnError) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  (void)scram->step(server_final);
  const StepResult extra = scram->step("x=1");
  EXPECT_FALSE(extra.ok);
  EXPECT_EQ(extra.error, "unexpected challenge after the server-final-message");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramFlow, FailureIsSticky) {
  auto scram = client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  EXPECT_FALSE(scram->step("r=zz,s=QQ==,i=1").ok);
  const StepResult later = scram->step(server_first);
  EXPECT_FALSE(later.ok);
  EXPECT_EQ(later.error, "server nonce does not start with the client nonce (RFC 5802 5.1)");
}

TEST(ScramFlow, DefaultNonceIsRandomPrintableWithoutComma) {
  const std::string a = default_nonce();
  const std::string b = default_nonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  for (const char c : a) {
    EXPECT_TRUE(c >= 0x21 && c <= 0x7E && c != ',') << static_cast<int>(c);
  }
  auto scram = make_mechanism("SCRAM-SHA-1", {.authcid = "user", .password = "pencil"});
  ASSERT_NE(scram, nullptr);
  const auto first = scram->initial_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->substr(0, 11), "n,,n=user,r");
  EXPECT_EQ(first->size(), std::string_view("n,,n=user,r=").size() + 32);
}

}  // namespace
}  // namespace facteur::sasl
