// SCRAM-SHA-256: the RFC 7677 §3 exchange byte for byte, plus an authzid/escaping case whose
// expected values were computed independently with Python's hashlib/hmac.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

constexpr std::string_view server_first =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view client_final =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

std::unique_ptr<Mechanism> rfc7677_client() {
  return make_mechanism("SCRAM-SHA-256", {.authcid = "user", .password = "pencil"},
                        [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
}

TEST(ScramSha256, Rfc7677ClientFirst) {
  auto scram = rfc7677_client();
  ASSERT_NE(scram, nullptr);
  EXPECT_EQ(scram->name(), "SCRAM-SHA-256");
  EXPECT_EQ(scram->initial_response(), std::optional<std::string>("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
}

TEST(ScramSha256, Rfc7677ClientFinalAndServerSignature) {
  auto scram = rfc7677_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  const StepResult final_message = scram->step(server_first);
  EXPECT_TRUE(final_message.ok);
  EXPECT_EQ(final_message.response, client_final);
  EXPECT_EQ(scram->verify_success(server_final), "");
  EXPECT_TRUE(scram->server_verified());
}

TEST(ScramSha256, Rfc7677ServerFinalAsChallenge) {
  auto scram = rfc7677_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  const StepResult last = scram->step(server_final);
  EXPECT_TRUE(last.ok);
  EXPECT_EQ(last.response, "");
  EXPECT_EQ(last.error, "");
  EXPECT_TRUE(scram->server_verified());
}

TEST(ScramSha256, TamperedServerSignatureFailsAsChallenge) {
  auto scram = rfc7677_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  const StepResult last = scram->step("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G8=");
  EXPECT_FALSE(last.ok);
  EXPECT_EQ(last.response, "");
  EXPECT_EQ(last.error, "server signature does not match: the server does not know the password (RFC 5802 5)");
  EXPECT_FALSE(scram->server_verified());
  // The failure sticks: a later success reply cannot turn it around.
  EXPECT_EQ(scram->verify_success(server_final),
            "server signature does not match: the server does not know the password (RFC 5802 5)");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramSha256, ServerNonceNotExtendingClientNonceFails) {
  auto scram = rfc7677_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  const StepResult result =
      scram->step("r=XOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "server nonce does not start with the client nonce (RFC 5802 5.1)");
}

TEST(ScramSha256, AuthzidAndEscapedNames) {
  // authcid "us=er,x" → "us=3Der=2Cx", authzid "adm,in" → "a=adm=2Cin" (RFC 5802 §5.1);
  // the server adds an optional extension "x=ext", which takes part in AuthMessage.
  auto scram = make_mechanism("SCRAM-SHA-256",
                              {.authcid = "us=er,x", .password = "pencil", .authzid = "adm,in"},
                              [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
  ASSERT_NE(scram, nullptr);
  EXPECT_EQ(scram->initial_response(),
            std::optional<std::string>("n,a=adm=2Cin,n=us=3Der=2Cx,r=rOprNGfwEbeRWgbNEkqO"));
  const StepResult final_message =
      scram->step("r=rOprNGfwEbeRWgbNEkqOsrv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=ext");
  EXPECT_TRUE(final_message.ok);
  EXPECT_EQ(final_message.response,
            "c=bixhPWFkbT0yQ2luLA==,r=rOprNGfwEbeRWgbNEkqOsrv,"
            "p=dtb0oeunaKWqg1A9oWsBO9ysjMwsB5IPHLXMyaoO1EI=");
  EXPECT_EQ(scram->verify_success("v=LGhIikl7MLsdQSU1JO3pNPyDqzLDca1lEd+oQfMWUoI="), "");
  EXPECT_TRUE(scram->server_verified());
}

}  // namespace
}  // namespace facteur::sasl
