// The load runner against a small SMTP server of the tests: the closed model runs VUs back to back;
// the open model keeps its schedule, and a server that stalls for a second inflates the corrected
// latency (from each iteration's intended start) but not the uncorrected one; failed checks count.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "harness/runner/load_run.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::runner {
namespace {
using namespace std::chrono_literals;
using testing::RawConnection;
using testing::RawServer;

const char* kScenario = R"({
  "facteur": 1, "id": "test/load-ehlo", "title": "EHLO, NOOP, QUIT", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.1.1.1", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": true}, {"send": "NOOP", "expect": {"code": 250}}, {"quit": true}]
})";

// Answers 250 to each line and 221 to QUIT; NOOP gets 500 when `refuse_noop`; the first reply after
// `stall_at` waits a second.
struct Server {
  std::atomic<bool> refuse_noop{false};
  std::chrono::steady_clock::time_point stall_at = std::chrono::steady_clock::time_point::max();
  std::atomic<bool> stalled{false};
  std::atomic<std::uint64_t> quits{0};  // sessions that ended with QUIT: one per finished iteration
  RawServer server{[this](RawConnection& c) {
    c.send("220 test ESMTP\r\n");
    for (;;) {
      const std::string line = c.read_line(2000ms);
      if (line.empty()) return;
      if (std::chrono::steady_clock::now() >= stall_at && !stalled.exchange(true)) std::this_thread::sleep_for(1s);
      if (line.rfind("QUIT", 0) == 0) {
        ++quits;
        c.send("221 bye\r\n");
        return;
      }
      c.send(line.rfind("NOOP", 0) == 0 && refuse_noop ? "500 no\r\n" : "250 ok\r\n");
    }
  }};
};

LoadResult load(Server& s, const std::string& executor_json, std::ostream* log = nullptr) {
  LoadOptions o;
  o.settings = testing::local_settings("smtp", s.server.port());
  o.settings.reply_timeout = 3000ms;
  o.executor = *load::executor_from_json(nlohmann::json::parse(executor_json));
  o.interval = 500ms;
  o.interval_log = log;
  return run_load(testing::inline_scenario(kScenario), o);
}

double p(const load::HdrHistogram& h, double percentile) {
  return static_cast<double>(h.value_at_percentile(percentile)) / 1000.0;  // ms
}

TEST(LoadRun, ClosedModelRunsEveryStepAndChecks) {
  Server s;
  std::ostringstream log;
  const LoadResult r = load(s, R"({"executor": "constant-vus", "vus": 2, "duration": "2s"})", &log);
  EXPECT_GT(r.total.iterations, 20u);
  // What the server saw (the probe before the run quits once too): no interval lost or counted twice.
  EXPECT_EQ(r.total.iterations + 1, s.quits.load());
  EXPECT_EQ(r.total.checks_failed, 0u);
  EXPECT_EQ(r.total.checks_passed, r.total.iterations);
  for (const char* m : {"iteration", "smtp.connect", "smtp.ehlo", "smtp.noop", "smtp.quit"}) {
    ASSERT_TRUE(r.total.latency.count(m)) << m;
    EXPECT_EQ(r.total.latency.at(m).corrected.total_count(), r.total.iterations) << m;
  }
  // Closed model: no intended start to be late for.
  const auto& it = r.total.latency.at("iteration");
  EXPECT_EQ(it.corrected.value_at_percentile(99), it.uncorrected.value_at_percentile(99));
  EXPECT_FALSE(r.run.load.is_null());
  EXPECT_GE(r.run.load["intervals"].size(), 2u);
  // The interval log was written as the run went: a header, then one line per metric per interval.
  const std::string text = log.str();
  EXPECT_EQ(text.rfind("#[Histogram log format version", 0), 0u) << text.substr(0, 200);
  EXPECT_GE(r.log_lines, 2u * 5u);
  std::size_t lines = 0;
  for (std::size_t at = text.find("\nTag="); at != std::string::npos; at = text.find("\nTag=", at + 1)) ++lines;
  EXPECT_EQ(lines, r.log_lines);
  // The time series and the log add up to the totals.
  const nlohmann::json& intervals = r.run.load["intervals"];
  std::uint64_t in_series = 0;
  for (std::size_t k = 0; k < intervals.size(); ++k) {
    EXPECT_DOUBLE_EQ(intervals[k]["t"].get<double>(), 0.5 * static_cast<double>(k));
    const auto n = intervals[k]["iterations"].get<std::uint64_t>();
    in_series += n;
    EXPECT_EQ(intervals[k].contains("p99_ms"), n > 0) << intervals[k].dump();
  }
  EXPECT_EQ(in_series, r.total.iterations);
  const std::optional<load::IntervalLog> read = load::read_interval_log(text);
  ASSERT_TRUE(read.has_value());
  load::HdrHistogram logged;
  for (const load::LogInterval& li : read->intervals) {
    if (li.tag == "iteration") logged.add(li.histogram);
  }
  EXPECT_EQ(logged, it.corrected);
}

TEST(LoadRun, FailedChecksAreCountedAndSampled) {
  Server s;
  s.refuse_noop = true;
  const LoadResult r = load(s, R"({"executor": "constant-vus", "vus": 1, "iterations": 12, "duration": "30s"})");
  EXPECT_EQ(r.total.iterations, 12u);
  EXPECT_EQ(r.total.checks_failed, 12u);
  EXPECT_EQ(r.total.errors.at("check"), 12u);
  EXPECT_EQ(r.run.cases.size(), 5u);  // keep_failures
  EXPECT_FALSE(r.run.cases[0].transcript.empty());
  EXPECT_EQ(r.total.latency.at("smtp.noop").failures, 12u);
}

TEST(LoadRun, OpenModelKeepsItsScheduleAndCorrectsForAStall) {
  Server s;
  s.stall_at = std::chrono::steady_clock::now() + 1200ms;
  // A generous graceful stop: on a busy machine (ASan, CI) the backlog may take a while to drain,
  // and every scheduled iteration should still be measured.
  const LoadResult r = load(s, R"({"executor": "constant-arrival-rate", "rate": 50, "duration": "3s", "vus": 1,
                                   "max_vus": 1, "graceful_stop": "20s"})");
  ASSERT_TRUE(s.stalled);
  EXPECT_GE(r.total.iterations, 140u);
  EXPECT_LE(r.total.iterations, 151u);
  EXPECT_EQ(r.total.errors.count("dropped") ? r.total.errors.at("dropped") : 0u, 0u);
  const auto& it = r.total.latency.at("iteration");
  // The iterations queued behind the stalled one started up to a second late: from their intended
  // start they took that long. From their actual start, only the stalled one did (under 1% of them).
  EXPECT_GT(p(it.corrected, 99), 800.0);
  EXPECT_LT(p(it.uncorrected, 99), p(it.corrected, 99) / 2) << "uncorrected p99 " << p(it.uncorrected, 99);
  EXPECT_GT(p(it.uncorrected, 100), 900.0);
}

TEST(LoadRun, RampingVusFollowsItsStages) {
  Server s;
  const LoadResult r = load(s, R"({"executor": "ramping-vus", "start_vus": 0,
                                   "stages": [{"duration": "500ms", "target": 3}, {"duration": "500ms", "target": 0}]})");
  EXPECT_GT(r.total.iterations, 5u);
  EXPECT_EQ(r.total.checks_failed, 0u);
}

}  // namespace
}  // namespace facteur::runner
