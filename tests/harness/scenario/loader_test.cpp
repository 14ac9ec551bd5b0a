// The loader on valid scenarios: each step kind and expectation lands in the right model values.
#include "harness/scenario/loader.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/harness/scenario/loader_test_support.hpp"

namespace facteur::scenario {
namespace {
using namespace loader_testing;

// --- valid scenarios ---------------------------------------------------------------------------

TEST(Loader, MinimalScenario) {
  const Scenario s = parse(with_steps({R"({"connect": {}})", R"({"quit": true})"}));
  EXPECT_EQ(s.file, "case.json");
  EXPECT_EQ(s.id, "smtp/5321/4.1.1/x");
  EXPECT_EQ(s.title, "t");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.protocol, Protocol::smtp);
  ASSERT_EQ(s.spec.size(), 1U);
  EXPECT_EQ(s.spec[0].rfc, "5321");
  EXPECT_EQ(s.spec[0].section, "4.1.1");
  EXPECT_EQ(s.spec[0].level, Level::must);
  EXPECT_TRUE(s.tags.empty());
  EXPECT_TRUE(s.requires_.empty());
  EXPECT_TRUE(s.vars.empty());
  EXPECT_TRUE(s.sessions.empty());
  EXPECT_EQ(s.timeout_ms, 0);
  ASSERT_EQ(s.steps.size(), 2U);
  EXPECT_EQ(s.steps[0].kind, StepKind::connect);
  EXPECT_EQ(s.steps[0].session, "main");
  EXPECT_EQ(s.steps[0].pointer, "/steps/0");
  EXPECT_FALSE(s.steps[0].expect.has_value());
  EXPECT_EQ(s.steps[1].kind, StepKind::quit);
  EXPECT_EQ(s.steps[1].pointer, "/steps/1");
}

TEST(Loader, Metadata) {
  const Scenario s = parse(R"({
    "$schema": "../../schema/scenario-v1.schema.json",
    "comment": {"any": ["value"]},
    "facteur": 1,
    "id": "pop3/1939/5_x-y.z",
    "title": "T",
    "description": "D",
    "protocol": "pop3",
    "spec": [{"rfc": 1939, "section": 5, "level": "MAY", "comment": 1},
             {"rfc": "2449", "section": "6.3", "level": "SHOULD"}],
    "tags": "one",
    "requires": ["STARTTLS", "AUTH=PLAIN", "var:user"],
    "vars": {"user": "alice", "n": 42},
    "sessions": {"second": "pop3s://${host}:995", "plain": ""},
    "timeout_ms": 3600000,
    "steps": [{"connect": true}]
  })");
  EXPECT_EQ(s.id, "pop3/1939/5_x-y.z");
  EXPECT_EQ(s.title, "T");
  EXPECT_EQ(s.description, "D");
  EXPECT_EQ(s.protocol, Protocol::pop3);
  ASSERT_EQ(s.spec.size(), 2U);
  EXPECT_EQ(s.spec[0].rfc, "1939");  // integers are read as their decimal text
  EXPECT_EQ(s.spec[0].section, "5");
  EXPECT_EQ(s.spec[0].level, Level::may);
  EXPECT_EQ(s.spec[1].level, Level::should);
  EXPECT_EQ(s.level(), Level::should);  // the strongest level
  EXPECT_EQ(s.tags, std::vector<std::string>{"one"});
  EXPECT_EQ(s.requires_, (std::vector<std::string>{"STARTTLS", "AUTH=PLAIN", "var:user"}));
  EXPECT_EQ(s.vars, (Vars{{"n", "42"}, {"user", "alice"}}));
  EXPECT_EQ(s.sessions, (std::map<std::string, std::string>{{"plain", ""}, {"second", "pop3s://${host}:995"}}));
  EXPECT_EQ(s.timeout_ms, 3600000);
}

TEST(Loader, ProtocolNames) {
  auto protocol_of = [](const std::string& name) { return parse(with_steps({R"({"connect": true})"}, name)).protocol; };
  EXPECT_EQ(protocol_of("smtp"), Protocol::smtp);
  EXPECT_EQ(protocol_of("imap"), Protocol::imap);
  EXPECT_EQ(protocol_of("pop3"), Protocol::pop3);
  EXPECT_EQ(protocol_of("ftp"), Protocol::ftp);
  EXPECT_EQ(protocol_of("http"), Protocol::http);
  EXPECT_EQ(protocol_of("http-form"), Protocol::http);
}

TEST(Loader, ConnectForms) {
  const auto steps = steps_of({R"({"connect": true})", R"({"connect": {}})",
                               R"({"connect": "smtps://${host}:465"})", R"({"connect": {"url": "smtp://h:25"}})",
                               R"({"connect": {"comment": "no url"}, "session": "b"})"});
  ASSERT_EQ(steps.size(), 5U);
  for (const auto& s : steps) EXPECT_EQ(s.kind, StepKind::connect);
  EXPECT_EQ(steps[0].text, "");
  EXPECT_EQ(steps[1].text, "");
  EXPECT_EQ(steps[2].text, "smtps://${host}:465");
  EXPECT_EQ(steps[3].text, "smtp://h:25");
  EXPECT_EQ(steps[4].text, "");
  EXPECT_EQ(steps[4].session, "b");
}

TEST(Loader, SendAndRaw) {
  const auto steps = steps_of({R"({"send": "NOOP ${@seq}"})", R"({"raw": "NOOP\r\nNOOP\r\n"})",
                               R"({"raw": "NOOP\r\n", "replies": 0})", R"({"raw": "", "replies": 10000})"});
  EXPECT_EQ(steps[0].kind, StepKind::send);
  EXPECT_EQ(steps[0].text, "NOOP ${@seq}");
  EXPECT_EQ(steps[1].kind, StepKind::raw);
  EXPECT_EQ(steps[1].text, "NOOP\r\nNOOP\r\n");
  EXPECT_EQ(steps[1].replies, 1);
  EXPECT_EQ(steps[2].replies, 0);
  EXPECT_EQ(steps[3].text, "");
  EXPECT_EQ(steps[3].replies, 10000);
}

TEST(Loader, ExpectOnlyStep) {
  const Step s = step_of(R"({"expect": 220, "session": "other", "comment": "greeting"})");
  EXPECT_EQ(s.kind, StepKind::expect);
  EXPECT_EQ(s.session, "other");
  ASSERT_TRUE(s.expect.has_value());
  ASSERT_EQ(s.expect->any_of.size(), 1U);
  EXPECT_EQ(s.expect->any_of[0].codes, std::vector<std::string>{"220"});
  EXPECT_EQ(s.expect->any_of[0].pointer, "/steps/0/expect");
}

TEST(Loader, SilenceSleepCloseQuit) {
  const auto steps = steps_of({R"({"silence": 1500})", R"({"sleep": 0})", R"({"sleep": 600000})",
                               R"({"close": true})", R"({"close": {"ignored": [1]}})", R"({"quit": null})"});
  EXPECT_EQ(steps[0].kind, StepKind::silence);
  EXPECT_EQ(steps[0].ms, 1500);
  EXPECT_EQ(steps[1].kind, StepKind::sleep);
  EXPECT_EQ(steps[1].ms, 0);
  EXPECT_EQ(steps[2].ms, 600000);
  EXPECT_EQ(steps[3].kind, StepKind::close);
  EXPECT_EQ(steps[4].kind, StepKind::close);
  EXPECT_EQ(steps[5].kind, StepKind::quit);
}

TEST(Loader, Loop) {
  const Step s = step_of(R"({"loop": {"count": 3, "steps": [{"send": "NOOP"}, {"loop": {"count": 0, "steps": []}}]}})");
  EXPECT_EQ(s.kind, StepKind::loop);
  EXPECT_EQ(s.count, 3);
  ASSERT_EQ(s.steps.size(), 2U);
  EXPECT_EQ(s.steps[0].kind, StepKind::send);
  EXPECT_EQ(s.steps[0].pointer, "/steps/0/loop/steps/0");
  EXPECT_EQ(s.steps[1].kind, StepKind::loop);
  EXPECT_EQ(s.steps[1].count, 0);
  EXPECT_TRUE(s.steps[1].steps.empty());
}

TEST(Loader, Set) {
  const Step s = step_of(R"({"set": {"mid": "<${@uuid}@x>", "n": 7}})");
  EXPECT_EQ(s.kind, StepKind::set);
  EXPECT_EQ(s.assignments, (std::map<std::string, std::string>{{"mid", "<${@uuid}@x>"}, {"n", "7"}}));
}

TEST(Loader, Mailbox) {
  auto steps = steps_of({R"({"mailbox": {"match": "${mid}"}})",
                         R"({"mailbox": {"maildir": "/var/mail/bob", "match": "x", "timeout_ms": 9000,
                              "contains": "\n..double\n", "not_contains": ["a", "b"]}})"});
  EXPECT_EQ(steps[0].kind, StepKind::mailbox);
  ASSERT_TRUE(steps[0].mailbox.has_value());
  EXPECT_EQ(steps[0].mailbox->maildir, "${maildir}");
  EXPECT_EQ(steps[0].mailbox->match, "${mid}");
  EXPECT_EQ(steps[0].mailbox->timeout_ms, 5000);
  EXPECT_TRUE(steps[0].mailbox->contains.empty());
  ASSERT_TRUE(steps[1].mailbox.has_value());
  EXPECT_EQ(steps[1].mailbox->maildir, "/var/mail/bob");
  EXPECT_EQ(steps[1].mailbox->timeout_ms, 9000);
  EXPECT_EQ(steps[1].mailbox->contains, std::vector<std::string>{"\n..double\n"});
  EXPECT_EQ(steps[1].mailbox->not_contains, (std::vector<std::string>{"a", "b"}));
}

TEST(Loader, EhloAndHelo) {
  const auto steps = steps_of({R"({"ehlo": "client.example"})", R"({"ehlo": true})", R"({"ehlo": {"domain": "[192.0.2.1]"}})",
                               R"({"ehlo": {}})", R"({"helo": "${domain:-client.test}"})"});
  EXPECT_EQ(steps[0].kind, StepKind::ehlo);
  EXPECT_EQ(steps[0].text, "client.example");
  EXPECT_EQ(steps[1].text, "");
  EXPECT_EQ(steps[2].text, "[192.0.2.1]");
  EXPECT_EQ(steps[3].text, "");
  EXPECT_EQ(steps[4].kind, StepKind::helo);
  EXPECT_EQ(steps[4].text, "${domain:-client.test}");
}

TEST(Loader, Starttls) {
  const auto steps = steps_of({R"({"starttls": true, "expect_220": {"code": "2xx"}})",
                               R"({"starttls": {"required": false, "if_offered": true, "pipelined": ["NOOP", "RSET"]}})",
                               R"({"starttls": {"pipelined": "NOOP"}})"});
  EXPECT_EQ(steps[0].kind, StepKind::starttls);
  EXPECT_TRUE(steps[0].required);
  EXPECT_FALSE(steps[0].if_offered);
  EXPECT_TRUE(steps[0].after_starttls.empty());
  ASSERT_TRUE(steps[0].expect_intermediate.has_value());
  EXPECT_EQ(steps[0].expect_intermediate->any_of[0].codes, std::vector<std::string>{"2xx"});
  EXPECT_EQ(steps[0].expect_intermediate->any_of[0].pointer, "/steps/0/expect_220");
  EXPECT_FALSE(steps[0].expect.has_value());
  EXPECT_FALSE(steps[1].required);
  EXPECT_TRUE(steps[1].if_offered);
  EXPECT_EQ(steps[1].after_starttls, (std::vector<std::string>{"NOOP", "RSET"}));
  EXPECT_EQ(steps[2].after_starttls, std::vector<std::string>{"NOOP"});
}

TEST(Loader, Auth) {
  const auto steps = steps_of({R"({"auth": "PLAIN"})",
                               R"({"auth": {"mechanism": "SCRAM-SHA-256", "user": "bob", "password": "${pw}",
                                            "initial_response": false, "cancel": true}})",
                               R"({"auth": {"mechanism": "LOGIN", "user": "", "password": ""}})"});
  EXPECT_EQ(steps[0].kind, StepKind::auth);
  EXPECT_EQ(steps[0].mechanism, "PLAIN");
  EXPECT_EQ(steps[0].user, "${user}");
  EXPECT_EQ(steps[0].password, "${password}");
  EXPECT_TRUE(steps[0].initial_response);
  EXPECT_FALSE(steps[0].cancel);
  EXPECT_EQ(steps[1].mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(steps[1].user, "bob");
  EXPECT_EQ(steps[1].password, "${pw}");
  EXPECT_FALSE(steps[1].initial_response);
  EXPECT_TRUE(steps[1].cancel);
  EXPECT_EQ(steps[2].user, "${user}");  // empty means the variables
  EXPECT_EQ(steps[2].password, "${password}");
}

TEST(Loader, MailAndRcpt) {
  const auto steps = steps_of({R"({"mail": ""})", R"({"mail": {"from": "${user}", "params": ["SIZE=10", "BODY=8BITMIME"]}})",
                               R"({"rcpt": "${rcpt}"})", R"({"rcpt": {"to": "bob@lab.test", "params": "NOTIFY=NEVER"}})"});
  EXPECT_EQ(steps[0].kind, StepKind::mail);
  EXPECT_EQ(steps[0].text, "");
  EXPECT_TRUE(steps[0].params.empty());
  EXPECT_EQ(steps[1].text, "${user}");
  EXPECT_EQ(steps[1].params, (std::vector<std::string>{"SIZE=10", "BODY=8BITMIME"}));
  EXPECT_EQ(steps[2].kind, StepKind::rcpt);
  EXPECT_EQ(steps[2].text, "${rcpt}");
  EXPECT_EQ(steps[3].text, "bob@lab.test");
  EXPECT_EQ(steps[3].params, std::vector<std::string>{"NOTIFY=NEVER"});
}

TEST(Loader, Data) {
  const auto steps = steps_of(
      {R"({"data": true})",
       R"({"data": {"message": {"to": "${rcpt}", "size": 100000, "eight_bit": true, "leading_dots": true,
                                "headers": [["X-A", "1"], ["X-A", "2"]], "attachments": [{"filename": "a.bin", "size": 4096}],
                                "seed": 7},
                    "capture_message_id": "mid"},
           "expect_354": [354, "3xx"], "expect": {"code": 250}})",
       R"({"data": {"raw": "Subject: x\r\n\r\nbody\r\n.\r\n"}})", R"({"data": {}})"});
  EXPECT_EQ(steps[0].kind, StepKind::data);
  ASSERT_TRUE(steps[0].message.has_value());
  EXPECT_EQ(steps[0].message->subject, MessageSpec{}.subject);
  EXPECT_FALSE(steps[0].has_raw_body);

  ASSERT_TRUE(steps[1].message.has_value());
  EXPECT_EQ(steps[1].message->to, "${rcpt}");
  EXPECT_EQ(steps[1].message->size, 100000U);
  EXPECT_TRUE(steps[1].message->eight_bit);
  EXPECT_TRUE(steps[1].message->leading_dots);
  EXPECT_EQ(steps[1].message->headers,
            (std::vector<std::pair<std::string, std::string>>{{"X-A", "1"}, {"X-A", "2"}}));
  ASSERT_EQ(steps[1].message->attachments.size(), 1U);
  EXPECT_EQ(steps[1].message->attachments[0].filename, "a.bin");
  EXPECT_EQ(steps[1].message->attachments[0].size, 4096U);
  EXPECT_EQ(steps[1].message->seed, 7U);
  EXPECT_EQ(steps[1].capture_message_id, "mid");
  ASSERT_TRUE(steps[1].expect_intermediate.has_value());
  ASSERT_EQ(steps[1].expect_intermediate->any_of.size(), 2U);
  EXPECT_EQ(steps[1].expect_intermediate->any_of[0].codes, std::vector<std::string>{"354"});
  EXPECT_EQ(steps[1].expect_intermediate->any_of[1].codes, std::vector<std::string>{"3xx"});
  EXPECT_EQ(steps[1].expect_intermediate->any_of[1].pointer, "/steps/1/expect_354/1");
  ASSERT_TRUE(steps[1].expect.has_value());
  EXPECT_EQ(steps[1].expect->any_of[0].codes, std::vector<std::string>{"250"});

  EXPECT_FALSE(steps[2].message.has_value());
  EXPECT_TRUE(steps[2].has_raw_body);
  EXPECT_EQ(steps[2].raw_body, "Subject: x\r\n\r\nbody\r\n.\r\n");

  ASSERT_TRUE(steps[3].message.has_value());  // {} is the default message
  EXPECT_FALSE(steps[3].has_raw_body);
}

TEST(Loader, Bdat) {
  const auto steps = steps_of({R"({"bdat": true})", R"({"bdat": {"chunk_size": 1000, "message": {"size": 5000}}})"});
  EXPECT_EQ(steps[0].kind, StepKind::bdat);
  EXPECT_TRUE(steps[0].message.has_value());
  EXPECT_EQ(steps[0].chunk_size, 0U);
  EXPECT_EQ(steps[1].chunk_size, 1000U);
  ASSERT_TRUE(steps[1].message.has_value());
  EXPECT_EQ(steps[1].message->size, 5000U);
}

TEST(Loader, Pipeline) {
  const Step s = step_of(R"({"pipeline": ["MAIL FROM:<${user}>", {"send": "RCPT TO:<a@b>", "expect": [250, 251]}, {"send": "DATA"}]})");
  EXPECT_EQ(s.kind, StepKind::pipeline);
  EXPECT_EQ(s.params, (std::vector<std::string>{"MAIL FROM:<${user}>", "RCPT TO:<a@b>", "DATA"}));
  ASSERT_EQ(s.pipeline_expect.size(), 3U);
  EXPECT_FALSE(s.pipeline_expect[0].has_value());
  ASSERT_TRUE(s.pipeline_expect[1].has_value());
  ASSERT_EQ(s.pipeline_expect[1]->any_of.size(), 2U);
  EXPECT_EQ(s.pipeline_expect[1]->any_of[1].codes, std::vector<std::string>{"251"});
  EXPECT_EQ(s.pipeline_expect[1]->any_of[1].pointer, "/steps/0/pipeline/1/expect/1");
  EXPECT_FALSE(s.pipeline_expect[2].has_value());
}

TEST(Loader, Expectations) {
  const auto steps = steps_of({
      R"({"send": "A", "expect": "2xx"})",
      R"({"send": "B", "expect": {"code": [250, "251", "25x"], "enhanced": "2.1.x", "text": "^Ok", "multiline": false}})",
      R"({"send": "C", "expect": [{"code": 550, "enhanced": ["5.1.1", "none"]}, {"closed": true}]})",
      R"j({"ehlo": "c", "expect": {"present": "STARTTLS", "absent": ["AUTH=PLAIN"], "multiline": true,
                                   "capture": {"domain": "^(\\S+)", "all": "Hi"}}})j",
      R"({"send": "D", "expect": {"code": []}})",
  });
  const Expectation& a = steps[0].expect->any_of.at(0);
  EXPECT_EQ(a.codes, std::vector<std::string>{"2xx"});
  EXPECT_TRUE(a.enhanced.empty());
  EXPECT_FALSE(a.text.has_value());
  EXPECT_FALSE(a.multiline.has_value());
  EXPECT_FALSE(a.closed);

  const Expectation& b = steps[1].expect->any_of.at(0);
  EXPECT_EQ(b.codes, (std::vector<std::string>{"250", "251", "25x"}));
  EXPECT_EQ(b.enhanced, std::vector<std::string>{"2.1.x"});
  ASSERT_TRUE(b.text.has_value());
  EXPECT_EQ(b.text->source, "^Ok");
  EXPECT_TRUE(std::regex_search("Ok done", b.text->re));
  EXPECT_EQ(b.multiline, false);
  EXPECT_EQ(b.describe(), "250 or 251 or 25x, enhanced 2.1.x, text ~ /^Ok/, single line");

  ASSERT_EQ(steps[2].expect->any_of.size(), 2U);
  EXPECT_EQ(steps[2].expect->any_of[0].enhanced, (std::vector<std::string>{"5.1.1", "none"}));
  EXPECT_TRUE(steps[2].expect->any_of[1].closed);
  EXPECT_EQ(steps[2].expect->any_of[1].pointer, "/steps/2/expect/1");
  EXPECT_EQ(steps[2].expect->describe(), "550, enhanced 5.1.1 or none | the server closes the connection");

  const Expectation& d = steps[3].expect->any_of.at(0);
  EXPECT_EQ(d.present, std::vector<std::string>{"STARTTLS"});
  EXPECT_EQ(d.absent, std::vector<std::string>{"AUTH=PLAIN"});
  EXPECT_EQ(d.multiline, true);
  ASSERT_EQ(d.capture.size(), 2U);
  EXPECT_EQ(d.capture.at("domain").source, "^(\\S+)");
  EXPECT_EQ(d.capture.at("all").source, "Hi");

  EXPECT_TRUE(steps[4].expect->any_of.at(0).codes.empty());  // [] = any status
}

TEST(Loader, NamedStatusCodes) {
  // Status patterns of POP3 and IMAP; "+OK" and "BAD" are three characters long like "250".
  const auto steps = steps_of({R"({"send": "A", "expect": "+OK"})", R"({"send": "B", "expect": {"code": ["-ERR", "+"]}})",
                               R"({"send": "C", "expect": ["OK", "NO", "BAD"]})"},
                              "pop3");
  EXPECT_EQ(steps[0].expect->any_of[0].codes, std::vector<std::string>{"+OK"});
  EXPECT_EQ(steps[1].expect->any_of[0].codes, (std::vector<std::string>{"-ERR", "+"}));
  ASSERT_EQ(steps[2].expect->any_of.size(), 3U);
  EXPECT_EQ(steps[2].expect->any_of[2].codes, std::vector<std::string>{"BAD"});
}

TEST(Loader, CodePatternsAtTheirLimits) {
  for (const char* code : {"100", "599", "\"1xx\"", "\"5xx\"", "\"55x\"", "\"250\""}) {
    SCOPED_TRACE(code);
    EXPECT_NO_THROW((void)step_of(std::string(R"({"send": "X", "expect": )") + code + "}"));
  }
  for (const char* enhanced : {"x.x.x", "2.0.0", "4.999.999", "5.x.7", "250.1.1"}) {
    SCOPED_TRACE(enhanced);
    EXPECT_NO_THROW((void)step_of(std::string(R"({"send": "X", "expect": {"enhanced": ")") + enhanced + "\"}}"));
  }
}

TEST(Loader, NeutralStepsInOtherProtocols) {
  const auto steps = steps_of({R"({"connect": true})", R"({"expect": "+OK"})", R"({"send": "CAPA"})",
                               R"({"loop": {"count": 2, "steps": [{"raw": "NOOP\r\n"}]}})", R"({"close": true})"},
                              "pop3");
  EXPECT_EQ(steps.size(), 5U);
  EXPECT_EQ(steps[3].steps.at(0).kind, StepKind::raw);
}

// download.wire_size: the octets on the data connection before TYPE A decoding (RFC 959 §3.1.1.1).
TEST(Loader, FtpDownloadWireSize) {
  const auto steps = steps_of({R"({"ftp": "RETR a.txt", "download": {"size": 14, "wire_size": "1 KiB"}})"}, "ftp");
  ASSERT_EQ(steps.size(), 1U);
  ASSERT_TRUE(steps[0].ftp && steps[0].ftp->download);
  EXPECT_EQ(steps[0].ftp->download->size, 14U);
  EXPECT_EQ(steps[0].ftp->download->wire_size, 1024U);
  const auto none = steps_of({R"({"ftp": "RETR a.txt", "download": {"size": 14}})"}, "ftp");
  EXPECT_FALSE(none[0].ftp->download->wire_size);
  EXPECT_THROW(steps_of({R"({"ftp": "RETR a.txt", "download": {"wire_size": -1}})"}, "ftp"), ScenarioError);
}

// --- errors ------------------------------------------------------------------------------------

}  // namespace
}  // namespace facteur::scenario
