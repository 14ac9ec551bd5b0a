// The engine's own checks, proven able to fail against the fake SMTP server: reply framing,
// deadlines, STARTTLS that must never fall back to plain text, servers that vanish. Each test has
// its positive control (the same scenario passes against the well-behaved fake) where it makes sense.
// Also the fake's misbehaviour switches that no shipped scenario exercises yet.
#include <chrono>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/net/tls_options.hpp"
#include "tests/support/fake_smtp_lab.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::test {
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using report::Outcome;

// Runs an inline scenario against the lab's MTA port, without probing (nothing is skipped).
report::CaseResult run(FakeSmtpLab& lab, const std::string& json, std::chrono::milliseconds reply_timeout = 1500ms) {
  return facteur::testing::run_case_sync(facteur::testing::inline_scenario(json), lab.settings(reply_timeout));
}

FakeSmtpConfig with(void (*set)(Misbehaviour&)) {
  FakeSmtpConfig c;
  set(c.misbehaviour);
  return c;
}

const char* kEhlo = R"({
  "facteur": 1, "id": "test/negative/ehlo", "title": "greeting, EHLO, NOOP", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": "client.facteur.test"}, {"send": "NOOP", "expect": 250}, {"quit": true}]
})";

TEST(NegativeEngine, WellBehavedFakePassesTheBasicExchange) {
  FakeSmtpLab lab;
  const auto r = run(lab, kEhlo);
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
}

// --- reply framing ---------------------------------------------------------------------------------

TEST(NegativeEngine, MultilineReplyWhoseCodeChangesIsMalformed) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.multiline_code_changes = true; }));
  const auto r = run(lab, kEhlo);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("malformed reply"));
  EXPECT_EQ(r.expected, "a well-formed reply");
  EXPECT_THAT(r.actual, HasSubstr("251-"));  // the offending line is shown
}

TEST(NegativeEngine, MultilineReplyWhoseLastLineHasADashNeverEnds) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.multiline_last_dash = true; }));
  const auto r = run(lab, kEhlo, 800ms);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("no reply within 800 ms"));
}

TEST(NegativeEngine, BareLfRepliesAreMalformed) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.bare_lf_replies = true; }));
  const auto r = run(lab, kEhlo);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("malformed reply"));
  EXPECT_FALSE(r.actual.empty());
}

// --- deadlines -------------------------------------------------------------------------------------

TEST(NegativeEngine, ReplyTimeoutIsHonouredWithin300Ms) {
  FakeSmtpConfig config;
  ReplyRule never;
  never.verb = "NOOP";
  never.action = ReplyRule::Action::silent;
  config.misbehaviour.rules.push_back(never);
  FakeSmtpLab lab(config);
  const auto reply_timeout = 1000ms;
  const auto r = run(lab, kEhlo, reply_timeout);
  ASSERT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("no reply within 1000 ms"));
  EXPECT_EQ(r.expected, "a reply");
  EXPECT_EQ(r.actual, "nothing");
  // From the NOOP leaving to the timeout note, by the transcript's own clock.
  double sent = -1, gave_up = -1;
  for (const auto& line : r.transcript) {
    if (line.dir == '>' && line.text == "NOOP") sent = line.t_ms;
    if (line.dir == '*' && line.text.find("timeout") != std::string::npos) gave_up = line.t_ms;
  }
  ASSERT_GE(sent, 0) << text_of(r);
  ASSERT_GE(gave_up, 0) << text_of(r);
  EXPECT_NEAR(gave_up - sent, 1000.0, 300.0);
}

// --- STARTTLS: never fall back to plain text -------------------------------------------------------

const char* kStartTlsThenMail = R"({
  "facteur": 1, "id": "test/negative/starttls", "title": "STARTTLS required, then a transaction",
  "protocol": "smtp", "spec": [{"rfc": "3207", "section": "4", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": "client.facteur.test"}, {"starttls": true},
            {"ehlo": "client.facteur.test"}, {"mail": "sender@example.test"}, {"quit": true}]
})";

TEST(NegativeEngine, StartTlsRequiredAndAcceptedRunsTheRestInsideTls) {
  FakeSmtpLab lab;
  const auto r = run(lab, kStartTlsThenMail);
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  bool mail_in_tls = false;
  for (const auto& line : lab.smtp().received()) {
    if (line.line.rfind("MAIL FROM:", 0) == 0) mail_in_tls = line.tls;
  }
  EXPECT_TRUE(mail_in_tls);
}

TEST(NegativeEngine, StartTlsRefusedFailsAndNothingMoreIsSentInPlainText) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.starttls_refused = true; }));
  const auto r = run(lab, kStartTlsThenMail);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("STARTTLS"));
  EXPECT_THAT(r.actual, HasSubstr("454"));
  std::this_thread::sleep_for(100ms);  // let the server read anything still in flight
  const auto received = lab.smtp().received();
  ASSERT_FALSE(received.empty());
  EXPECT_EQ(received.back().line, "STARTTLS") << "the client went on in plain text after the refusal";
  for (const auto& line : received) EXPECT_FALSE(line.tls);
}

TEST(NegativeEngine, StartTlsThatKeepsTheSessionStateIsCaught) {
  // RFC 3207 §4.2: after TLS the server forgets the EHLO; a MAIL before a new EHLO gets 503.
  const char* scenario = R"({
    "facteur": 1, "id": "test/negative/starttls-reset", "title": "state reset after STARTTLS",
    "protocol": "smtp", "spec": [{"rfc": "3207", "section": "4.2", "level": "MUST"}],
    "steps": [{"connect": {}}, {"ehlo": "client.facteur.test"}, {"starttls": true},
              {"send": "MAIL FROM:<sender@example.test>", "expect": 503}, {"quit": true}]
  })";
  FakeSmtpLab good;
  const auto pass = run(good, scenario);
  EXPECT_EQ(pass.outcome, Outcome::pass) << text_of(pass);
  FakeSmtpLab bad(with([](Misbehaviour& m) { m.starttls_keeps_state = true; }));
  const auto r = run(bad, scenario);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("reply code 250"));
}

// A server that answers 220 to STARTTLS and then goes on in plain text is a server defect: the case
// fails (a certificate the client's settings reject would be an error instead).
TEST(NegativeEngine, StartTlsWithoutHandshakeFails) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.starttls_no_handshake = true; }));
  const auto r = run(lab, kStartTlsThenMail);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
}

// --- implicit TLS (RFC 8314) ---------------------------------------------------------------------------

const char* kImplicitTls = R"({
  "facteur": 1, "id": "test/negative/implicit-tls", "title": "implicit TLS: AUTH offered, STARTTLS not",
  "protocol": "smtp", "spec": [{"rfc": "8314", "section": "3.3", "level": "MUST"}],
  "sessions": {"tls": "${smtps_url}"},
  "steps": [{"connect": {}, "session": "tls"},
            {"ehlo": "client.facteur.test", "session": "tls", "expect": {"code": 250, "present": ["AUTH=PLAIN"],
                                                                        "absent": ["STARTTLS"]}},
            {"quit": true, "session": "tls"}]
})";

TEST(NegativeEngine, ImplicitTlsPortAnnouncesAuthButNotStartTls) {
  FakeSmtpLab good;
  const auto pass = run(good, kImplicitTls);
  EXPECT_EQ(pass.outcome, Outcome::pass) << text_of(pass);
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.starttls_after_tls = true; }));
  const auto r = run(lab, kImplicitTls);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("STARTTLS is announced"));
}

TEST(NegativeEngine, UntrustedCertificateIsAnErrorNotAFailure) {
  // The server is not at fault when the client does not trust its CA: "error", never "fail".
  FakeSmtpLab lab;
  auto settings = lab.settings();
  net::TlsOptions system_store;  // verify against the system CAs, which do not know the test CA
  settings.tls = net::make_client_context(system_store);
  const auto r = facteur::testing::run_case_sync(facteur::testing::inline_scenario(kImplicitTls), settings);
  EXPECT_EQ(r.outcome, Outcome::error) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("certificate"));
}

// --- servers that greet badly or vanish -------------------------------------------------------------

TEST(NegativeEngine, ServerClosingAfterTheGreetingFailsClearly) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.close_after_greeting = true; }));
  const auto r = run(lab, kEhlo);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("closed"));
}

TEST(NegativeEngine, ServerThatNeverGreetsFails) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.no_greeting = true; }));
  const auto r = run(lab, kEhlo, 500ms);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("no greeting within 500 ms"));
}

TEST(NegativeEngine, Greeting554Fails) {
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.greeting_code = 554; }));
  const auto r = run(lab, kEhlo);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("greeting"));
  EXPECT_THAT(r.actual, HasSubstr("554"));
}

// --- delivery switches no shipped scenario needs yet -----------------------------------------------

const char* kDeliver = R"({
  "facteur": 1, "id": "test/negative/deliver", "title": "a message reaches the Maildir",
  "protocol": "smtp", "spec": [{"rfc": "5321", "section": "4.1.1.4", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": "client.facteur.test"}, {"mail": "sender@example.test"},
            {"rcpt": "${rcpt}"},
            {"data": {"message": {"subject": "negative delivery", "body": "one\r\ntwo\r\n"},
                      "capture_message_id": "mid"}},
            {"mailbox": {"match": "${mid}", "timeout_ms": 400, "contains": ["\none\ntwo\n"]}}, {"quit": true}]
})";

TEST(NegativeEngine, LostMessageFailsTheMailboxCheck) {
  FakeSmtpLab good;
  const auto pass = run(good, kDeliver);
  EXPECT_EQ(pass.outcome, Outcome::pass) << text_of(pass);
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.lose_messages = true; }));
  const auto r = run(lab, kDeliver);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("no delivered message"));
  EXPECT_EQ(r.actual, "not delivered");
}

TEST(NegativeEngine, BdatChunkReadShortDesynchronisesTheSession) {
  const char* scenario = R"({
    "facteur": 1, "id": "test/negative/bdat", "title": "two BDAT chunks then NOOP",
    "protocol": "smtp", "spec": [{"rfc": "3030", "section": "2", "level": "MUST"}],
    "steps": [{"connect": {}}, {"ehlo": "client.facteur.test"}, {"mail": "sender@example.test"},
              {"rcpt": "${rcpt}"}, {"bdat": {"message": {"subject": "chunks"}, "chunk_size": 50}},
              {"send": "NOOP", "expect": 250}, {"quit": true}]
  })";
  FakeSmtpLab good;
  const auto pass = run(good, scenario);
  EXPECT_EQ(pass.outcome, Outcome::pass) << text_of(pass);
  FakeSmtpLab lab(with([](Misbehaviour& m) { m.bdat_counts_wrong = true; }));
  const auto r = run(lab, scenario, 500ms);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
}

}  // namespace
}  // namespace facteur::test
