// XOAUTH2: exact initial-response bytes, the empty answer to an error challenge.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

using namespace std::string_literals;

std::unique_ptr<Mechanism> xoauth2() {
  return make_mechanism("XOAUTH2", {.authcid = "someuser@example.com", .token = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"});
}

TEST(XOAuth2, InitialResponseBytes) {
  auto mech = xoauth2();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->name(), "XOAUTH2");
  EXPECT_EQ(mech->initial_response(),
            std::optional("user=someuser@example.com\x01" "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"s));
  EXPECT_EQ(mech->server_error(), "");
}

TEST(XOAuth2, InitialResponseBase64MatchesGoogleExample) {
  // The example message of Google's XOAUTH2 protocol page; encoding cross-checked with Python.
  auto mech = xoauth2();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(base64_encode(*mech->initial_response()),
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
}

TEST(XOAuth2, ErrorChallengeIsAnsweredEmptyAndKept) {
  auto mech = xoauth2();
  ASSERT_NE(mech, nullptr);
  (void)mech->initial_response();
  const std::string json = R"({"status":"401","schemes":"bearer","scope":"https://mail.google.com/"})";
  const StepResult result = mech->step(json);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.response, "");
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(mech->server_error(), json);
  const StepResult again = mech->step(json);
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.error, "XOAUTH2 server sent a second error challenge");
}

TEST(XOAuth2, EmptyChallengeGetsTheMessage) {
  auto mech = xoauth2();
  ASSERT_NE(mech, nullptr);
  (void)mech->initial_response();
  const StepResult result = mech->step("");
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.response,
            "user=someuser@example.com\x01" "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"s);
  EXPECT_FALSE(mech->step("").ok);
}

}  // namespace
}  // namespace facteur::sasl
