// LOGIN: answers by prompt text (case-insensitive), falls back to order, refuses a third prompt.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

std::unique_ptr<Mechanism> login() {
  return make_mechanism("LOGIN", {.authcid = "alice", .password = "s3cret"});
}

TEST(Login, HasNoInitialResponse) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->name(), "LOGIN");
  EXPECT_EQ(mech->initial_response(), std::nullopt);
}

TEST(Login, AnswersStandardPrompts) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  const StepResult user = mech->step("Username:");
  EXPECT_TRUE(user.ok);
  EXPECT_EQ(user.response, "alice");
  const StepResult pass = mech->step("Password:");
  EXPECT_TRUE(pass.ok);
  EXPECT_EQ(pass.response, "s3cret");
  EXPECT_EQ(pass.error, "");
}

TEST(Login, MatchesPromptsCaseInsensitively) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->step("USERNAME:").response, "alice");
  EXPECT_EQ(mech->step("password").response, "s3cret");
}

TEST(Login, AnswersByTextEvenOutOfOrder) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->step("Password:").response, "s3cret");
  EXPECT_EQ(mech->step("Username:").response, "alice");
}

TEST(Login, AcceptsUserNameWithSpaceAndBlanks) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->step(" User Name: ").response, "alice");
}

TEST(Login, FallsBackToOrderForOtherPrompts) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  const StepResult first = mech->step("Who are you?");
  EXPECT_TRUE(first.ok);
  EXPECT_EQ(first.response, "alice");
  const StepResult second = mech->step("");
  EXPECT_TRUE(second.ok);
  EXPECT_EQ(second.response, "s3cret");
}

TEST(Login, ThirdChallengeIsAnError) {
  auto mech = login();
  ASSERT_NE(mech, nullptr);
  (void)mech->step("Username:");
  (void)mech->step("Password:");
  const StepResult third = mech->step("Password:");
  EXPECT_FALSE(third.ok);
  EXPECT_EQ(third.response, "");
  EXPECT_EQ(third.error, "LOGIN has two prompts; unexpected third challenge");
}

}  // namespace
}  // namespace facteur::sasl
