// A harness that survives hostile SMTP servers: for each misbehaviour the case ends with a clear
// reason, within its deadline, with memory bounded, and nothing crashes.
#include <sys/resource.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;

const char* kEhloScenario = R"({
  "facteur": 1, "id": "test/hostile", "title": "greeting then EHLO", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}],
  "steps": [{"connect": {}}, {"ehlo": "client.test"}, {"send": "NOOP", "expect": 250}]
})";

struct Timed {
  report::CaseResult result;
  double ms;
};

Timed run_against(RawServer& server, const std::string& scheme = "smtp") {
  auto settings = testing::local_settings(scheme, server.port());
  const auto start = std::chrono::steady_clock::now();
  auto result = testing::run_case_sync(testing::inline_scenario(kEhloScenario), settings);
  return {std::move(result), std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Answers EHLO and NOOP properly; `greeting` is sent first.
void polite(RawConnection& c, const std::string& greeting) {
  c.send(greeting);
  for (;;) {
    const std::string line = c.read_line(2s);
    if (line.empty()) return;
    if (line.rfind("EHLO", 0) == 0) c.send("250-hostile.test\r\n250 PIPELINING\r\n");
    else if (line.rfind("NOOP", 0) == 0) c.send("250 2.0.0 Ok\r\n");
    else c.send("502 5.5.2 no\r\n");
  }
}

TEST(HostileSmtp, WellBehavedControlPasses) {
  RawServer server([](RawConnection& c) { polite(c, "220 ok\r\n"); });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << t.result.message;
}

TEST(HostileSmtp, LineThatNeverEndsFailsAtTheLineLimitWithBoundedMemory) {
  RawServer server([](RawConnection& c) {
    c.send("220 ");
    const std::string chunk(64 * 1024, 'a');
    for (int i = 0; i < 1024 && c.send(chunk); ++i) {}  // up to 64 MiB, never a CRLF
  });
  const long before = max_rss_kib();
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("malformed reply"), std::string::npos) << t.result.message;
  EXPECT_LT(max_rss_kib() - before, 16 * 1024) << "reading a never-ending line must not buffer it";
  EXPECT_LT(t.ms, 2000);
}

TEST(HostileSmtp, TricklingServerIsCutAtTheReplyDeadline) {
  RawServer server([](RawConnection& c) {
    for (char ch : std::string("220 slow greeting\r\n")) {
      if (!c.send(std::string(1, ch))) return;
      std::this_thread::sleep_for(200ms);  // each byte inside the per-read deadline, the reply never on time
    }
  });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("no greeting within 500 ms"), std::string::npos) << t.result.message;
  EXPECT_LT(t.ms, 1500);
}

TEST(HostileSmtp, MillionLineReplyStopsAtTheLineCountLimit) {
  RawServer server([](RawConnection& c) {
    c.send("220 ok\r\n");
    if (c.read_line(2s).empty()) return;
    std::string block;
    for (int i = 0; i < 1000; ++i) block += "250-line\r\n";
    for (int i = 0; i < 1000 && c.send(block); ++i) {}  // a million lines
  });
  const long before = max_rss_kib();
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("malformed reply"), std::string::npos) << t.result.message;
  EXPECT_LT(max_rss_kib() - before, 16 * 1024);
}

TEST(HostileSmtp, ResetInTheMiddleOfAReply) {
  RawServer server([](RawConnection& c) {
    c.send("220 ok\r\n");
    if (c.read_line(2s).empty()) return;
    c.send("250-hostile.test\r\n250-PIPEL");
    std::this_thread::sleep_for(50ms);
    c.reset();
  });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("closed"), std::string::npos) << t.result.message;
}

TEST(HostileSmtp, GarbageInsteadOfTlsIsATlsError) {
  RawServer server([](RawConnection& c) {
    c.send("this is not a TLS server hello\r\n");
    c.wait_closed(2s);
  });
  auto t = run_against(server, "smtps");
  EXPECT_EQ(t.result.outcome, Outcome::error);
  EXPECT_EQ(t.result.message.rfind("tls:", 0), 0u) << t.result.message;
}

TEST(HostileSmtp, CloseAfterGreeting) {
  RawServer server([](RawConnection& c) { c.send("220 bye at once\r\n"); });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("closed the connection"), std::string::npos) << t.result.message;
}

TEST(HostileSmtp, NulAndInvalidUtf8AreShownEscapedInTheTranscript) {
  static const char greeting[] = "220 nul\0here \xff\xfe\r\n";
  RawServer server([](RawConnection& c) { polite(c, std::string(greeting, sizeof greeting - 1)); });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << t.result.message;
  auto settings = testing::local_settings("smtp", server.port());
  settings.keep_transcripts = true;
  auto kept = testing::run_case_sync(testing::inline_scenario(kEhloScenario), settings);
  bool seen = false;
  for (const auto& line : kept.transcript) seen = seen || line.text == "220 nul\\x00here \\xFF\\xFE";
  EXPECT_TRUE(seen);
}

TEST(HostileSmtp, ServerThatNeverAnswersHonoursTheDeadline) {
  RawServer server([](RawConnection& c) { c.wait_closed(3s); });
  auto t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail);
  EXPECT_NE(t.result.message.find("no greeting within"), std::string::npos) << t.result.message;
  EXPECT_GE(t.ms, 450);
  EXPECT_LT(t.ms, 1500);
}

TEST(HostileSmtp, UnreachablePortIsAConnectError) {
  std::uint16_t port;
  { RawServer gone([](RawConnection&) {}); port = gone.port(); }
  auto settings = testing::local_settings("smtp", port);
  auto r = testing::run_case_sync(testing::inline_scenario(kEhloScenario), settings);
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message.rfind("connect:", 0), 0u) << r.message;
}

}  // namespace
}  // namespace facteur
