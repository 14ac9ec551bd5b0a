// SCRAM-SHA-1: the RFC 5802 §5 exchange byte for byte, with the client nonce injected.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

constexpr std::string_view server_first =
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
constexpr std::string_view client_final =
    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
constexpr std::string_view server_final = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

std::unique_ptr<Mechanism> rfc5802_client() {
  return make_mechanism("SCRAM-SHA-1", {.authcid = "user", .password = "pencil"},
                        [] { return std::string("fyko+d2lbbFgONRv9qkxdawL"); });
}

TEST(ScramSha1, Rfc5802ClientFirst) {
  auto scram = rfc5802_client();
  ASSERT_NE(scram, nullptr);
  EXPECT_EQ(scram->name(), "SCRAM-SHA-1");
  EXPECT_EQ(scram->initial_response(), std::optional<std::string>("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramSha1, Rfc5802ClientFinalAndServerSignatureWithSuccess) {
  auto scram = rfc5802_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  const StepResult final_message = scram->step(server_first);
  EXPECT_TRUE(final_message.ok);
  EXPECT_EQ(final_message.response, client_final);
  EXPECT_EQ(final_message.error, "");
  EXPECT_FALSE(scram->server_verified());
  EXPECT_EQ(scram->verify_success(server_final), "");
  EXPECT_TRUE(scram->server_verified());
}

TEST(ScramSha1, Rfc5802ServerFinalAsChallenge) {
  auto scram = rfc5802_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  const StepResult last = scram->step(server_final);
  EXPECT_TRUE(last.ok);
  EXPECT_EQ(last.response, "");
  EXPECT_TRUE(scram->server_verified());
  EXPECT_EQ(scram->verify_success(""), "");  // success reply without additional data
  EXPECT_TRUE(scram->server_verified());
}

TEST(ScramSha1, TamperedServerSignatureFails) {
  auto scram = rfc5802_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  (void)scram->step(server_first);
  // Last base64 digit before the padding changed: same length, different signature.
  EXPECT_EQ(scram->verify_success("v=rmF9pqV8S7suAoZWja4dJRkFsKA="),
            "server signature does not match: the server does not know the password (RFC 5802 5)");
  EXPECT_FALSE(scram->server_verified());
}

TEST(ScramSha1, ServerNonceNotExtendingClientNonceFails) {
  auto scram = rfc5802_client();
  ASSERT_NE(scram, nullptr);
  (void)scram->initial_response();
  const StepResult result =
      scram->step("r=fyko+d2lbbFgONRv9qkxdawM3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.response, "");
  EXPECT_EQ(result.error, "server nonce does not start with the client nonce (RFC 5802 5.1)");
  EXPECT_FALSE(scram->server_verified());
}

}  // namespace
}  // namespace facteur::sasl
