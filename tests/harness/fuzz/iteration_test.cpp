// The scenario an input runs as (and a finding is written as): it loads, keeps the seed's steps
// before the line, and ends with the drain and the liveness connection; and the classification of
// its result into findings.
#include <gtest/gtest.h>

#include "harness/fuzz/iteration.hpp"
#include "harness/scenario/loader.hpp"

namespace facteur::fuzz {
namespace {

using json = nlohmann::ordered_json;

const json kSeed = json::parse(R"({
  "facteur": 1, "id": "smtp/5321/4.1.1.1/ehlo-ok", "title": "EHLO", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.1.1.1", "level": "MUST"}], "vars": {"x": "1"},
  "steps": [{"connect": {}}, {"ehlo": true}, {"mail": "${sender:-a@b}"}, {"quit": true}]
})");

TEST(Iteration, BuildsALoadableScenario) {
  const auto lines = seed_lines(kSeed, Protocol::smtp);
  Mutation m;
  m.name = "bare-lf-inside";
  m.detail = "a bare LF";
  m.payload = text("MAIL FROM:<a@b>\nNOOP\r\n");
  m.max_replies = 2;
  m.oracle = Oracle{"5321", "2.3.8", "MUST", "CRLF only"};
  Iteration it;
  it.seed_id = "smtp/5321/4.1.1.1/ehlo-ok";
  it.number = 7;
  Layout layout;
  const json doc = iteration_scenario(kSeed, lines[1], m, it, &layout);
  EXPECT_EQ(doc["id"], "fuzz/smtp/bare-lf-inside/ehlo-ok-s1-i7");
  EXPECT_EQ(doc["spec"][0]["section"], "2.3.8");
  EXPECT_EQ(doc["vars"]["x"], "1");
  EXPECT_EQ(layout.prefix, 2u);        // connect, ehlo
  EXPECT_EQ(layout.liveness, 5u);      // + raw, probe, drain
  const scenario::Scenario s = scenario::parse_scenario(doc.dump(), "seed.json");
  ASSERT_EQ(s.steps.size(), 6u);
  EXPECT_EQ(s.steps[2].kind, scenario::StepKind::raw);
  EXPECT_EQ(s.steps[2].replies, 0);
  EXPECT_EQ(s.steps[4].kind, scenario::StepKind::drain);
  EXPECT_EQ(s.steps[4].count, 2);
  EXPECT_EQ(s.steps[5].session, "fuzz-liveness");

  it.prefix = std::vector<std::size_t>{0};  // minimised: EHLO dropped
  const json smaller = iteration_scenario(kSeed, lines[1], m, it, &layout);
  EXPECT_EQ(layout.prefix, 1u);
  EXPECT_EQ(smaller["steps"].size(), 5u);

  m.close_after = true;
  m.sync = false;
  const json closing = iteration_scenario(kSeed, lines[1], m, it, &layout);
  EXPECT_TRUE(closing["steps"][2].contains("close"));
  EXPECT_EQ(layout.liveness, 3u);
}

report::CaseResult result(report::Outcome o, int step, report::StopKind why, std::string message) {
  report::CaseResult r;
  r.outcome = o;
  r.step = step;
  r.stop = why;
  r.message = std::move(message);
  return r;
}

TEST(Classify, EachKindFromWhereAndWhyTheCaseStopped) {
  Layout l;
  l.prefix = 2;
  l.mutation_end = 5;
  l.liveness = 5;
  using report::Outcome;
  using report::StopKind;
  EXPECT_EQ(classify(result(Outcome::pass, -1, StopKind::none, ""), l).kind, FindingKind::none);
  EXPECT_TRUE(classify(result(Outcome::fail, 1, StopKind::check, "EHLO: reply code 500"), l).setup_failed);
  EXPECT_EQ(classify(result(Outcome::error, 5, StopKind::connect, "connect: connection refused"), l).kind,
            FindingKind::crash);
  EXPECT_EQ(classify(result(Outcome::fail, 5, StopKind::check, "greeting: the server closed the connection"), l).kind,
            FindingKind::crash);
  EXPECT_EQ(classify(result(Outcome::fail, 4, StopKind::timeout, "hang: 0 of 1 replies within 500 ms"), l).kind,
            FindingKind::hang);
  EXPECT_EQ(classify(result(Outcome::error, 3, StopKind::timeout, "deadline: the case ran past its 5000 ms limit"), l).kind,
            FindingKind::hang);
  EXPECT_EQ(classify(result(Outcome::fail, 4, StopKind::malformed, "malformed reply: no code"), l).kind,
            FindingKind::unparseable);
  const Verdict inv =
      classify(result(Outcome::fail, 4, StopKind::invariant, "IMAP invariant imap.tag-unknown: tagged completion"), l);
  EXPECT_EQ(inv.kind, FindingKind::invariant);
  EXPECT_EQ(inv.key, "IMAP invariant imap.tag-unknown");
  EXPECT_EQ(classify(result(Outcome::warn, 4, StopKind::excess, "the server sent 3 replies where at most 2 were expected"),
                     l).kind,
            FindingKind::deviation);
  // The kind decides, not the wording: a reworded message classifies the same.
  EXPECT_EQ(classify(result(Outcome::fail, 4, StopKind::malformed, "reply out of grammar"), l).kind,
            FindingKind::unparseable);
  EXPECT_EQ(classify(result(Outcome::fail, 4, StopKind::check, "malformed-looking text in a check"), l).kind,
            FindingKind::none);
  // Closing or resetting on garbage is a server's right, not a finding.
  EXPECT_EQ(classify(result(Outcome::fail, 3, StopKind::io, "io: connection reset by peer"), l).kind, FindingKind::none);
  EXPECT_EQ(classify(result(Outcome::fail, 3, StopKind::io, "closed: end of stream"), l).kind, FindingKind::none);
}

}  // namespace
}  // namespace facteur::fuzz
