// The loader on bad scenarios: every error names file, line, column and $.path; folders and ids.
#include "harness/scenario/loader.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/harness/scenario/loader_test_support.hpp"

namespace facteur::scenario {
namespace {
using namespace loader_testing;
namespace fs = std::filesystem;

TEST(LoaderErrors, FalseIsNotAWayToSkipAStep) {
  for (const char* kind : {"connect", "quit", "data", "ehlo", "starttls", "close"}) {
    expect_step_error(std::string(R"({")") + kind + R"(": false})", "false}",
                      std::string("$.steps[0].") + kind, "false would not skip this step; remove the step instead");
  }
}

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

// Found by fuzz_scenario_loader: a number beyond double's range is nlohmann's out_of_range, not a
// parse_error; it escaped the loader and ended `facteur validate` with std::terminate.
TEST(LoaderErrors, NumberOutOfRangeIsAScenarioError) {
  const Failure f = failure_of("{\"facteur\": 1, \"timeout_ms\": -0.5e+1021}");
  EXPECT_EQ(f.path, "$");
  EXPECT_NE(f.message.find("invalid JSON"), std::string::npos) << f.message;
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
      "(allowed: $schema, description, facteur, id, load, protocol, requires, serial, sessions, spec, steps, tags, "
      "timeout_ms, "
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
                    "unknown key 'txt' (allowed: absent, absent_headers, capture, closed, code, enhanced, headers, "
                    "line_count, lines, multiline, not_lines, not_untagged, ordered, present, tagged, text, untagged)");
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
  EXPECT_EQ(f.message, "'ehlo' is not a step of imap scenarios");

  const Failure g = failure_of(with_steps({R"({"loop": {"count": 1, "steps": [{"data": true}]}})"}, "pop3"));
  EXPECT_EQ(g.path, "$.steps[0].loop.steps[0].data");
  EXPECT_EQ(g.message, "'data' is not a step of pop3 scenarios");

  const Failure h = failure_of(with_steps({R"({"connect": true})", R"({"logout": true})"}, "pop3"));
  EXPECT_EQ(h.path, "$.steps[1].logout");
  EXPECT_EQ(h.message, "'logout' is not a step of pop3 scenarios");
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
