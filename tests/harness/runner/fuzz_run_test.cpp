// facteur fuzz against small purpose-built servers: one that keeps every rule finds nothing, and each
// misbehaviour (dies on a NUL, hangs on a long line, answers garbage, splits a line at a bare LF) is
// found, classified, written as a scenario, and that scenario fails the same way when replayed.
#include <atomic>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/runner/fuzz_run.hpp"
#include "harness/scenario/loader.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::runner {
using fuzz::FindingKind;
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using json = nlohmann::ordered_json;
using testing::RawConnection;
using testing::RawServer;

enum class Misbehaviour { none, dies_on_nul, hangs_on_long_line, garbage_on_control, splits_on_lf };

// An SMTP server that answers 250 to every line ended by CRLF (a bare CR or LF does not end one),
// 221 to QUIT, and misbehaves as told.
struct TestServer {
  explicit TestServer(Misbehaviour m)
      : kind(m), server([this](RawConnection& c) { serve(c); }) {}

  void serve(RawConnection& c) {
    if (dead) return;  // "crashed": connections close before any greeting
    c.send("220 test ESMTP\r\n");
    std::string line;
    for (;;) {
      const std::string part = c.read_line(3000ms);
      if (part.empty()) return;
      line += part;
      const bool crlf = line.size() >= 2 && line[line.size() - 2] == '\r';
      if (!crlf && kind != Misbehaviour::splits_on_lf) continue;
      if (kind == Misbehaviour::dies_on_nul && line.find('\0') != std::string::npos) {
        dead = true;
        return;
      }
      if (kind == Misbehaviour::hangs_on_long_line && line.size() > 900) {
        c.wait_closed(10s);
        return;
      }
      const bool control = line.find_first_of(std::string("\x01\x04\x08\x0b\x0c\x1b\x1f\x7f")) != std::string::npos;
      if (kind == Misbehaviour::garbage_on_control && control) {
        c.send("hello there\r\n");
      } else if (line.rfind("QUIT", 0) == 0) {
        c.send("221 bye\r\n");
        return;
      } else {
        c.send("250 ok\r\n");
      }
      line.clear();
    }
  }

  Misbehaviour kind;
  std::atomic<bool> dead{false};
  RawServer server;
};

const char* kSeed = R"({
  "facteur": 1, "id": "test/fuzz-seed", "title": "EHLO, NOOP, QUIT", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.1.1", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": true}, {"send": "NOOP", "expect": {"code": 250}}, {"quit": true}]
})";

struct Outcome {
  FuzzResult result;
  std::string dir;
};

Outcome fuzz_it(TestServer& t, std::vector<std::string> mutations, std::uint64_t iterations) {
  static int run = 0;
  FuzzOptions o;
  o.settings = testing::local_settings("smtp", t.server.port());
  o.settings.reply_timeout = 800ms;
  o.iterations = iterations;
  o.rate = 0;
  o.minimise_runs = 6;
  o.quiet_ms = 50;
  o.mutations = std::move(mutations);
  o.findings_dir = ::testing::TempDir() + "facteur-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(++run);
  std::vector<SeedScenario> seeds;
  seeds.push_back(SeedScenario{json::parse(kSeed), testing::inline_scenario(kSeed)});
  return Outcome{run_fuzz(seeds, o), o.findings_dir};
}

// The finding replays as a scenario, and fails with the same reason.
report::CaseResult replay(const Finding& f, std::uint16_t port) {
  auto settings = testing::local_settings("smtp", port);
  settings.reply_timeout = 800ms;
  return testing::run_case_sync(scenario::load_scenario_file(f.file), settings);
}

TEST(FuzzRun, ServerThatKeepsTheRulesGivesNoFinding) {
  TestServer t(Misbehaviour::none);
  const Outcome o = fuzz_it(t, {}, 60);
  EXPECT_EQ(o.result.inputs, 60u);
  EXPECT_TRUE(o.result.findings.empty()) << o.result.run.cases.front().message;
  EXPECT_EQ(o.result.setup_failures, 0u);
  ASSERT_EQ(o.result.run.cases.size(), 1u);
  EXPECT_EQ(o.result.run.cases[0].outcome, report::Outcome::pass);
  EXPECT_EQ(o.result.run.exit_code(), 0);
  EXPECT_GE(o.result.by_mutation.size(), 8u);  // the inputs were varied
}

TEST(FuzzRun, ServerThatDiesIsACrash) {
  TestServer t(Misbehaviour::dies_on_nul);
  const Outcome o = fuzz_it(t, {"nul-byte"}, 5);
  ASSERT_EQ(o.result.findings.size(), 1u);
  EXPECT_EQ(o.result.findings[0].kind, FindingKind::crash);
  EXPECT_LT(o.result.inputs, 5u);  // the run stops: nothing more to learn from a dead server
  EXPECT_EQ(o.result.run.exit_code(), 1);
  EXPECT_THAT(o.result.run.cases[0].message, HasSubstr("[crash]"));
  const report::CaseResult again = replay(o.result.findings[0], t.server.port());
  EXPECT_NE(again.outcome, report::Outcome::pass);  // the server is still dead
}

// Fuzzes a server that misbehaves as told with one mutation: exactly one finding of `kind` (later
// inputs that find the same are counted as its duplicates); its scenario replays and fails for `why`.
Finding found(Misbehaviour m, const char* mutation, std::uint64_t inputs, FindingKind kind, const char* why) {
  TestServer t(m);
  const Outcome o = fuzz_it(t, {mutation}, inputs);
  EXPECT_EQ(o.result.findings.size(), 1u);
  if (o.result.findings.empty()) return {};
  const Finding& f = o.result.findings[0];
  EXPECT_EQ(f.kind, kind);
  const report::CaseResult again = replay(f, t.server.port());
  EXPECT_EQ(again.outcome, report::Outcome::fail);
  EXPECT_THAT(again.message, HasSubstr(why));
  return f;
}

TEST(FuzzRun, ServerThatStopsAnsweringIsAHang) {
  found(Misbehaviour::hangs_on_long_line, "overlong-verb", 2, FindingKind::hang, "hang:");
}

TEST(FuzzRun, GarbageReplyIsUnparseable) {
  const Finding f = found(Misbehaviour::garbage_on_control, "control-bytes", 3, FindingKind::unparseable,
                          "malformed reply");
  EXPECT_EQ(f.duplicates, 2);  // every input has control octets: found three times, written once
}

TEST(FuzzRun, LineSplitAtBareLfIsADeviationAndMinimised) {
  const Finding f = found(Misbehaviour::splits_on_lf, "bare-lf-inside", 4, FindingKind::deviation,
                          "replies where at most 2 were expected");
  const scenario::Scenario s = scenario::load_scenario_file(f.file);
  EXPECT_EQ(s.spec[0].rfc, "5321");
  EXPECT_EQ(s.spec[0].section, "2.3.8");
  // Minimised: the seed's EHLO was not needed, only the connection.
  ASSERT_GE(s.steps.size(), 2u);
  EXPECT_EQ(s.steps[0].kind, scenario::StepKind::connect);
  EXPECT_EQ(s.steps[1].kind, scenario::StepKind::raw);
}

TEST(FuzzRun, SameSeedSameInputs) {
  TestServer t(Misbehaviour::none);
  const Outcome a = fuzz_it(t, {}, 12), b = fuzz_it(t, {}, 12);
  EXPECT_EQ(a.result.by_mutation, b.result.by_mutation);
}

}  // namespace
}  // namespace facteur::runner
