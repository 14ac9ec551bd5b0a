// split_command, parse_number and multiline_command (RFC 1939 §5/§7, RFC 2449 §5).
#include <gtest/gtest.h>

#include "harness/pop3/command.hpp"
#include "harness/pop3/response.hpp"

namespace facteur::pop3 {
namespace {

TEST(Command, SplitsKeywordAndArguments) {
  const Command c = split_command("top 3 10\r\n");
  EXPECT_EQ(c.keyword, "TOP");
  ASSERT_EQ(c.args.size(), 2u);
  EXPECT_EQ(c.args[0], "3");
  EXPECT_EQ(c.args[1], "10");
}

TEST(Command, SpacesAndEmptyLines) {
  EXPECT_TRUE(split_command("LIST ").args.empty());
  EXPECT_EQ(split_command("  UIDL   2 ").args.size(), 1u);
  EXPECT_EQ(split_command("").keyword, "");
  EXPECT_EQ(split_command("\r\n").keyword, "");
}

TEST(Command, ParseNumber) {
  EXPECT_EQ(parse_number("0"), 0u);
  EXPECT_EQ(parse_number("1203"), 1203u);
  EXPECT_EQ(parse_number("18446744073709551615"), 18446744073709551615u);
  EXPECT_FALSE(parse_number("18446744073709551616"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("-1"));
  EXPECT_FALSE(parse_number("+1"));
  EXPECT_FALSE(parse_number("1 "));
  EXPECT_FALSE(parse_number("0x1"));
}

TEST(MultilineCommand, Rfc1939AndRfc2449Defaults) {
  EXPECT_TRUE(multiline_command("RETR 1"));
  EXPECT_TRUE(multiline_command("retr 1\r\n"));
  EXPECT_TRUE(multiline_command("TOP 1 10"));
  EXPECT_TRUE(multiline_command("LIST"));
  EXPECT_TRUE(multiline_command("LIST\r\n"));
  EXPECT_TRUE(multiline_command("UIDL"));
  EXPECT_TRUE(multiline_command("CAPA"));
  EXPECT_FALSE(multiline_command("LIST 2"));
  EXPECT_FALSE(multiline_command("UIDL 2"));
  EXPECT_FALSE(multiline_command("STAT"));
  EXPECT_FALSE(multiline_command("USER alice"));
  EXPECT_FALSE(multiline_command("PASS x"));
  EXPECT_FALSE(multiline_command("DELE 1"));
  EXPECT_FALSE(multiline_command("NOOP"));
  EXPECT_FALSE(multiline_command("RSET"));
  EXPECT_FALSE(multiline_command("QUIT"));
  EXPECT_FALSE(multiline_command("STLS"));
  EXPECT_FALSE(multiline_command("APOP mrose c4c9334bac560ecc979e58001b3e22fb"));
  EXPECT_FALSE(multiline_command("AUTH PLAIN"));
  EXPECT_FALSE(multiline_command("AUTH"));
  EXPECT_FALSE(multiline_command("dGVzdAB0ZXN0AHRlc3Q="));  // a SASL client line
  EXPECT_FALSE(multiline_command(""));
}

}  // namespace
}  // namespace facteur::pop3
