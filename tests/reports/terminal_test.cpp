#include <gtest/gtest.h>

#include <regex>

#include "reports/render.hpp"
#include "sample_run.hpp"
#include "test_files.hpp"

namespace facteur::report {
namespace {

using testing::lines_of;
using testing::make_case;
using testing::sample_run;

TEST(Terminal, OneLinePerNonPassingCaseThenCounts) {
  const std::string out = render_terminal(sample_run());
  EXPECT_EQ(lines_of(out), (std::vector<std::string>{
      "FAIL smtp/5321/4.1.1.5/rset-clears-transaction — RSET did not clear | the `transaction`",
      "    expected: 503 <bad sequence>",
      "    actual:   250 <b>ok</b> & \"quoted\" ]]> \\x01\\x7F \\x1B[31mred \\xFF\\xFE end",
      "WARN smtp/5321/4.5.3.1/line-length — accepted a 1001-octet line",
      "    expected: 500",
      "    actual:   250",
      "SKIP imap/9051/6.2.1/starttls — server lacks STARTTLS",
      "ERROR pop3/1939/5/stat — deadline: no reply in 5000 ms",
      "BASELINED smtp/5321/4.1.4/helo-twice — second HELO rejected (baseline: known bug #12)",
      "STALE smtp/5321/3.3/mail-from-null — baselined case now passes: remove it from the baseline",
      "1 warned, 1 baselined",
      "1 passed, 3 failed, 1 skipped",
  })) << out;
  EXPECT_EQ(out.back(), '\n');
}

TEST(Terminal, LastLineIsTheParseableCountsLine) {
  const std::regex format(R"(\d+ passed, \d+ failed(, \d+ skipped)?)");
  RunResult r;
  EXPECT_EQ(lines_of(render_terminal(r)).back(), "0 passed, 0 failed");
  for (int i = 0; i < 52; ++i) r.cases.push_back(make_case("smtp/1/2/p" + std::to_string(i), Outcome::pass));
  for (int i = 0; i < 3; ++i) r.cases.push_back(make_case("smtp/1/2/s" + std::to_string(i), Outcome::skip));
  EXPECT_EQ(lines_of(render_terminal(r)).back(), "52 passed, 0 failed, 3 skipped");
  for (const bool color : {false, true}) {
    for (const bool verbose : {false, true}) {
      const std::string last = lines_of(render_terminal(sample_run(), {color, verbose})).back();
      EXPECT_TRUE(std::regex_match(last, format)) << last;
    }
  }
}

TEST(Terminal, ServerTextCannotDriveTheTerminal) {
  RunResult r;
  CaseResult c = make_case("smtp/1/2/x", Outcome::fail);
  c.message = "bad\x1b]0;title\x07\nsecond line";
  c.actual = "line 1\nline 2\x1b[2J";
  r.cases.push_back(c);
  const std::string out = render_terminal(r);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(lines_of(out), (std::vector<std::string>{
      "FAIL smtp/1/2/x — bad\\x1B]0;title\\x07\\x0Asecond line",
      "    actual:   line 1",
      "              line 2\\x1B[2J",
      "0 passed, 1 failed",
  })) << out;
}

TEST(Terminal, VerboseListsPassingCases) {
  const std::string quiet = render_terminal(sample_run());
  const std::string verbose = render_terminal(sample_run(), {.color = false, .verbose = true});
  EXPECT_EQ(quiet.find("PASS smtp/5321/4.1.1.1/ehlo-greets"), std::string::npos);
  EXPECT_EQ(lines_of(verbose).at(0), "PASS smtp/5321/4.1.1.1/ehlo-greets");
}

TEST(Terminal, ColorMarksLabelsButNotTheLastLine) {
  const std::string out = render_terminal(sample_run(), {.color = true, .verbose = false});
  EXPECT_NE(out.find("\x1b[1;31mFAIL\x1b[0m smtp/5321/4.1.1.5/rset-clears-transaction"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[33mWARN\x1b[0m "), std::string::npos);
  EXPECT_EQ(lines_of(out).back(), "1 passed, 3 failed, 1 skipped");
}

TEST(Terminal, InterruptedAndUnreachableAreSaid) {
  RunResult r;
  CaseResult c = make_case("smtp/1/2/x", Outcome::error);
  c.message = "connect: connection refused";
  r.cases.push_back(c);
  std::vector<std::string> lines = lines_of(render_terminal(r));
  EXPECT_EQ(lines.at(lines.size() - 2), "target unreachable: every case failed to connect or negotiate TLS");
  r.interrupted = true;
  lines = lines_of(render_terminal(r));
  EXPECT_EQ(lines.at(lines.size() - 2), "interrupted: the results are partial");
  EXPECT_EQ(lines.back(), "0 passed, 1 failed");
}

}  // namespace
}  // namespace facteur::report
