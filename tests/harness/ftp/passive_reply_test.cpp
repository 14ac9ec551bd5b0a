// PASV (227) and EPSV (229) replies in the forms servers send, and every malformed one with its
// message (RFC 959 §4.1.2, RFC 1123 §4.1.2.6, RFC 2428 §3).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include <fmt/format.h>

#include "harness/ftp/data_address.hpp"
#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

using test::reply_of;

Endpoint pasv_ok(std::string_view text) {
  const Parsed<Endpoint> p = parse_pasv_text(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.error;
  EXPECT_EQ(p.value.family, Family::ipv4);
  return p.value;
}

std::string pasv_error(std::string_view text) {
  const Parsed<Endpoint> p = parse_pasv_text(text);
  EXPECT_FALSE(p.ok()) << text;
  return p.error;
}

TEST(Pasv, FormsServersSend) {
  const Endpoint expected{Family::ipv4, "127.0.0.1", 39 * 256 + 16};
  for (std::string_view text : {
           "Entering Passive Mode (127,0,0,1,39,16)",    // vsftpd, RFC 959 page 40
           "Entering Passive Mode (127,0,0,1,39,16).",   // ProFTPD
           "Entering Passive Mode 127,0,0,1,39,16",      // RFC 959 figure 3: no parentheses
           "=127,0,0,1,39,16",                           // the "=" form
           "Entering Passive Mode (127,0,0,1,39,16) and some more text 1,2,3,4,5,6",
           "Entering Passive Mode v2 (127,0,0,1,39,16)",  // a number before that is not a host-port
           "1,000 clients; (127,0,0,1,39,16)",
           "(127,000,000,001,039,016)",                   // leading zeros are still numbers
           "127,0,0,1,39,16",
       }) {
    EXPECT_EQ(pasv_ok(text), expected) << text;
  }
}

TEST(Pasv, FromAReply) {
  const Parsed<Endpoint> p = parse_pasv(reply_of("227 Entering Passive Mode (192,0,2,10,195,80).\r\n"));
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.value.address, "192.0.2.10");
  EXPECT_EQ(p.value.port, 50000);
  EXPECT_EQ(parse_pasv(reply_of("500 PASV not understood\r\n")).error, "PASV answered 500, not 227");
  EXPECT_EQ(parse_pasv(reply_of("227-Entering\r\n Passive Mode (10,0,0,1,0,21)\r\n227 ok\r\n")).value.port, 21);
}

TEST(Pasv, RangesAndPort) {
  EXPECT_EQ(pasv_ok("(255,255,255,255,255,255)"), (Endpoint{Family::ipv4, "255.255.255.255", 65535}));
  EXPECT_EQ(pasv_ok("(0,0,0,0,0,1)"), (Endpoint{Family::ipv4, "0.0.0.0", 1}));
  EXPECT_EQ(pasv_error("Entering Passive Mode (127,0,0,256,39,16)"),
            "227 reply: address part \"256\" is not a number in 0..255");
  EXPECT_EQ(pasv_error("(127,0,0,1,300,16)"), "227 reply: port part \"300\" is not a number in 0..255");
  EXPECT_EQ(pasv_error("(127,0,0,1,0039,16)"), "227 reply: port part \"0039\" is not a number in 0..255");
  EXPECT_EQ(pasv_error("(127,0,0,1,0,0)"), "227 reply: port 0 (p1 and p2 both 0)");
  EXPECT_EQ(pasv_error("(99999999999999999999,0,0,1,1,1)"),
            "227 reply: address part \"99999999999999999999\" is not a number in 0..255");
}

TEST(Pasv, NoHostPort) {
  EXPECT_EQ(pasv_error("Entering Passive Mode"), "227 reply \"Entering Passive Mode\" holds no h1,h2,h3,h4,p1,p2");
  for (std::string_view text : {"", "(127,0,0,1,39)", "(127,0,0,1,39,16,7)", "(127.0.0.1,39,16)", "(127,0,0,1,39,)",
                                "(127, 0, 0, 1, 39, 16)", "(127,0,0,1,39;16)"}) {
    EXPECT_NE(pasv_error(text).find("holds no h1,h2,h3,h4,p1,p2"), std::string::npos) << text;
  }
}

TEST(Pasv, SameHost) {
  const Endpoint e{Family::ipv4, "192.0.2.1", 2000};
  EXPECT_TRUE(same_host(e, "192.0.2.1"));
  EXPECT_TRUE(same_host(e, "::ffff:192.0.2.1"));
  EXPECT_TRUE(same_host(e, "::FFFF:192.0.2.1"));
  EXPECT_FALSE(same_host(e, "192.0.2.10"));
  EXPECT_FALSE(same_host(Endpoint{Family::ipv4, "0.0.0.0", 2000}, "192.0.2.1"));  // a NAT-confused server
  EXPECT_FALSE(same_host(e, "::ffff:"));
}

std::uint16_t epsv_ok(std::string_view text) {
  const Parsed<std::uint16_t> p = parse_epsv_text(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.error;
  return p.value;
}

std::string epsv_error(std::string_view text) {
  const Parsed<std::uint16_t> p = parse_epsv_text(text);
  EXPECT_FALSE(p.ok()) << text;
  return p.error;
}

TEST(Epsv, FormsServersSend) {
  EXPECT_EQ(epsv_ok("Entering Extended Passive Mode (|||6446|)"), 6446);  // RFC 2428 §3
  EXPECT_EQ(epsv_ok("Entering Extended Passive Mode (|||6446|)."), 6446);
  EXPECT_EQ(epsv_ok("(!!!1!)"), 1);
  EXPECT_EQ(epsv_ok("(|||65535|)"), 65535);
  EXPECT_EQ(epsv_ok("(|||06446|)"), 6446);
  // Any character 33..126 delimits, even one that could be read otherwise.
  EXPECT_EQ(epsv_ok("()))6446))"), 6446);
  EXPECT_EQ(epsv_ok("((((6446()"), 6446);
  EXPECT_EQ(epsv_ok("(99964469)"), 6446);
  EXPECT_EQ(epsv_ok("(11164111)"), 6411);
  // A parenthesis before the field that does not open one.
  EXPECT_EQ(epsv_ok("Entering (extended) passive mode (|||6446|)"), 6446);
}

TEST(Epsv, FromAReply) {
  EXPECT_EQ(parse_epsv(reply_of("229 Entering Extended Passive Mode (|||50000|)\r\n")).value, 50000);
  EXPECT_EQ(parse_epsv(reply_of("227 Entering Passive Mode (1,2,3,4,5,6)\r\n")).error, "EPSV answered 227, not 229");
}

TEST(Epsv, Malformed) {
  constexpr std::string_view not_empty =
      "does not start with three delimiters (the network protocol and address fields must be empty)";
  const std::pair<std::string_view, std::string> cases[] = {
      {"Entering Extended Passive Mode",
       "229 reply \"Entering Extended Passive Mode\" holds no (<d><d><d><port><d>)"},
      {"(", "229 reply: nothing after \"(\""},
      {"( ||6446|)", "229 reply: delimiter \" \" is not a character in 33..126"},
      {"(|1|::1|6446|)", fmt::format("229 reply: \"(|1\" {}", not_empty)},
      {"(||!6446|)", fmt::format("229 reply: \"(||!\" {}", not_empty)},
      {"(|||6446)", "229 reply: \"(|||6446)\" is not (<d><d><d><port><d>)"},
      {"(|||6446|", "229 reply: \"(|||6446|\" is not (<d><d><d><port><d>)"},
      {"(|||6446!)", "229 reply: \"(|||6446!\" is not (<d><d><d><port><d>)"},
      {"(|||6446|x", "229 reply: \"(|||6446|x\" is not (<d><d><d><port><d>)"},
      {"(|||64a46|)", "229 reply: \"(|||64a\" is not (<d><d><d><port><d>)"},
      {"(||||)", "229 reply: port \"\" is not a number in 1..65535"},
      {"(|||0|)", "229 reply: port \"0\" is not a number in 1..65535"},
      {"(|||65536|)", "229 reply: port \"65536\" is not a number in 1..65535"},
      {"(|||123456|)", "229 reply: port \"123456\" is not a number in 1..65535"},
      // With several parentheses and none well formed, the first one's error.
      {"(a) (|||x|)", fmt::format("229 reply: \"(a)\" {}", not_empty)},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(epsv_error(text), message) << text;
}

}  // namespace
}  // namespace facteur::ftp
