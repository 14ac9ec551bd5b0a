// parse_enhanced_code (RFC 2034 §4, RFC 3463 §2): class "." subject "." detail, then SP or end.
#include <gtest/gtest.h>

#include "harness/smtp/reply.hpp"

namespace facteur::smtp {
namespace {

TEST(EnhancedCode, ParsesClassSubjectDetail) {
  EXPECT_EQ(parse_enhanced_code("2.0.0 Ok"), (EnhancedCode{2, 0, 0}));
  EXPECT_EQ(parse_enhanced_code("5.1.1 User unknown"), (EnhancedCode{5, 1, 1}));
  EXPECT_EQ(parse_enhanced_code("4.7.1 Greylisted"), (EnhancedCode{4, 7, 1}));
  EXPECT_EQ(parse_enhanced_code("5.7.999 x"), (EnhancedCode{5, 7, 999}));
  EXPECT_EQ(parse_enhanced_code("2.123.45 x"), (EnhancedCode{2, 123, 45}));
  EXPECT_EQ(parse_enhanced_code("5.01.001 leading zeros"), (EnhancedCode{5, 1, 1}));
}

TEST(EnhancedCode, MayBeTheWholeText) {
  EXPECT_EQ(parse_enhanced_code("2.0.0"), (EnhancedCode{2, 0, 0}));
  EXPECT_EQ(parse_enhanced_code("5.1.10"), (EnhancedCode{5, 1, 10}));
}

TEST(EnhancedCode, StrFormatsDotted) {
  EXPECT_EQ((EnhancedCode{5, 1, 1}).str(), "5.1.1");
  EXPECT_EQ((EnhancedCode{4, 123, 45}).str(), "4.123.45");
}

TEST(EnhancedCode, OnlyClassesTwoFourFive) {
  EXPECT_FALSE(parse_enhanced_code("3.0.0 go ahead"));  // RFC 2034 §4: 3xx have none
  EXPECT_FALSE(parse_enhanced_code("1.0.0 x"));
  EXPECT_FALSE(parse_enhanced_code("6.0.0 x"));
  EXPECT_FALSE(parse_enhanced_code("0.0.0 x"));
}

TEST(EnhancedCode, RejectsMalformed) {
  for (std::string_view text :
       {"", "2", "2.0", "2.0.", "2.0 Ok", "2..0 x", "2.0..0", "2.1000.0 x", "2.0.1000 x", "2.0.0x",
        "2.0.0.1 x", "2.0.0\tOk", "x2.0.0 x", " 2.0.0 x", "2.a.0 x", "2.0.b x", "20.0.0 x",
        "mail.lab.test", "250 2.0.0"}) {
    EXPECT_FALSE(parse_enhanced_code(text).has_value()) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace facteur::smtp
