// summary() and exit_code(): the numbers CI acts on.
#include "reports/result.hpp"

#include <gtest/gtest.h>

#include "reports/case_view.hpp"
#include "sample_run.hpp"

namespace facteur::report {
namespace {

using testing::make_case;
using testing::sample_run;

CaseResult error_case(const std::string& message) {
  CaseResult c = make_case("smtp/5321/2/x", Outcome::error);
  c.message = message;
  return c;
}

RunResult run_of(std::vector<CaseResult> cases) {
  RunResult r;
  r.cases = std::move(cases);
  return r;
}

TEST(Outcome, NamesRoundTrip) {
  for (const Outcome o : {Outcome::pass, Outcome::fail, Outcome::warn, Outcome::skip, Outcome::error}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o);
  }
  EXPECT_STREQ(to_string(Outcome::warn), "warn");
  EXPECT_EQ(outcome_from_string("bogus"), std::nullopt);
  EXPECT_EQ(outcome_from_string("PASS"), std::nullopt);
}

TEST(Summary, CountsByOutcomeWithBaselineOnTop) {
  const Summary s = sample_run().summary();
  EXPECT_EQ(s.total, 7);
  EXPECT_EQ(s.passed, 2);   // the stale baseline entry passed too
  EXPECT_EQ(s.failed, 2);   // including the baselined one
  EXPECT_EQ(s.warned, 1);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.errored, 1);
  EXPECT_EQ(s.baselined, 1);
  EXPECT_EQ(s.baseline_stale, 1);
}

TEST(Summary, BaselineExcusesFailErrorAndWarnButNotSkip) {
  std::vector<CaseResult> cases;
  for (const Outcome o : {Outcome::fail, Outcome::error, Outcome::warn, Outcome::skip}) {
    CaseResult c = make_case("smtp/1/2/x", o);
    c.baseline_reason = "listed";
    cases.push_back(c);
  }
  EXPECT_EQ(run_of(cases).summary().baselined, 3);
}

TEST(Tally, EveryCaseIsInExactlyOneBucket) {
  const Tally t = tally(sample_run());
  EXPECT_EQ(t.passed, 1);
  EXPECT_EQ(t.failed, 1);
  EXPECT_EQ(t.errored, 1);
  EXPECT_EQ(t.stale, 1);
  EXPECT_EQ(t.warned, 1);
  EXPECT_EQ(t.skipped, 1);
  EXPECT_EQ(t.baselined, 1);
  EXPECT_EQ(t.failures(), 3);
  EXPECT_EQ(t.passed + t.failures() + t.warned + t.skipped + t.baselined, t.total);
}

TEST(ExitCode, ZeroWhenNothingFails) {
  EXPECT_EQ(run_of({}).exit_code(), 0);
  EXPECT_EQ(run_of({make_case("a/1/2/x", Outcome::pass)}).exit_code(), 0);
  // warn never fails a run; skips do not either.
  EXPECT_EQ(run_of({make_case("a/1/2/x", Outcome::warn), make_case("a/1/2/y", Outcome::skip)}).exit_code(), 0);
}

TEST(ExitCode, OneForAFailOrAnError) {
  EXPECT_EQ(run_of({make_case("a/1/2/x", Outcome::pass), make_case("a/1/2/y", Outcome::fail)}).exit_code(), 1);
  EXPECT_EQ(run_of({make_case("a/1/2/x", Outcome::pass), error_case("deadline: 5 s")}).exit_code(), 1);
  EXPECT_EQ(sample_run().exit_code(), 1);
}

TEST(ExitCode, BaselinedFailuresDoNotFailTheRun) {
  CaseResult fail = make_case("a/1/2/x", Outcome::fail);
  fail.baseline_reason = "known";
  CaseResult error = error_case("deadline: 5 s");
  error.baseline_reason = "known";
  EXPECT_EQ(run_of({fail, error, make_case("a/1/2/z", Outcome::pass)}).exit_code(), 0);
}

TEST(ExitCode, AStaleBaselineEntryFailsTheRun) {
  CaseResult stale = make_case("a/1/2/x", Outcome::pass);
  stale.baseline_reason = "known";
  stale.baseline_stale = true;
  EXPECT_EQ(run_of({stale}).exit_code(), 1);
}

TEST(ExitCode, ThreeWhenEveryCaseFailedToConnect) {
  EXPECT_EQ(run_of({error_case("connect: connection refused")}).exit_code(), 3);
  EXPECT_EQ(run_of({error_case("connect: refused"), error_case("tls: handshake failed")}).exit_code(), 3);
  // Unreachable wins over the baseline: nothing was tested.
  CaseResult baselined = error_case("connect: refused");
  baselined.baseline_reason = "known";
  EXPECT_EQ(run_of({baselined, error_case("connect: refused")}).exit_code(), 3);
}

TEST(ExitCode, SkippedCasesDoNotHideAnUnreachableTarget) {
  EXPECT_EQ(run_of({error_case("connect: refused"), make_case("a/1/2/y", Outcome::skip)}).exit_code(), 3);
  EXPECT_EQ(run_of({make_case("a/1/2/y", Outcome::skip)}).exit_code(), 0);
}

TEST(ExitCode, NotUnreachableWhenSomethingReachedTheServer) {
  EXPECT_EQ(run_of({error_case("connect: refused"), error_case("deadline: no greeting")}).exit_code(), 1);
  EXPECT_EQ(run_of({error_case("connect: refused"), make_case("a/1/2/y", Outcome::pass)}).exit_code(), 1);
  EXPECT_EQ(run_of({error_case("connection refused")}).exit_code(), 1);  // prefix is "connect:"
}

TEST(ExitCode, InterruptedIs130WhateverTheCases) {
  RunResult r = sample_run();
  r.interrupted = true;
  EXPECT_EQ(r.exit_code(), 130);
  EXPECT_EQ(run_of({}).exit_code(), 0);
  RunResult empty;
  empty.interrupted = true;
  EXPECT_EQ(empty.exit_code(), 130);
}

TEST(RunVerdict, FollowsTheExitCode) {
  EXPECT_STREQ(run_verdict(run_of({make_case("a/1/2/x", Outcome::pass)})), "PASSED");
  EXPECT_STREQ(run_verdict(sample_run()), "FAILED");
  EXPECT_STREQ(run_verdict(run_of({error_case("tls: bad certificate")})), "UNREACHABLE");
  RunResult r = sample_run();
  r.interrupted = true;
  EXPECT_STREQ(run_verdict(r), "INTERRUPTED");
}

}  // namespace
}  // namespace facteur::report
