// parse_capa (RFC 2449 §5-6) on real and made-up CAPA answers.
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/capa.hpp"
#include "harness/pop3/response.hpp"

namespace facteur::pop3 {
namespace {

Response capa(std::string_view wire) {
  const ParseResult r = parse_response(wire, true);
  EXPECT_EQ(r.status, ParseStatus::complete) << r.error;
  return r.response;
}

TEST(Capa, Dovecot) {
  const auto caps = parse_capa(capa(
      "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\n"
      "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\r\n.\r\n"));
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->tags.size(), 9u);
  EXPECT_TRUE(caps->has("STLS"));
  EXPECT_TRUE(caps->has("stls"));
  EXPECT_TRUE(caps->has("Resp-Codes"));
  EXPECT_FALSE(caps->has("EXPIRE"));
  EXPECT_EQ(caps->sasl_mechanisms(),
            (std::vector<std::string>{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}));
  EXPECT_FALSE(caps->implementation().has_value());
  EXPECT_FALSE(caps->expire().has_value());
  EXPECT_FALSE(caps->login_delay().has_value());
}

TEST(Capa, Rfc2449Example) {
  const auto caps = parse_capa(capa(
      "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\n"
      "LOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n"));
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->sasl_mechanisms(), (std::vector<std::string>{"CRAM-MD5", "KERBEROS_V4"}));
  EXPECT_EQ(caps->implementation(), "Shlemazle-Plotz-v302");
  EXPECT_EQ(caps->expire(), (Expire{false, 60, false}));
  EXPECT_EQ(caps->login_delay(), (LoginDelay{900, false}));
  ASSERT_NE(caps->params("login-delay"), nullptr);
  EXPECT_EQ(*caps->params("LOGIN-DELAY"), (std::vector<std::string>{"900"}));
  EXPECT_EQ(caps->params("APOP"), nullptr);
}

TEST(Capa, ExpireAndLoginDelayForms) {
  const auto caps = parse_capa_lines({"expire never", "Login-Delay 30 USER", "IMPLEMENTATION Foo POP3 v2"});
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->expire(), (Expire{true, 0, false}));
  EXPECT_EQ(caps->login_delay(), (LoginDelay{30, true}));
  EXPECT_EQ(caps->implementation(), "Foo POP3 v2");
  EXPECT_EQ(parse_capa_lines({"EXPIRE 5 USER"})->expire(), (Expire{false, 5, true}));
  EXPECT_EQ(parse_capa_lines({"EXPIRE 0"})->expire(), (Expire{false, 0, false}));
}

TEST(Capa, MalformedArgumentsGiveNullopt) {
  EXPECT_FALSE(parse_capa_lines({"EXPIRE"})->expire().has_value());
  EXPECT_FALSE(parse_capa_lines({"EXPIRE soon"})->expire().has_value());
  EXPECT_FALSE(parse_capa_lines({"EXPIRE 5 ALL"})->expire().has_value());
  EXPECT_FALSE(parse_capa_lines({"LOGIN-DELAY NEVER"})->login_delay().has_value());
  EXPECT_FALSE(parse_capa_lines({"LOGIN-DELAY 1 USER x"})->login_delay().has_value());
}

TEST(Capa, RepeatedTags) {
  const auto caps = parse_capa_lines({"SASL PLAIN", "TOP", "sasl login plain", "TOP X"});
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->sasl_mechanisms(), (std::vector<std::string>{"PLAIN", "LOGIN"}));
  EXPECT_TRUE(caps->params("TOP")->empty());  // the first line wins
}

TEST(Capa, EmptyListIsFine) {
  const auto caps = parse_capa(capa("+OK\r\n.\r\n"));
  ASSERT_TRUE(caps.has_value());
  EXPECT_TRUE(caps->tags.empty());
  EXPECT_TRUE(caps->sasl_mechanisms().empty());
}

TEST(Capa, Errors) {
  std::string error;
  EXPECT_FALSE(parse_capa(capa("-ERR unknown command\r\n"), &error));
  EXPECT_EQ(error, "CAPA answer is not a multi-line +OK");
  EXPECT_FALSE(parse_capa(parse_response("+OK\r\n", false).response, &error));
  EXPECT_FALSE(parse_capa_lines({"TOP", ""}, &error));
  EXPECT_EQ(error, "CAPA line 2 \"\": empty tag or parameter (stray space)");
  EXPECT_FALSE(parse_capa_lines({"SASL  PLAIN"}, &error));
  EXPECT_EQ(error, "CAPA line 1 \"SASL  PLAIN\": empty tag or parameter (stray space)");
  EXPECT_FALSE(parse_capa_lines({"UIDL "}, &error));
  EXPECT_FALSE(parse_capa_lines({"X.Y"}, &error));  // cchar excludes "."
  EXPECT_EQ(error, "CAPA line 1 \"X.Y\": tag \"X.Y\" has a character outside printable ASCII without '.'");
  EXPECT_FALSE(parse_capa_lines({"SASL PL\tAIN"}, &error));
  EXPECT_FALSE(parse_capa_lines({"SASL PL\xc3\xa9"}, &error));
  EXPECT_TRUE(parse_capa_lines({"SASL a.b"}, &error));  // a parameter may hold dots
}

TEST(Capa, NotAllLinesKept) {
  Limits limits;
  limits.keep_lines = 1;
  const ParseResult r = parse_response("+OK\r\nTOP\r\nUIDL\r\n.\r\n", true, limits);
  std::string error;
  EXPECT_FALSE(parse_capa(r.response, &error));
  EXPECT_EQ(error, "CAPA answer has 2 lines, only 1 were kept");
}

}  // namespace
}  // namespace facteur::pop3
