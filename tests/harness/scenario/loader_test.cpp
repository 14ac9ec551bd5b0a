#include "harness/scenario/loader.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace facteur::scenario {
namespace {

namespace fs = std::filesystem;

// A scenario whose metadata takes lines 1-6; step i is written on line 7 + i from column 5.
std::string with_steps(const std::vector<std::string>& steps, const std::string& protocol = "smtp") {
  std::string text =
      "{\n"                                                                          // 1
      "  \"facteur\": 1,\n"                                                          // 2
      "  \"id\": \"smtp/5321/4.1.1/x\",\n"                                           // 3
      "  \"title\": \"t\", \"protocol\": \"" + protocol + "\",\n"                    // 4
      "  \"spec\": [{\"rfc\": \"5321\", \"section\": \"4.1.1\", \"level\": \"MUST\"}],\n"  // 5
      "  \"steps\": [\n";                                                            // 6
  for (std::size_t i = 0; i < steps.size(); ++i) text += "    " + steps[i] + (i + 1 < steps.size() ? ",\n" : "\n");
  text += "  ]\n}\n";
  return text;
}

Scenario parse(const std::string& text) { return parse_scenario(text, "case.json"); }

std::vector<Step> steps_of(const std::vector<std::string>& steps, const std::string& protocol = "smtp") {
  return parse(with_steps(steps, protocol)).steps;
}

Step step_of(const std::string& step) {
  auto steps = steps_of({step});
  EXPECT_EQ(steps.size(), 1U);
  return steps.empty() ? Step{} : steps.front();
}

struct Failure {
  std::string file;
  std::size_t line = 0, column = 0;
  std::string path, message;
};

Failure failure_of(const std::string& text, const std::string& file = "case.json") {
  try {
    (void)parse_scenario(text, file);
  } catch (const ScenarioError& e) {
    return {e.file(), e.line(), e.column(), e.path(), e.message()};
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// Checks the error of the scenario holding the single step `step`: the reported position is where
// `needle` starts in the step (line 7, column 5 + its offset).
void expect_step_error(const std::string& step, const std::string& needle, const std::string& path,
                       const std::string& message) {
  SCOPED_TRACE(step);
  const auto offset = step.find(needle);
  ASSERT_NE(offset, std::string::npos) << needle;
  const Failure f = failure_of(with_steps({step}));
  EXPECT_EQ(f.file, "case.json");
  EXPECT_EQ(f.line, 7U);
  EXPECT_EQ(f.column, 5 + offset);
  EXPECT_EQ(f.path, path);
  EXPECT_EQ(f.message, message);
}

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

TEST(LoaderErrors, FalseIsNotAWayToSkipAStep) {
  for (const char* kind : {"connect", "quit", "data", "ehlo", "starttls", "close"}) {
    expect_step_error(std::string(R"({")") + kind + R"(": false})", "false}",
                      std::string("$.steps[0].") + kind, "false would not skip this step; remove the step instead");
  }
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

// --- errors ------------------------------------------------------------------------------------

TEST(LoaderErrors, BadLevelIsReportedAtItsValue) {
  const std::string text =
      "{\n"                                                                 // 1
      "  \"facteur\": 1,\n"                                                 // 2
      "  \"id\": \"smtp/5321/4.1.1/x\", \"title\": \"t\", \"protocol\": \"smtp\",\n"  // 3
      "  \"spec\": [\n"                                                     // 4
      "    {\"rfc\": \"5321\", \"section\": \"4.1.1\", \"level\": \"MUSTN'T\"}\n"  // 5
      "  ],\n"
      "  \"steps\": [{\"quit\": true}]\n"
      "}\n";
  const Failure f = failure_of(text, "dir/x.json");
  EXPECT_EQ(f.file, "dir/x.json");
  EXPECT_EQ(f.line, 5U);
  EXPECT_EQ(f.column, 50U);
  EXPECT_EQ(f.path, "$.spec[0].level");
  EXPECT_EQ(f.message, "level must be MUST, SHOULD or MAY, not 'MUSTN'T'");
  try {
    (void)parse_scenario(text, "dir/x.json");
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "dir/x.json:5:50: $.spec[0].level: level must be MUST, SHOULD or MAY, not 'MUSTN'T'");
  }
}

TEST(LoaderErrors, InvalidJsonGivesThePositionOfTheSyntaxError) {
  // Missing comma: the error is on the unexpected token "title" (line 3, columns 3-9). nlohmann
  // reports the octet where it noticed the error, the last one of the token.
  Failure f = failure_of("{\n  \"facteur\": 1\n  \"title\": \"t\"\n}\n");
  EXPECT_EQ(f.line, 3U);
  EXPECT_EQ(f.column, 9U);
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.message.rfind("invalid JSON: syntax error", 0), 0U) << f.message;

  // A trailing comma before '}': the error is at the '}'.
  f = failure_of("{\"facteur\": 1,\n\"id\": \"x\",\n}");
  EXPECT_EQ(f.line, 3U);
  EXPECT_EQ(f.column, 1U);

  // A line feed inside a string: the error is at the line feed.
  f = failure_of("{\"facteur\": 1, \"id\": \"abc\n}");
  EXPECT_EQ(f.line, 1U);
  EXPECT_EQ(f.column, 26U);

  f = failure_of("");
  EXPECT_EQ(f.line, 1U);
  EXPECT_EQ(f.column, 1U);
  EXPECT_EQ(f.path, "$");

  f = failure_of("{} {}");
  EXPECT_EQ(f.line, 1U);
  EXPECT_EQ(f.column, 4U);
}

TEST(LoaderErrors, RootAndMetadata) {
  Failure f = failure_of("[]");
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.message, "expected a scenario object, found an array");

  f = failure_of("{\n  \"id\": \"a\"\n}");
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.line, 1U);
  EXPECT_EQ(f.column, 1U);
  EXPECT_EQ(f.message, "missing \"facteur\": 1 (the scenario format version)");

  f = failure_of("{\n  \"facteur\": 2\n}");
  EXPECT_EQ(f.path, "$.facteur");
  EXPECT_EQ(f.line, 2U);
  EXPECT_EQ(f.column, 14U);
  EXPECT_EQ(f.message, "unsupported scenario format version 2 (this facteur reads 1)");

  f = failure_of("{\"facteur\": 1, \"title\": \"t\"}");
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.message, "missing required key 'id'");

  f = failure_of("{\"facteur\": 1,\n \"id\": \"smtp/5321/Rset\"}");
  EXPECT_EQ(f.path, "$.id");
  EXPECT_EQ(f.line, 2U);
  EXPECT_EQ(f.column, 8U);
  EXPECT_EQ(f.message, "id may hold only a-z 0-9 / . - _ (found 'R')");

  f = failure_of("{\"facteur\": 1, \"id\": \"smtp/\"}");
  EXPECT_EQ(f.path, "$.id");
  EXPECT_EQ(f.message, "id must be a path like smtp/5321/4.1.4/topic");

  f = failure_of("{\"facteur\": 1, \"id\": 5}");
  EXPECT_EQ(f.path, "$.id");
  EXPECT_EQ(f.message, "expected a string, found a number");

  f = failure_of("{\"facteur\": 1, \"id\": \"a\"}");
  EXPECT_EQ(f.message, "missing required key 'title'");

  f = failure_of("{\"facteur\": 1, \"id\": \"a\", \"title\": \"t\", \"protocol\": \"lmtp\"}");
  EXPECT_EQ(f.path, "$.protocol");
  EXPECT_EQ(f.column, 53U);
  EXPECT_EQ(f.message, "unknown protocol 'lmtp' (smtp, imap, pop3, ftp, http)");

  f = failure_of("{\"facteur\": 1, \"id\": \"a\", \"title\": \"t\", \"protocol\": \"smtp\"}");
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.message, "missing \"spec\": the RFC sections this case checks");

  const std::string head = "{\"facteur\": 1, \"id\": \"a\", \"title\": \"t\", \"protocol\": \"smtp\", ";
  const std::string spec = "\"spec\": [{\"rfc\": \"1\", \"section\": \"2\", \"level\": \"MAY\"}], ";
  f = failure_of(head + "\"spec\": []}");
  EXPECT_EQ(f.path, "$.spec");
  EXPECT_EQ(f.message, "at least one spec reference is required");

  f = failure_of(head + "\"spec\": [\"5321\"]}");  // once an uncaught nlohmann exception
  EXPECT_EQ(f.path, "$.spec[0]");
  EXPECT_EQ(f.column, 70U);
  EXPECT_EQ(f.message, "expected a spec reference {rfc, section, level}, found a string");

  f = failure_of(head + "\"spec\": [{\"rfc\": \"1\", \"level\": \"MAY\"}]}");
  EXPECT_EQ(f.path, "$.spec[0]");
  EXPECT_EQ(f.message, "missing required key 'section'");

  f = failure_of(head + "\"spec\": [{\"rfc\": 1.5, \"section\": \"2\", \"level\": \"MAY\"}]}");
  EXPECT_EQ(f.path, "$.spec[0].rfc");
  EXPECT_EQ(f.message, "expected a string, found a number");

  f = failure_of(head + spec + "\"tags\": [\"a\", 2]}");
  EXPECT_EQ(f.path, "$.tags[1]");
  EXPECT_EQ(f.message, "expected a string, found a number");

  f = failure_of(head + spec + "\"requires\": {}}");
  EXPECT_EQ(f.path, "$.requires");
  EXPECT_EQ(f.message, "expected an array of strings, found an object");

  f = failure_of(head + spec + "\"vars\": {\"a b\": true}}");
  EXPECT_EQ(f.path, "$.vars[\"a b\"]");
  EXPECT_EQ(f.message, "expected a string, found a boolean");

  f = failure_of(head + spec + "\"timeout_ms\": 0}");
  EXPECT_EQ(f.path, "$.timeout_ms");
  EXPECT_EQ(f.message, "value 0 out of range [1, 3600000]");

  f = failure_of(head + spec + "\"timeout_ms\": 10}");
  EXPECT_EQ(f.path, "$");
  EXPECT_EQ(f.message, "missing \"steps\"");

  f = failure_of(head + spec + "\"steps\": []}");
  EXPECT_EQ(f.path, "$.steps");
  EXPECT_EQ(f.message, "a scenario needs at least one step");

  f = failure_of(head + spec + "\"steps\": {}}");
  EXPECT_EQ(f.path, "$.steps");
  EXPECT_EQ(f.message, "expected an array of steps, found an object");
}

TEST(LoaderErrors, UnknownKeys) {
  const char* allowed_top =
      "(allowed: $schema, description, facteur, id, protocol, requires, sessions, spec, steps, tags, timeout_ms, "
      "title, vars)";
  Failure f = failure_of("{\n  \"facteur\": 1,\n  \"stpes\": []\n}");
  EXPECT_EQ(f.line, 3U);
  EXPECT_EQ(f.column, 12U);
  EXPECT_EQ(f.path, "$.stpes");
  EXPECT_EQ(f.message, std::string("unknown key 'stpes' ") + allowed_top);

  expect_step_error(R"({"send": "NOOP", "expct": 250})", "250", "$.steps[0].expct",
                    "unknown key 'expct' (allowed: expect, send, session)");
  expect_step_error(R"({"raw": "x", "expect_354": 354})", "354}", "$.steps[0].expect_354",
                    "unknown key 'expect_354' (allowed: expect, raw, replies, session)");
  expect_step_error(R"({"send": "x", "replies": 2})", "2}", "$.steps[0].replies",
                    "unknown key 'replies' (allowed: expect, send, session)");
  expect_step_error(R"({"send": "x", "a b": 1})", "1}", "$.steps[0][\"a b\"]",
                    "unknown key 'a b' (allowed: expect, send, session)");
  expect_step_error(R"({"send": "x", "expect": {"code": 250, "txt": "x"}})", "\"x\"}", "$.steps[0].expect.txt",
                    "unknown key 'txt' (allowed: absent, capture, closed, code, enhanced, multiline, present, text)");
  expect_step_error(R"({"loop": {"count": 1, "steps": [], "step": []}})", "[]}", "$.steps[0].loop.step",
                    "unknown key 'step' (allowed: count, steps)");
  expect_step_error(R"({"mail": {"from": "a", "param": "x"}})", "\"x\"", "$.steps[0].mail.param",
                    "unknown key 'param' (allowed: from, params)");
  expect_step_error(R"({"bdat": {"raw": "x"}})", "\"x\"", "$.steps[0].bdat.raw",
                    "unknown key 'raw' (allowed: capture_message_id, chunk_size, message)");
  expect_step_error(R"({"pipeline": [{"send": "A", "reply": 1}]})", "1}", "$.steps[0].pipeline[0].reply",
                    "unknown key 'reply' (allowed: expect, send)");
  expect_step_error(R"({"starttls": {"requried": true}})", "true", "$.steps[0].starttls.requried",
                    "unknown key 'requried' (allowed: if_offered, pipelined, required)");
  // message keys are checked by the message reader: the error is at the message, naming the key.
  expect_step_error(R"({"data": {"message": {"subjet": "x"}}})", "{\"subjet\"", "$.steps[0].data.message",
                    "unknown message key 'subjet'");
  expect_step_error(R"({"data": {"message": {"attachments": [{"name": "a"}]}}})", "{\"attachments\"",
                    "$.steps[0].data.message", "unknown message key 'attachments[0].name'");
  expect_step_error(R"({"data": {"message": {"size": -1}}})", "{\"size\"", "$.steps[0].data.message",
                    "message key 'size' must be a non-negative integer (got a negative or fractional number)");
}

TEST(LoaderErrors, CommentIsAllowedWhereKeysAreChecked) {
  EXPECT_NO_THROW((void)step_of(R"({"send": "x", "comment": 1, "expect": {"code": 250, "comment": [1]}})"));
  EXPECT_NO_THROW((void)step_of(R"({"mail": {"from": "a", "comment": "c"}})"));
  expect_step_error(R"({"data": {"message": {"comment": "x"}}})", "{\"comment\"", "$.steps[0].data.message",
                    "unknown message key 'comment'");
}

TEST(LoaderErrors, StepActions) {
  expect_step_error(R"({"send": "A", "raw": "B"})", "{", "$.steps[0]",
                    "a step has one action; found both 'send' and 'raw'");
  expect_step_error(R"({"session": "main"})", "{", "$.steps[0]",
                    "a step needs an action (send, raw, expect, ehlo, mail, rcpt, data, …)");
  expect_step_error(R"({})", "{", "$.steps[0]", "a step needs an action (send, raw, expect, ehlo, mail, rcpt, data, …)");
  expect_step_error(R"("NOOP")", "\"", "$.steps[0]", "expected a step object, found a string");
  expect_step_error(R"({"send": "A", "session": ""})", "\"\"", "$.steps[0].session", "session name must not be empty");
  expect_step_error(R"({"send": "A", "session": 1})", "1", "$.steps[0].session", "expected a string, found a number");

  const Failure f = failure_of(with_steps({R"({"connect": true})", R"({"ehlo": "c"})"}, "imap"));
  EXPECT_EQ(f.line, 8U);
  EXPECT_EQ(f.column, 14U);
  EXPECT_EQ(f.path, "$.steps[1].ehlo");
  EXPECT_EQ(f.message, "'ehlo' is an SMTP step; this scenario is imap");

  const Failure g = failure_of(with_steps({R"({"loop": {"count": 1, "steps": [{"quit": true}]}})"}, "pop3"));
  EXPECT_EQ(g.path, "$.steps[0].loop.steps[0].quit");
  EXPECT_EQ(g.message, "'quit' is an SMTP step; this scenario is pop3");
}

TEST(LoaderErrors, StepBodies) {
  expect_step_error(R"({"send": 5})", "5", "$.steps[0].send", "expected a string, found a number");
  expect_step_error(R"({"connect": 5})", "5", "$.steps[0].connect", "expected a URL template, {} or true, found a number");
  expect_step_error(R"({"ehlo": 5})", "5", "$.steps[0].ehlo", "expected a string or an object, found a number");
  expect_step_error(R"({"mail": {"params": []}})", "{\"params\"", "$.steps[0].mail", "missing required key 'from'");
  expect_step_error(R"({"rcpt": {"to": 1}})", "1", "$.steps[0].rcpt.to", "expected a string, found a number");
  expect_step_error(R"({"auth": {"user": "u"}})", "{\"user\"", "$.steps[0].auth", "missing required key 'mechanism'");
  expect_step_error(R"({"auth": {"mechanism": "PLAIN", "cancel": "yes"}})", "\"yes\"", "$.steps[0].auth.cancel",
                    "expected true or false, found a string");
  expect_step_error(R"({"starttls": "yes"})", "\"yes\"", "$.steps[0].starttls", "expected true or an object, found a string");
  expect_step_error(R"({"data": {"message": {}, "raw": "x"}})", "{\"message\"", "$.steps[0].data",
                    "give either 'message' or 'raw', not both");
  expect_step_error(R"({"data": "x"})", "\"x\"", "$.steps[0].data", "expected an object, found a string");
  expect_step_error(R"({"data": {"message": "x"}})", "\"x\"", "$.steps[0].data.message",
                    "expected a message object, found a string");
  expect_step_error(R"({"pipeline": []})", "[]", "$.steps[0].pipeline", "a pipeline needs at least one command");
  expect_step_error(R"({"pipeline": ["A", 2]})", "2]", "$.steps[0].pipeline[1]",
                    "expected a string or {send, expect}, found a number");
  expect_step_error(R"({"pipeline": [{"expect": 250}]})", "{\"expect\"", "$.steps[0].pipeline[0]",
                    "missing required key 'send'");
  expect_step_error(R"({"mailbox": {"contains": "x"}})", "{\"contains\"", "$.steps[0].mailbox",
                    "missing required key 'match'");
  expect_step_error(R"({"set": {"x": true}})", "true", "$.steps[0].set.x", "expected a string, found a boolean");
  expect_step_error(R"({"loop": {"count": 1}})", "{\"count\"", "$.steps[0].loop", "missing required key 'steps'");
  expect_step_error(R"({"loop": {"steps": []}})", "{\"steps\"", "$.steps[0].loop", "missing required key 'count'");
  expect_step_error(R"({"loop": []})", "[]", "$.steps[0].loop", "expected {count, steps}, found an array");
}

TEST(LoaderErrors, NumbersOutOfRange) {
  expect_step_error(R"({"sleep": 600001})", "600001", "$.steps[0].sleep", "value 600001 out of range [0, 600000]");
  expect_step_error(R"({"silence": -1})", "-1", "$.steps[0].silence", "value -1 out of range [0, 600000]");
  expect_step_error(R"({"sleep": "5"})", "\"5\"", "$.steps[0].sleep", "expected an integer, found a string");
  expect_step_error(R"({"sleep": 1.5})", "1.5", "$.steps[0].sleep", "expected an integer, found a number");
  expect_step_error(R"({"raw": "x", "replies": 10001})", "10001", "$.steps[0].replies",
                    "value 10001 out of range [0, 10000]");
  expect_step_error(R"({"loop": {"count": -1, "steps": []}})", "-1", "$.steps[0].loop.count",
                    "value -1 out of range [0, 1000000]");
  expect_step_error(R"({"bdat": {"chunk_size": 0}})", "0}", "$.steps[0].bdat.chunk_size",
                    "value 0 out of range [1, 1073741824]");
  expect_step_error(R"({"mailbox": {"match": "x", "timeout_ms": 0}})", "0}", "$.steps[0].mailbox.timeout_ms",
                    "value 0 out of range [1, 600000]");
}

TEST(LoaderErrors, TemplatesAreCheckedWhereTheyStand) {
  expect_step_error(R"({"send": "MAIL FROM:<${user>"})", "\"MAIL", "$.steps[0].send",
                    "bad template at offset 11: unterminated \"${\"");
  expect_step_error(R"({"raw": "${}"})", "\"${", "$.steps[0].raw", "bad template at offset 2: empty variable name");
  expect_step_error(R"({"connect": {"url": "smtp://${@nope}"}})", "{\"url\"", "$.steps[0].connect",
                    "bad template at offset 7: unknown built-in '@nope'");
  expect_step_error(R"({"ehlo": "${1x}"})", "\"${", "$.steps[0].ehlo",
                    "bad template at offset 2: invalid character '1' in variable name");
  expect_step_error(R"({"mail": {"from": "a", "params": ["SIZE=${@hex:0}"]}})", "[\"SIZE", "$.steps[0].mail.params",
                    "bad template at offset 12: bad @hex argument '0' (expected 1..64)");
  expect_step_error(R"({"pipeline": ["NOOP", {"send": "${a b}"}]})", "{\"send\"", "$.steps[0].pipeline[1]",
                    "bad template at offset 3: invalid character octet 0x20 in variable name");
  expect_step_error(R"({"set": {"x": "${"}})", "\"${\"", "$.steps[0].set.x", "bad template at offset 0: unterminated \"${\"");
  expect_step_error(R"({"auth": {"mechanism": "PLAIN", "password": "${"}})", "{\"mechanism\"", "$.steps[0].auth",
                    "bad template at offset 0: unterminated \"${\"");
  expect_step_error(R"({"data": {"raw": "${"}})", "\"${\"", "$.steps[0].data.raw",
                    "bad template at offset 0: unterminated \"${\"");
  expect_step_error(R"({"mailbox": {"match": "${"}})", "\"${\"", "$.steps[0].mailbox.match",
                    "bad template at offset 0: unterminated \"${\"");

  const std::string text =
      "{\"facteur\": 1, \"id\": \"a\", \"title\": \"t\", \"protocol\": \"smtp\",\n"
      " \"spec\": [{\"rfc\": \"1\", \"section\": \"2\", \"level\": \"MAY\"}],\n"
      " \"sessions\": {\"b\": \"smtp://${host:25\"}, \"steps\": [{\"quit\": 1}]}";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.path, "$.sessions.b");
  EXPECT_EQ(f.line, 3U);
  EXPECT_EQ(f.column, 20U);
  EXPECT_EQ(f.message, "bad template at offset 7: unterminated \"${\"");
  // Escapes and defaults are fine; vars are values, never templates.
  EXPECT_NO_THROW((void)step_of(R"({"send": "$${x} ${a:-${} $ $$"})"));
}

TEST(LoaderErrors, Expectations) {
  expect_step_error(R"({"send": "A", "expect": {"code": "2x5"}})", "\"2x5\"", "$.steps[0].expect.code",
                    "bad reply code pattern '2x5' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
  expect_step_error(R"({"send": "A", "expect": {"code": [250, 600]}})", "600", "$.steps[0].expect.code[1]",
                    "bad reply code pattern '600' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
  expect_step_error(R"({"send": "A", "expect": [250, "ok"]})", "\"ok\"", "$.steps[0].expect[1].code",
                    "bad reply code pattern 'ok' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
  expect_step_error(R"({"send": "A", "expect": {"code": true}})", "true", "$.steps[0].expect.code",
                    "a code is a number or a pattern like \"5xx\"");
  expect_step_error(R"({"send": "A", "expect": {"code": 99}})", "99", "$.steps[0].expect.code",
                    "bad reply code pattern '99' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
  expect_step_error(R"({"send": "A", "expect": {"enhanced": "3.1.1"}})", "\"3.1.1\"", "$.steps[0].expect.enhanced",
                    "bad enhanced status code pattern '3.1.1' (e.g. \"5.1.1\", \"5.x.x\")");
  expect_step_error(R"({"send": "A", "expect": {"enhanced": ["5.1.1", "5.1"]}})", "[\"5.1.1\"", "$.steps[0].expect.enhanced",
                    "bad enhanced status code pattern '5.1' (e.g. \"5.1.1\", \"5.x.x\")");
  expect_step_error(R"({"send": "A", "expect": {"enhanced": "5.1.1000"}})", "\"5.1.1000\"", "$.steps[0].expect.enhanced",
                    "bad enhanced status code pattern '5.1.1000' (e.g. \"5.1.1\", \"5.x.x\")");
  expect_step_error(R"({"send": "A", "expect": {"text": "(unclosed"}})", "\"(unclosed\"", "$.steps[0].expect.text",
                    std::string("bad regular expression /(unclosed/: ") +
                        std::regex_error(std::regex_constants::error_paren).what());
  expect_step_error(R"({"send": "A", "expect": {"capture": {"v": 1}}})", "1}", "$.steps[0].expect.capture.v",
                    "expected a regular expression, found a number");
  expect_step_error(R"({"send": "A", "expect": {"closed": true, "code": 250}})", "{\"closed\"", "$.steps[0].expect",
                    "'closed' expects no reply: it cannot be combined with code, text or capture");
  expect_step_error(R"({"send": "A", "expect": {"closed": true, "text": "x"}})", "{\"closed\"", "$.steps[0].expect",
                    "'closed' expects no reply: it cannot be combined with code, text or capture");
  expect_step_error(R"({"send": "A", "expect": []})", "[]", "$.steps[0].expect",
                    "an expect list needs at least one acceptable outcome");
  expect_step_error(R"({"send": "A", "expect": [[250]]})", "[250]", "$.steps[0].expect[0]",
                    "expected an expectation object, a code, or an array of them, found an array");
  expect_step_error(R"({"send": "A", "expect": {"multiline": 1}})", "1}", "$.steps[0].expect.multiline",
                    "expected true or false, found a number");
  expect_step_error(R"({"data": true, "expect_354": {"code": "3x4"}})", "\"3x4\"", "$.steps[0].expect_354.code",
                    "bad reply code pattern '3x4' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
}

TEST(LoaderErrors, WhatNamesFileLineColumnAndPath) {
  const ScenarioError e("f.json", 3, 9, "$.steps[0]", "boom");
  EXPECT_STREQ(e.what(), "f.json:3:9: $.steps[0]: boom");
  EXPECT_EQ(e.file(), "f.json");
  EXPECT_EQ(e.line(), 3U);
  EXPECT_EQ(e.column(), 9U);
  EXPECT_EQ(e.path(), "$.steps[0]");
  EXPECT_EQ(e.message(), "boom");
}

// --- files and folders -------------------------------------------------------------------------

class ScenarioDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "facteur-loader-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string write(const std::string& relative, const std::string& content) const {
    const fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  static std::string scenario(const std::string& id) {
    return "{\"facteur\": 1,\n \"id\": \"" + id +
           "\", \"title\": \"t\", \"protocol\": \"smtp\",\n"
           " \"spec\": [{\"rfc\": \"5321\", \"section\": \"4\", \"level\": \"MUST\"}],\n"
           " \"steps\": [{\"quit\": true}]}\n";
  }
  fs::path root_;
};

TEST_F(ScenarioDir, LoadsJsonFilesRecursivelyInPathOrder) {
  write("smtp/b.json", scenario("smtp/b"));
  write("smtp/5321/a.json", scenario("smtp/a"));
  write("smtp/notes.txt", "not a scenario");
  write("c.json", scenario("c"));
  const auto all = load_scenarios({root_.string()});
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].id, "c");
  EXPECT_EQ(all[1].id, "smtp/a");
  EXPECT_EQ(all[1].file, (root_ / "smtp/5321/a.json").string());
  EXPECT_EQ(all[2].id, "smtp/b");
}

TEST_F(ScenarioDir, SkipsSchemaAndBaselinesFolders) {
  write("smtp/a.json", scenario("smtp/a"));
  write("schema/scenario-v1.schema.json", "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}");
  write("baselines/postfix.json", "{\"facteur-baseline\": 1, \"cases\": {}}");
  write("smtp/baselines/x.json", "not even JSON");
  write("smtp/schema/y.json", "not even JSON");
  const auto all = load_scenarios({root_.string()});
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].id, "smtp/a");
}

TEST_F(ScenarioDir, AFileAndItsFolderAreLoadedOnce) {
  const std::string file = write("smtp/a.json", scenario("smtp/a"));
  write("smtp/b.json", scenario("smtp/b"));
  const auto all = load_scenarios({file, root_.string(), file});
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, "smtp/a");
  EXPECT_EQ(all[1].id, "smtp/b");
}

TEST_F(ScenarioDir, DuplicateIdsAcrossFilesAreAnError) {
  const std::string first = write("smtp/a.json", scenario("smtp/same"));
  const std::string second = write("smtp/b.json", scenario("smtp/same"));
  try {
    (void)load_scenarios({root_.string()});
    FAIL() << "duplicate ids accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), second);
    EXPECT_EQ(e.line(), 2U);  // where the second file's id stands
    EXPECT_EQ(e.column(), 8U);
    EXPECT_EQ(e.path(), "$.id");
    EXPECT_EQ(e.message(), "duplicate id 'smtp/same' (also in " + first + ")");
  }
}

TEST_F(ScenarioDir, ErrorsNameTheFile) {
  write("smtp/a.json", scenario("smtp/a"));
  const std::string bad = write("smtp/b.json", "{\"facteur\": 1,\n \"id\": \"smtp/b\", \"titel\": \"t\"}");
  try {
    (void)load_scenarios({root_.string()});
    FAIL() << "bad file accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), bad);
    EXPECT_EQ(e.line(), 2U);
    EXPECT_EQ(e.column(), 27U);
    EXPECT_EQ(e.path(), "$.titel");
  }
}

TEST_F(ScenarioDir, MissingPaths) {
  const std::string missing = (root_ / "nope.json").string();
  try {
    (void)load_scenarios({missing});
    FAIL() << "missing path accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), missing);
    EXPECT_EQ(e.line(), 1U);
    EXPECT_EQ(e.column(), 1U);
    EXPECT_EQ(e.path(), "$");
    EXPECT_EQ(e.message(), "no such file or folder");
  }
  try {
    (void)load_scenario_file(missing);
    FAIL() << "missing file accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), missing);
    EXPECT_EQ(e.message(), "cannot open the file");
  }
  EXPECT_TRUE(load_scenarios({}).empty());
  EXPECT_TRUE(load_scenarios({root_.string()}).empty());
}

}  // namespace
}  // namespace facteur::scenario
