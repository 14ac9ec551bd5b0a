// A step is read as a step of its session's protocol, so one scenario can drive several protocols
// (an HTTP form submission, then IMAP to find the mail it sent).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"
#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
namespace {
using ::testing::HasSubstr;

std::string scenario(const std::string& protocol, const std::string& sessions, const std::string& steps) {
  return R"({"facteur": 1, "id": "test/cross", "title": "t", "protocol": ")" + protocol + R"(",
    "spec": [{"rfc": "9051", "section": "6.2.3", "level": "MUST"}],)" +
         (sessions.empty() ? std::string() : "\"sessions\": " + sessions + ",") + "\n\"steps\": " + steps + "}";
}

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "cross.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SessionProtocols, UrlTemplatesNameTheirProtocol) {
  EXPECT_EQ(protocol_of_url_template("imaps://${host}:993"), Protocol::imap);
  EXPECT_EQ(protocol_of_url_template("${imap_url}"), Protocol::imap);
  EXPECT_EQ(protocol_of_url_template("${pop3s_url}/x"), Protocol::pop3);
  EXPECT_EQ(protocol_of_url_template("${smtp_url}"), Protocol::smtp);
  EXPECT_EQ(protocol_of_url_template("${form_url}"), std::nullopt);
  EXPECT_EQ(protocol_of_url_template("${imap_url"), std::nullopt);
  EXPECT_EQ(protocol_of_url_template("gopher://x"), std::nullopt);
  EXPECT_EQ(protocol_of_url_template(""), std::nullopt);
}

TEST(SessionProtocols, AStepOfAnotherProtocolIsReadForItsSession) {
  const Scenario s = parse_scenario(
      scenario("smtp", R"({"mail": "${imap_url}", "box": {"url": "${box_url}", "protocol": "pop3"}})",
               R"([{"connect": true}, {"ehlo": "x"},
                   {"session": "mail", "connect": true}, {"session": "mail", "login": true},
                   {"session": "mail", "imap": "SELECT INBOX"},
                   {"session": "box", "connect": true}, {"session": "box", "pop3": "STAT"}])"),
      "cross.json");
  ASSERT_EQ(s.steps.size(), 7u);
  EXPECT_EQ(s.steps[4].kind, StepKind::imap);
  EXPECT_EQ(s.steps[6].kind, StepKind::pop3);
  EXPECT_EQ(s.session_protocols.at("mail"), Protocol::imap);
  EXPECT_EQ(s.session_protocols.at("box"), Protocol::pop3);
  // login on the IMAP session takes IMAP's default credentials, not SMTP's.
  EXPECT_EQ(s.steps[3].user, default_user(Protocol::imap));
}

TEST(SessionProtocols, AConnectStepWithAUrlSetsItsSessionsProtocol) {
  const Scenario s = parse_scenario(
      scenario("smtp", "", R"([{"session": "m", "connect": "${pop3_url}"}, {"session": "m", "pop3": "NOOP"}])"),
      "cross.json");
  EXPECT_EQ(s.steps[1].kind, StepKind::pop3);
}

TEST(SessionProtocols, AStepForeignToItsSessionNamesTheSession) {
  const std::string e = error_of(
      scenario("smtp", R"({"mail": "${imap_url}"})", R"([{"session": "mail", "connect": true}, {"session": "mail", "ehlo": "x"}])"));
  EXPECT_THAT(e, HasSubstr("cross.json:"));
  EXPECT_THAT(e, HasSubstr("'ehlo' is not a step of imap sessions (session 'mail')"));
  // The main session keeps the scenario's protocol.
  EXPECT_THAT(error_of(scenario("smtp", R"({"mail": "${imap_url}"})", R"([{"connect": true}, {"imap": "NOOP"}])")),
              HasSubstr("'imap' is not a step of smtp scenarios"));
}

TEST(SessionProtocols, ABadSessionObjectIsNamedByPath) {
  EXPECT_THAT(error_of(scenario("smtp", R"({"m": {"url": "x", "protocol": "gopher"}})", R"([{"connect": true}])")),
              HasSubstr("$.sessions.m.protocol"));
  EXPECT_THAT(error_of(scenario("smtp", R"({"m": {"protocol": "imap"}})", R"([{"connect": true}])")),
              HasSubstr("url"));
  EXPECT_THAT(error_of(scenario("smtp", R"({"m": {"url": "x", "port": 1}})", R"([{"connect": true}])")),
              HasSubstr("port"));
}

}  // namespace
}  // namespace facteur::scenario
