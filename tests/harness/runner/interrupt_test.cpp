// SIGINT during run_conformance: the run stops at once, the case in flight ends as an error with its
// transcript so far, the finished case stays as it ended, the case not started is left out.
// (The CLI side — exit 130, reports, a second signal — is tests/integration/cli_interrupt.py.)
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "harness/runner/run.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using report::Outcome;
using testing::RawConnection;

// Answers EHLO, QUIT and anything else, except a line holding HANG: that one gets the first line
// of a multi-line reply, then nothing until the client goes.
void hangs_on_request(RawConnection& c, std::atomic<int>& hanging) {
  c.send("220 hang.test ESMTP\r\n");
  for (;;) {
    const std::string line = c.read_line(10s);
    if (line.empty()) return;
    if (line.find("HANG") != std::string::npos) {
      c.send("250-partial\r\n");
      ++hanging;
      c.wait_closed(30s);
      return;
    }
    if (line.rfind("QUIT", 0) == 0) {
      c.send("221 2.0.0 Bye\r\n");
      return;
    }
    c.send(line.rfind("EHLO", 0) == 0 ? "250-hang.test\r\n250 8BITMIME\r\n" : "250 2.0.0 Ok\r\n");
  }
}

scenario::Scenario smtp_case(const std::string& name, const std::string& last_step) {
  return testing::inline_scenario(R"({"facteur": 1, "id": "smtp/test/)" + name + R"(", "title": "t",
    "protocol": "smtp", "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}],
    "steps": [{"connect": {}}, {"ehlo": "client.test"}, )" + last_step + "]}");
}

TEST(RunInterrupted, CaseInFlightEndsAsAnErrorWithItsTranscript) {
  std::atomic<int> hanging{0};
  testing::RawServer server([&](RawConnection& c) { hangs_on_request(c, hanging); });
  runner::RunOptions options;
  options.settings = testing::local_settings("smtp", server.port());
  options.settings.reply_timeout = 30s;
  options.settings.case_timeout = 60s;
  options.jobs = 1;
  // The baseline lists the case cut short: an interrupted case is neither excused nor stale.
  options.baseline = runner::Baseline{"baseline.json", "", {{"smtp/test/b-hang", "pretend it fails"}}};
  const std::vector<scenario::Scenario> scenarios{smtp_case("a-quick", R"({"quit": true})"),
                                                  smtp_case("b-hang", R"({"send": "NOOP HANG", "expect": 250})"),
                                                  smtp_case("c-never", R"({"quit": true})")};
  std::thread interrupter([&] {
    for (int i = 0; i < 200 && hanging == 0; ++i) std::this_thread::sleep_for(50ms);
    std::this_thread::sleep_for(100ms);
    ::kill(::getpid(), SIGINT);
  });
  const auto started = std::chrono::steady_clock::now();
  const report::RunResult result = runner::run_conformance(scenarios, options);
  interrupter.join();

  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s) << "the signal must not wait for the reply timeout";
  EXPECT_TRUE(result.interrupted);
  EXPECT_EQ(result.exit_code(), 130);
  ASSERT_EQ(result.cases.size(), 2u);
  EXPECT_EQ(result.cases[0].id, "smtp/test/a-quick");
  EXPECT_EQ(result.cases[0].outcome, Outcome::pass);
  const report::CaseResult& cut = result.cases[1];
  EXPECT_EQ(cut.id, "smtp/test/b-hang");
  EXPECT_EQ(cut.outcome, Outcome::error);
  EXPECT_TRUE(cut.message.starts_with("interrupted by SIGINT after ")) << cut.message;
  EXPECT_TRUE(cut.message.ends_with(" ms (step 2)")) << cut.message;
  EXPECT_EQ(cut.step, 2);
  EXPECT_GT(cut.duration_ms, 0);
  EXPECT_FALSE(cut.baseline_reason.has_value());
  EXPECT_FALSE(cut.baseline_stale);
  std::vector<std::string> lines;
  for (const auto& line : cut.transcript) lines.push_back(std::string(1, line.dir) + " " + line.text);
  const auto has = [&](const std::string& text) { return std::find(lines.begin(), lines.end(), text) != lines.end(); };
  EXPECT_TRUE(has("< 220 hang.test ESMTP"));
  EXPECT_TRUE(has("> NOOP HANG"));
  EXPECT_TRUE(has("< 250-partial")) << "what arrived but was not yet a whole reply is part of the transcript";
}

}  // namespace
}  // namespace facteur
