// The mechanism table: names, case-insensitive lookup, unknown names.
#include <gtest/gtest.h>

#include "harness/sasl/mechanism.hpp"

namespace facteur::sasl {
namespace {

TEST(Registry, ListsSupportedMechanisms) {
  EXPECT_EQ(supported_mechanisms(),
            (std::vector<std::string>{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256", "XOAUTH2"}));
}

TEST(Registry, EveryListedNameMakesThatMechanism) {
  for (const std::string& name : supported_mechanisms()) {
    auto mech = make_mechanism(name, {});
    ASSERT_NE(mech, nullptr) << name;
    EXPECT_EQ(mech->name(), name);
  }
}

TEST(Registry, NamesAreCaseInsensitive) {
  auto mech = make_mechanism("Scram-Sha-256", {});
  ASSERT_NE(mech, nullptr);
  EXPECT_EQ(mech->name(), "SCRAM-SHA-256");
  auto cram = make_mechanism("cram-md5", {});
  ASSERT_NE(cram, nullptr);
  EXPECT_EQ(cram->name(), "CRAM-MD5");
}

TEST(Registry, UnknownNamesGiveNull) {
  EXPECT_EQ(make_mechanism("GSSAPI", {}), nullptr);
  EXPECT_EQ(make_mechanism("SCRAM-SHA-256-PLUS", {}), nullptr);
  EXPECT_EQ(make_mechanism("SCRAM-SHA-25", {}), nullptr);
  EXPECT_EQ(make_mechanism("", {}), nullptr);
  EXPECT_EQ(make_mechanism("PLAIN ", {}), nullptr);
}

}  // namespace
}  // namespace facteur::sasl
