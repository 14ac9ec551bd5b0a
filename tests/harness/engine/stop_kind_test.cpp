// Why a case stopped is carried as a kind from where it happened, so the load summary and the
// fuzzer count errors without reading messages back.
#include <gtest/gtest.h>

#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::engine {
namespace {
using namespace std::chrono_literals;
using report::StopKind;

constexpr const char* kEhlo = R"({"facteur": 1, "id": "t/kind", "title": "t", "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "4.1.1.1", "level": "MUST"}],
  "steps": [{"connect": true}, {"ehlo": "x"}, {"drain": {"quiet_ms": 100, "min": 0, "max": 0}}]})";

report::CaseResult run_against(testing::RawServer::Script script) {
  testing::RawServer server(std::move(script));
  return testing::run_case_sync(testing::inline_scenario(kEhlo), testing::local_settings("smtp", server.port()));
}

TEST(StopKind, EachFailureCarriesItsKind) {
  EXPECT_EQ(run_against([](testing::RawConnection& c) { c.read_line(2000ms); }).stop, StopKind::timeout);
  EXPECT_EQ(run_against([](testing::RawConnection& c) { c.send("2x0 hello\r\n"); }).stop, StopKind::malformed);
  EXPECT_EQ(run_against([](testing::RawConnection& c) {
              c.send("220 hi\r\n");
              c.read_line(2000ms);
              c.send("554 no\r\n");
            }).stop,
            StopKind::check);
  EXPECT_EQ(run_against([](testing::RawConnection& c) {
              c.send("220 hi\r\n");
              c.read_line(2000ms);
              c.send("250 ok\r\n250 and one more\r\n");
            }).stop,
            StopKind::excess);
  const report::CaseResult passed = run_against([](testing::RawConnection& c) {
    c.send("220 hi\r\n");
    c.read_line(2000ms);
    c.send("250 ok\r\n");
    c.wait_closed(2000ms);
  });
  EXPECT_EQ(passed.outcome, report::Outcome::pass) << passed.message;
  EXPECT_EQ(passed.stop, StopKind::none);
}

TEST(StopKind, NobodyListeningIsAConnectError) {
  std::uint16_t port = 0;
  { testing::RawServer gone([](testing::RawConnection&) {}); port = gone.port(); }
  const report::CaseResult r =
      testing::run_case_sync(testing::inline_scenario(kEhlo), testing::local_settings("smtp", port));
  EXPECT_EQ(r.outcome, report::Outcome::error);
  EXPECT_EQ(r.stop, StopKind::connect) << r.message;
}

}  // namespace
}  // namespace facteur::engine
