// PLAIN (RFC 4616): exact message bytes with and without an authorisation identity.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

using namespace std::string_literals;

TEST(Plain, InitialResponseWithoutAuthzid) {
  auto plain = make_mechanism("PLAIN", {.authcid = "tim", .password = "tanstaaftanstaaf"});
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->name(), "PLAIN");
  EXPECT_EQ(plain->initial_response(), std::optional("\0tim\0tanstaaftanstaaf"s));
  EXPECT_TRUE(plain->server_verified());
  EXPECT_EQ(plain->verify_success(""), "");
}

TEST(Plain, InitialResponseWithAuthzid) {
  // RFC 4616 §4 example: authzid "Ursel", authcid "Kurt", password "xipj3plmq".
  auto plain = make_mechanism("PLAIN", {.authcid = "Kurt", .password = "xipj3plmq", .authzid = "Ursel"});
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->initial_response(), std::optional("Ursel\0Kurt\0xipj3plmq"s));
}

TEST(Plain, EmptyChallengeGetsTheSameMessageOnce) {
  // The dialect chose not to send the initial response; the server sent "334 " (RFC 4422 §5 2a).
  auto plain = make_mechanism("plain", {.authcid = "tim", .password = "secret"});
  ASSERT_NE(plain, nullptr);
  (void)plain->initial_response();
  const StepResult first = plain->step("");
  EXPECT_TRUE(first.ok);
  EXPECT_EQ(first.response, "\0tim\0secret"s);
  EXPECT_EQ(first.error, "");
  const StepResult second = plain->step("");
  EXPECT_FALSE(second.ok);
  EXPECT_EQ(second.response, "");
  EXPECT_EQ(second.error, "PLAIN has a single message; unexpected second challenge");
}

TEST(Plain, NonEmptyChallengeIsAnError) {
  auto plain = make_mechanism("PLAIN", {.authcid = "tim", .password = "secret"});
  ASSERT_NE(plain, nullptr);
  const StepResult result = plain->step("Password:");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.response, "");
  EXPECT_EQ(result.error, "PLAIN expects an empty challenge (RFC 4616 2)");
}

}  // namespace
}  // namespace facteur::sasl
