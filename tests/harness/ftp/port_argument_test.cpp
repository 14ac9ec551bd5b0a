// PORT and EPRT arguments: the builder and the parser on RFC 959 §4.1.2 and RFC 2428 §2 forms,
// every malformed one with its message, and parse(format(e)) == e over many endpoints.
#include <gtest/gtest.h>

#include <string>

#include "harness/ftp/data_address.hpp"

namespace facteur::ftp {
namespace {

const Endpoint v4{Family::ipv4, "132.235.1.2", 6275};
const Endpoint v6{Family::ipv6, "1080::8:800:200C:417A", 5282};

TEST(PortArgument, Builds) {
  EXPECT_EQ(format_port_argument(v4).value, "132,235,1,2,24,131");
  EXPECT_EQ(format_port_argument(Endpoint{Family::ipv4, "0.0.0.0", 1}).value, "0,0,0,0,0,1");
  EXPECT_EQ(format_port_argument(Endpoint{Family::ipv4, "255.255.255.255", 65535}).value, "255,255,255,255,255,255");
}

TEST(PortArgument, BuilderRefuses) {
  EXPECT_EQ(format_port_argument(v6).error, "PORT takes an IPv4 address in dotted decimal, not \"1080::8:800:200C:417A\"");
  for (std::string_view address : {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.4 ", "-0.1.2.3", "a.b.c.d",
                                   "1..2.3"}) {
    EXPECT_FALSE(format_port_argument(Endpoint{Family::ipv4, std::string(address), 21}).ok()) << address;
  }
  EXPECT_EQ(format_port_argument(Endpoint{Family::ipv4, "1.2.3.4", 0}).error, "PORT: port 0");
}

TEST(PortArgument, Parses) {
  EXPECT_EQ(parse_port_argument("132,235,1,2,24,131").value, v4);
  EXPECT_EQ(parse_port_argument("132,235,001,002,024,131").value, v4);
}

TEST(PortArgument, ParserRefuses) {
  EXPECT_EQ(parse_port_argument("132,235,1,2,24").error, "PORT argument \"132,235,1,2,24\" is not h1,h2,h3,h4,p1,p2");
  for (std::string_view arg : {"", "132,235,1,2,24,131,7", "132,235,1,2,24,131 ", " 132,235,1,2,24,131",
                               "(132,235,1,2,24,131)", "132.235.1.2,24,131", "132,235,1,2,24,", "132,,235,1,2,24,131"}) {
    EXPECT_NE(parse_port_argument(arg).error.find("is not h1,h2,h3,h4,p1,p2"), std::string::npos) << arg;
  }
  EXPECT_EQ(parse_port_argument("132,235,1,2,0,0").error, "PORT argument: port 0 (p1 and p2 both 0)");
  EXPECT_EQ(parse_port_argument("132,256,1,2,0,1").error,
            "PORT argument: address part \"256\" is not a number in 0..255");
}

TEST(EprtArgument, BuildsRfc2428Examples) {
  EXPECT_EQ(format_eprt_argument(v4).value, "|1|132.235.1.2|6275|");
  EXPECT_EQ(format_eprt_argument(v6).value, "|2|1080::8:800:200C:417A|5282|");
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv6, "::1", 6275}).value, "|2|::1|6275|");
  EXPECT_EQ(format_eprt_argument(v4, '!').value, "!1!132.235.1.2!6275!");
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv6, "::ffff:192.0.2.1", 21}, '|').value,
            "|2|::ffff:192.0.2.1|21|");
}

TEST(EprtArgument, BuilderRefuses) {
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv4, "::1", 21}).error,
            "EPRT: \"::1\" is not an IPv4 address in dotted decimal");
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv6, "1.2.3.4", 21}).error,
            "EPRT: \"1.2.3.4\" is not an IPv6 address");
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv6, "fe80::1%eth0", 21}).error,
            "EPRT: \"fe80::1%eth0\" is not an IPv6 address");
  EXPECT_EQ(format_eprt_argument(Endpoint{static_cast<Family>(3), "1.2.3.4", 21}).error,
            "EPRT: address family 3 is neither 1 (IPv4) nor 2 (IPv6)");
  EXPECT_EQ(format_eprt_argument(Endpoint{Family::ipv4, "1.2.3.4", 0}).error, "EPRT: port 0");
  // The delimiter must be 33..126 and not in a field (RFC 2428 §2).
  EXPECT_EQ(format_eprt_argument(v4, ' ').error, "EPRT: delimiter \" \" is not a character in 33..126 absent from the fields");
  EXPECT_FALSE(format_eprt_argument(v4, '\x7f').ok());
  EXPECT_FALSE(format_eprt_argument(v4, '.').ok());
  EXPECT_FALSE(format_eprt_argument(v6, ':').ok());
  EXPECT_FALSE(format_eprt_argument(v4, '5').ok());  // in the port
  EXPECT_TRUE(format_eprt_argument(v4, '9').ok());   // a digit no field holds
}

TEST(EprtArgument, Parses) {
  EXPECT_EQ(parse_eprt_argument("|1|132.235.1.2|6275|").value, v4);
  EXPECT_EQ(parse_eprt_argument("|2|1080::8:800:200C:417A|5282|").value, v6);
  EXPECT_EQ(parse_eprt_argument("91913.235.1.2962759").value, (Endpoint{Family::ipv4, "13.235.1.2", 6275}));
  EXPECT_EQ(parse_eprt_argument("|1|132.235.1.2|06275|").value, v4);
}

TEST(EprtArgument, ParserRefuses) {
  const auto error = [](std::string_view arg) { return parse_eprt_argument(arg).error; };
  EXPECT_EQ(error("|1|132.235.1.2|6275"),
            "EPRT argument \"|1|132.235.1.2|6275\" is not <d><net-prt><d><net-addr><d><tcp-port><d>");
  for (std::string_view arg : {"", "|", "||", "|||", "|1|132.235.1.2|6275||", "|1|132.235.1.2||6275|",
                               " 1 132.235.1.2 6275 ", "|1|132.235.1.2|6275|\r\n", "1|132.235.1.2|6275|"}) {
    EXPECT_NE(error(arg).find("is not <d><net-prt><d><net-addr><d><tcp-port><d>"), std::string::npos) << arg;
  }
  EXPECT_EQ(error("|3|132.235.1.2|6275|"), "EPRT argument: network protocol \"3\" is neither 1 (IPv4) nor 2 (IPv6)");
  EXPECT_EQ(error("||132.235.1.2|6275|"), "EPRT argument: network protocol \"\" is neither 1 (IPv4) nor 2 (IPv6)");
  EXPECT_EQ(error("|1|::1|6275|"), "EPRT argument: \"::1\" is not an IPv4 address in dotted decimal");
  EXPECT_EQ(error("|2|132.235.1.2|6275|"), "EPRT argument: \"132.235.1.2\" is not an IPv6 address");
  EXPECT_EQ(error("|2|1:2:3:4:5:6:7:8:9|6275|"), "EPRT argument: \"1:2:3:4:5:6:7:8:9\" is not an IPv6 address");
  EXPECT_EQ(error("|1|132.235.1.2|0|"), "EPRT argument: port \"0\" is not a number in 1..65535");
  EXPECT_EQ(error("|1|132.235.1.2|65536|"), "EPRT argument: port \"65536\" is not a number in 1..65535");
  EXPECT_EQ(error("|1|132.235.1.2||"), "EPRT argument: port \"\" is not a number in 1..65535");
  EXPECT_EQ(error("|1|132.235.1.2|+21|"), "EPRT argument: port \"+21\" is not a number in 1..65535");
}

// parse(format(e)) == e with every delimiter the builder takes.
void expect_eprt_round_trips(const Endpoint& e) {
  for (char d = 33; d < 127; ++d) {
    const Parsed<std::string> eprt = format_eprt_argument(e, d);
    if (eprt.ok()) {
      EXPECT_EQ(parse_eprt_argument(eprt.value).value, e) << eprt.value;
    }
  }
}

// parse(format(e)) == e for endpoints over the whole ranges.
TEST(DataArgumentRoundTrip, PortAndEprt) {
  std::uint32_t x = 12345;
  const auto next = [&x] { return x = x * 1103515245u + 12345u; };
  for (int i = 0; i < 2000; ++i) {
    const std::uint32_t host = next();
    const auto port = static_cast<std::uint16_t>(1 + next() % 65535);
    const Endpoint e{Family::ipv4,
                     std::to_string(host >> 24) + "." + std::to_string((host >> 16) & 0xff) + "." +
                         std::to_string((host >> 8) & 0xff) + "." + std::to_string(host & 0xff),
                     port};
    const Parsed<std::string> port_arg = format_port_argument(e);
    ASSERT_TRUE(port_arg.ok()) << port_arg.error;
    EXPECT_EQ(parse_port_argument(port_arg.value).value, e);
    expect_eprt_round_trips(e);
  }
  for (std::string_view address : {"::", "::1", "1080::8:800:200C:417A", "fe80::1", "2001:db8::ff00:42:8329",
                                   "::ffff:192.0.2.128", "1:2:3:4:5:6:7:8"}) {
    expect_eprt_round_trips(Endpoint{Family::ipv6, std::string(address), 6275});
  }
}

}  // namespace
}  // namespace facteur::ftp
