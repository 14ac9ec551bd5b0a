// CRAM-MD5: the RFC 2195 §2 example, byte for byte.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

TEST(CramMd5, Rfc2195Example) {
  auto mech = make_mechanism("CRAM-MD5", {.authcid = "tim", .password = "tanstaaftanstaaf"});
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->name(), "CRAM-MD5");
  EXPECT_EQ(mech->initial_response(), std::nullopt);
  // The challenge as sent on the wire, decoded the way a dialect would.
  const auto challenge = base64_decode("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  ASSERT_EQ(challenge, std::optional<std::string>("<1896.697170952@postoffice.reston.mci.net>"));
  const StepResult result = mech->step(*challenge);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.response, "tim b913a602c7eda7a495b4e6e7334d3890");
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(base64_encode(result.response), "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

TEST(CramMd5, SecondChallengeIsAnError) {
  auto mech = make_mechanism("cram-md5", {.authcid = "tim", .password = "tanstaaftanstaaf"});
  ASSERT_NE(mech, nullptr);
  (void)mech->step("<1896.697170952@postoffice.reston.mci.net>");
  const StepResult again = mech->step("<1896.697170952@postoffice.reston.mci.net>");
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.error, "CRAM-MD5 has a single challenge; unexpected second one");
}

TEST(CramMd5, EmptyChallengeIsAnError) {
  auto mech = make_mechanism("CRAM-MD5", {.authcid = "tim", .password = "tanstaaftanstaaf"});
  ASSERT_NE(mech, nullptr);
  const StepResult result = mech->step("");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.response, "");
  EXPECT_EQ(result.error, "CRAM-MD5 challenge is empty (RFC 2195 2)");
}

}  // namespace
}  // namespace facteur::sasl
