// engine::match on the IMAP and POP3 expectation keys, without any server: untagged responses in
// any order or in order (with the closest mismatch as the reason), not_untagged, tagged, POP3 body
// lines, capabilities for present/absent, templates in patterns, and bindings kept only on success.
// Expectations are read from JSON by the scenario loader, as a scenario would give them.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/engine/matcher.hpp"
#include "harness/imap/response.hpp"
#include "harness/scenario/loader.hpp"

namespace facteur::engine {
namespace {

using scenario::ExpectSet;
using scenario::Vars;

// The expectation of a step, as the loader reads it: `json` is the value of "expect".
ExpectSet expect(const std::string& json) {
  const std::string text = R"j({"facteur": 1, "id": "test/matcher", "title": "t", "protocol": "imap",
      "spec": [{"rfc": "9051", "section": "7", "level": "MUST"}],
      "steps": [{"connect": {}}, {"send": "NOOP", "expect": )j" +
                           json + "}]}";
  const scenario::Scenario s = scenario::parse_scenario(text, "inline.json");
  return *s.steps.at(1).expect;
}

imap::Response parsed(const std::string& line) {
  const imap::ParseResult p = imap::parse_response(line + "\r\n");
  EXPECT_EQ(p.status, imap::ParseStatus::complete) << line << ": " << p.error;
  return p.response;
}

// What the engine gathers for one IMAP command: its untagged responses and its completion.
ReplyFacts imap_reply(const std::vector<std::string>& untagged, const std::string& tagged = "F001 OK done") {
  ReplyFacts f;
  for (const auto& line : untagged) f.untagged.push_back(parsed(line));
  f.tagged = parsed(tagged);
  f.status = f.tagged->status;
  f.lines = {f.tagged->text};
  return f;
}

// A POP3 multi-line response: `kept` body lines of `count`.
ReplyFacts pop3_body(std::vector<std::string> kept, std::size_t count = 0) {
  ReplyFacts f;
  f.status = "+OK";
  f.lines = {"message follows"};
  f.has_body = true;
  f.body_lines = count ? count : kept.size();
  f.body = std::move(kept);
  return f;
}

// Why the expectation does not hold ("" when it does); bindings land in `vars`.
std::string why(const std::string& json, const ReplyFacts& reply, Vars& vars, const Expander& expand = {}) {
  const MatchResult r = match(expect(json), reply, vars, expand);
  EXPECT_EQ(r.ok, r.why.empty()) << r.why;
  return r.ok ? "" : r.why;
}

std::string why(const std::string& json, const ReplyFacts& reply) {
  Vars vars;
  return why(json, reply, vars);
}

// Expands ${…} from `vars` (as CaseRun::expander does from the case's variables).
Expander expander(const Vars& vars) {
  return [&vars](const std::string& text) {
    scenario::TemplateContext ctx;
    return scenario::expand(text, vars, ctx);
  };
}

const std::vector<std::string> kSelect{
    "* FLAGS (\\Answered \\Seen \\Deleted)",
    "* 3 EXISTS",
    "* 0 RECENT",
    "* OK [UIDVALIDITY 42] UIDs valid",
    "* OK [UIDNEXT 4] predicted",
};

// --- untagged -------------------------------------------------------------------------------------

TEST(MatchImapUntagged, AnyOrderAndBindings) {
  Vars vars;
  EXPECT_EQ(why(R"j({"untagged": ["* OK [UIDVALIDITY $uv]", "* $n EXISTS", "* FLAGS ($!unordered \\Seen $*)"]})j",
                imap_reply(kSelect), vars),
            "");
  EXPECT_EQ(vars["uv"], "42");
  EXPECT_EQ(vars["n"], "3");
}

TEST(MatchImapUntagged, EachPatternTakesADistinctResponse) {
  EXPECT_EQ(why(R"j({"untagged": ["* $ EXISTS", "* $ RECENT"]})j", imap_reply(kSelect)), "");
  EXPECT_EQ(why(R"j({"untagged": ["* $ EXISTS", "* $ EXISTS"]})j", imap_reply(kSelect)),
            "no untagged response matches '* $ EXISTS'");
  EXPECT_EQ(why(R"j({"untagged": ["* $ EXISTS", "* $ EXISTS"]})j", imap_reply({"* 3 EXISTS", "* 4 EXISTS"})), "");
}

TEST(MatchImapUntagged, OrderedFollowsTheWireOrder) {
  EXPECT_EQ(why(R"j({"ordered": true, "untagged": ["* FLAGS $", "* $ EXISTS", "* OK [UIDNEXT $]"]})j",
                imap_reply(kSelect)),
            "");
  EXPECT_EQ(why(R"j({"ordered": true, "untagged": ["* $ EXISTS", "* FLAGS $"]})j", imap_reply(kSelect)),
            "no untagged response matches '* FLAGS $' (in order)");
  // Unordered, the same list holds.
  EXPECT_EQ(why(R"j({"untagged": ["* $ EXISTS", "* FLAGS $"]})j", imap_reply(kSelect)), "");
}

TEST(MatchImapUntagged, ReasonComesFromTheClosestResponse) {
  // A response of the same name says what differed; none of that name: just the pattern.
  EXPECT_EQ(why(R"j({"untagged": "* 5 EXISTS"})j", imap_reply(kSelect)),
            "no untagged response matches '* 5 EXISTS': item 1: expected 5, found 3");
  EXPECT_EQ(why(R"j({"untagged": "* 1 EXPUNGE"})j", imap_reply(kSelect)), "no untagged response matches '* 1 EXPUNGE'");
  EXPECT_EQ(why(R"j({"untagged": "* $ EXISTS"})j", imap_reply({})), "no untagged response matches '* $ EXISTS'");
}

TEST(MatchImapUntagged, BoundVariableMustMatchAgain) {
  Vars vars{{"uv", "42"}};
  EXPECT_EQ(why(R"j({"untagged": "* OK [UIDVALIDITY $uv]"})j", imap_reply(kSelect), vars), "");
  vars["uv"] = "41";
  EXPECT_NE(why(R"j({"untagged": "* OK [UIDVALIDITY $uv]"})j", imap_reply(kSelect), vars), "");
  EXPECT_EQ(vars["uv"], "41");
}

TEST(MatchImapNotUntagged, ForbiddenResponseIsNamed) {
  EXPECT_EQ(why(R"j({"not_untagged": "* BYE"})j", imap_reply(kSelect)), "");
  EXPECT_EQ(why(R"j({"not_untagged": ["* BYE", "* $ EXPUNGE"]})j", imap_reply({"* 3 EXISTS", "* 2 EXPUNGE"})),
            "unexpected untagged response * 2 EXPUNGE (matches '* $ EXPUNGE')");
  EXPECT_EQ(why(R"j({"not_untagged": "* BYE"})j", imap_reply({"* BYE [ALERT] shutting down"})),
            "unexpected untagged response * BYE [ALERT] (matches '* BYE')");
}

TEST(MatchImapNotUntagged, NeverBinds) {
  Vars vars;
  EXPECT_EQ(why(R"j({"not_untagged": "* $n EXPUNGE", "untagged": "* $m EXISTS"})j", imap_reply(kSelect), vars), "");
  EXPECT_EQ(vars.count("n"), 0u);
  EXPECT_EQ(vars["m"], "3");
}

// --- tagged ---------------------------------------------------------------------------------------

TEST(MatchImapTagged, AppenduidBindsBothNumbers) {
  Vars vars;
  EXPECT_EQ(why(R"j({"tagged": "OK [APPENDUID $v $uid]"})j", imap_reply({}, "F007 OK [APPENDUID 42 7] appended"), vars),
            "");
  EXPECT_EQ(vars["v"], "42");
  EXPECT_EQ(vars["uid"], "7");
}

TEST(MatchImapTagged, Mismatches) {
  EXPECT_EQ(why(R"j({"tagged": "OK [APPENDUID $v $uid]"})j", imap_reply({}, "F007 OK appended")),
            "tagged completion does not match 'OK [APPENDUID $v $uid]': no response code, expected [APPENDUID $v $uid]");
  EXPECT_NE(why(R"j({"tagged": "OK [APPENDUID $v $uid]"})j", imap_reply({}, "F007 NO [APPENDUID 42 7] x")), "");
  EXPECT_EQ(why(R"j({"tagged": "NO [TRYCREATE]"})j", imap_reply({}, "F007 NO [TRYCREATE] no such mailbox")), "");
  ReplyFacts untagged_only = imap_reply(kSelect);
  untagged_only.tagged.reset();
  EXPECT_EQ(why(R"j({"tagged": "OK"})j", untagged_only), "no tagged completion to match 'OK'");
}

// --- POP3 body lines ------------------------------------------------------------------------------

TEST(MatchPop3Body, LinesNotLinesAndLineCount) {
  const ReplyFacts body = pop3_body({"Subject: hello", "X-Spam: no", "", "body text"});
  EXPECT_EQ(why(R"j({"lines": ["^Subject: hello$", "^body"], "line_count": 4})j", body), "");
  EXPECT_EQ(why(R"j({"lines": "^From: "})j", body), "no body line matches /^From: /");
  EXPECT_EQ(why(R"j({"not_lines": "^X-Spam: yes"})j", body), "");
  EXPECT_EQ(why(R"j({"not_lines": ["^X-Virus", "^X-Spam"]})j", body), "body line 'X-Spam: no' matches /^X-Spam/");
  EXPECT_EQ(why(R"j({"line_count": 5})j", body), "the body has 4 lines, expected 5");
}

TEST(MatchPop3Body, LineCountCountsLinesThatWereNotKept) {
  // The framer keeps the first lines of a long body and counts the rest.
  const ReplyFacts body = pop3_body({"1 120", "2 200"}, 150000);
  EXPECT_EQ(why(R"j({"line_count": 150000, "lines": "^2 200$"})j", body), "");
  EXPECT_EQ(why(R"j({"line_count": 2})j", body), "the body has 150000 lines, expected 2");
}

// --- capabilities ---------------------------------------------------------------------------------

TEST(MatchCapabilities, PresentAndAbsentIgnoreCase) {
  ReplyFacts caps = imap_reply({"* CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN"});
  caps.capabilities = std::set<std::string>{"IMAP4REV1", "IDLE", "AUTH=PLAIN"};
  EXPECT_EQ(why(R"j({"present": ["idle", "AUTH=plain"], "absent": ["LOGINDISABLED", "STARTTLS"]})j", caps), "");
  EXPECT_EQ(why(R"j({"present": ["IDLE", "STARTTLS"]})j", caps), "STARTTLS is not announced");
  EXPECT_EQ(why(R"j({"absent": "IDLE"})j", caps), "IDLE is announced");
}

TEST(MatchCapabilities, PresentNeedsAnnouncedCapabilities) {
  EXPECT_EQ(why(R"j({"present": "IDLE"})j", imap_reply({})),
            "the reply announces no capabilities (EHLO, IMAP CAPABILITY or POP3 CAPA)");
  ReplyFacts none = imap_reply({});
  none.capabilities.emplace();  // CAPABILITY with an empty list: announced, and nothing in it
  EXPECT_EQ(why(R"j({"absent": "IDLE"})j", none), "");
  EXPECT_EQ(why(R"j({"present": "IDLE"})j", none), "IDLE is not announced");
}

// --- templates -------------------------------------------------------------------------------------

TEST(MatchTemplates, ImapPatternsAreExpandedFirst) {
  Vars vars{{"uv", "42"}, {"box", "Sent Items"}};
  const auto expand = expander(vars);
  EXPECT_EQ(why(R"j({"untagged": "* OK [UIDVALIDITY ${uv}]"})j", imap_reply(kSelect), vars, expand), "");
  EXPECT_EQ(why(R"j({"untagged": "* LIST ($*) \"/\" \"${box}\""})j",
                imap_reply({"* LIST (\\HasNoChildren) \"/\" \"Sent Items\""}), vars, expand),
            "");
  vars["uv"] = "43";
  EXPECT_EQ(why(R"j({"untagged": "* OK [UIDVALIDITY ${uv}]"})j", imap_reply(kSelect), vars, expand),
            "no untagged response matches '* OK [UIDVALIDITY 43]': code [UIDVALIDITY]: item 2: expected 43, found 42");
}

TEST(MatchTemplates, RegularExpressionsAreExpandedFirst) {
  Vars vars{{"uid", "uid-17"}, {"who", "alice"}};
  const auto expand = expander(vars);
  const ReplyFacts body = pop3_body({"1 uid-17", "2 uid-18"});
  EXPECT_EQ(why(R"j({"lines": "^1 ${uid}$", "not_lines": "^2 ${uid}$"})j", body, vars, expand), "");
  EXPECT_EQ(why(R"j({"not_lines": " ${uid}$"})j", body, vars, expand), "body line '1 uid-17' matches / uid-17$/");
  ReplyFacts text = imap_reply({}, "F001 OK hello alice");
  EXPECT_EQ(why(R"j({"text": "hello ${who}$"})j", text, vars, expand), "");
  // Without an expander the expression is the loader's placeholder shape and does not match.
  EXPECT_NE(why(R"j({"text": "hello ${who}$"})j", text, vars), "");
}

TEST(MatchTemplates, CapturePatternsAreExpandedToo) {
  Vars vars{{"user", "alice"}};
  const auto expand = expander(vars);
  ReplyFacts reply = imap_reply({}, "F001 OK logged in as alice-9f3");
  EXPECT_EQ(why(R"j({"capture": {"session": "${user}-(\\w+)"}})j", reply, vars, expand), "");
  EXPECT_EQ(vars["session"], "9f3");
}

TEST(MatchTemplates, ValueThatBreaksTheExpressionIsMatchedAsText) {
  // "a(b" makes "^Subject: a(b$" invalid: the whole expanded expression is then matched as
  // literal text (anchors included), so it can still match a line that holds it verbatim.
  Vars vars{{"s", "a(b"}};
  const auto expand = expander(vars);
  EXPECT_EQ(why(R"j({"lines": "Subject: ${s}"})j", pop3_body({"Subject: a(b"}), vars, expand), "");
  EXPECT_EQ(why(R"j({"lines": "Subject: ${s}"})j", pop3_body({"Subject: ab"}), vars, expand),
            "no body line matches /Subject: a(b/");
}

// A variable's value goes into a regular expression as it is: its metacharacters are live. A
// captured UIDL "ab+c" then matches "abbc" and not itself, and a value that breaks the expression
// turns the scenario's own anchors into literal text ("^1 a(b$" can match no line). Reported to
// the lead: values should be escaped when inserted into a regular expression (matcher.cpp
// compiled()), a change of documented behaviour that is theirs to make (a shipped scenario,
// pop3/1939/7-apop-timestamp-unique, relies on a value's dots matching any character). Enable
// once values are inserted literally.
TEST(MatchTemplates, DISABLED_VariableValuesAreLiteralInRegularExpressions) {
  Vars vars{{"uid", "ab+c"}, {"odd", "a(b"}};
  const auto expand = expander(vars);
  EXPECT_EQ(why(R"j({"lines": "^1 ${uid}$"})j", pop3_body({"1 ab+c"}), vars, expand), "");
  EXPECT_NE(why(R"j({"lines": "^1 ${uid}$"})j", pop3_body({"1 abbc"}), vars, expand), "");
  EXPECT_EQ(why(R"j({"lines": "^1 ${odd}$"})j", pop3_body({"1 a(b"}), vars, expand), "");
}

// --- bindings --------------------------------------------------------------------------------------

TEST(MatchBindings, CommittedOnlyWhenTheWholeOutcomeHolds) {
  Vars vars{{"keep", "me"}};
  // $uv binds in the first pattern, then the second fails: nothing is kept.
  EXPECT_NE(why(R"j({"untagged": ["* OK [UIDVALIDITY $uv]", "* 9 EXISTS"]})j", imap_reply(kSelect), vars), "");
  EXPECT_EQ(vars.count("uv"), 0u);
  // The tagged pattern fails after the untagged ones bound: nothing is kept either.
  EXPECT_NE(why(R"j({"untagged": "* $n EXISTS", "tagged": "NO"})j", imap_reply(kSelect), vars), "");
  EXPECT_EQ(vars.count("n"), 0u);
  EXPECT_EQ(vars["keep"], "me");
}

TEST(MatchBindings, OnlyTheOutcomeThatHoldsBinds) {
  Vars vars;
  // The first acceptable outcome binds $a, then fails on its code; the second holds.
  EXPECT_EQ(why(R"j([{"code": "NO", "untagged": "* $a EXISTS"}, {"code": "OK", "untagged": "* $b RECENT"}])j",
                imap_reply(kSelect), vars),
            "");
  EXPECT_EQ(vars.count("a"), 0u);
  EXPECT_EQ(vars["b"], "0");
}

TEST(MatchBindings, FirstOutcomesReasonIsReported) {
  Vars vars;
  EXPECT_EQ(why(R"j([{"untagged": "* 9 EXISTS"}, {"tagged": "NO"}])j", imap_reply(kSelect), vars),
            "no untagged response matches '* 9 EXISTS': item 1: expected 9, found 3");
  EXPECT_TRUE(vars.empty());
}

}  // namespace
}  // namespace facteur::engine
