#include <gtest/gtest.h>

#include "reports/render.hpp"
#include "sample_run.hpp"
#include "test_files.hpp"

namespace facteur::report {
namespace {

using testing::make_case;
using testing::sample_run;

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Markdown, HeadlineHasVerdictAndCounts) {
  const std::string md = render_markdown(sample_run());
  EXPECT_EQ(testing::lines_of(md).at(0), "## ❌ facteur FAILED: 1 passed, 3 failed, 1 skipped, 1 warned, 1 baselined");
  EXPECT_TRUE(has(md, "7 cases against smtp://mx.lab:25 in 1.2 s · facteur 0.1.0 · baseline baseline.json"));
}

TEST(Markdown, TableListsEveryNonPassingCaseEscaped) {
  const std::string md = render_markdown(sample_run());
  EXPECT_TRUE(has(md, "| Outcome | Case | Level | Message |\n|---|---|---|---|\n"));
  EXPECT_TRUE(has(md, "| FAIL | smtp/5321/4.1.1.5/rset-clears-transaction | MUST | RSET did not clear \\| the \\`transaction\\` |\n"))
      << md;
  EXPECT_TRUE(has(md, "| WARN | smtp/5321/4.5.3.1/line-length | SHOULD | accepted a 1001-octet line |\n"));
  EXPECT_TRUE(has(md, "| SKIP | imap/9051/6.2.1/starttls | MUST | server lacks STARTTLS |\n"));
  EXPECT_TRUE(has(md, "| ERROR | pop3/1939/5/stat | MUST | deadline: no reply in 5000 ms |\n"));
  EXPECT_TRUE(has(md, "| BASELINED | smtp/5321/4.1.4/helo-twice | MUST | second HELO rejected (baseline: known bug \\#12) |\n"));
  EXPECT_TRUE(has(md, "| STALE | smtp/5321/3.3/mail-from-null | MUST | baselined case now passes: remove it from the baseline |\n"));
  EXPECT_FALSE(has(md, "ehlo-greets"));
  EXPECT_EQ(count(md, "\n| "), 7);  // header + 6 rows
}

TEST(Markdown, CellsCannotBreakTheTableOrInjectHtml) {
  RunResult r;
  CaseResult c = make_case("smtp/1/2/x", Outcome::fail);
  c.message = "a|b\nc <script>alert(1)</script> \x1b[2J";
  r.cases.push_back(c);
  const std::string md = render_markdown(r);
  EXPECT_TRUE(has(md, "| FAIL | smtp/1/2/x | MUST | a\\|b\\\\x0Ac \\<script\\>alert(1)\\</script\\> \\\\x1B\\[2J |\n")) << md;
  EXPECT_FALSE(has(md, "<script>"));
  EXPECT_FALSE(has(md, "\x1b"));
}

TEST(Markdown, DetailsForFailuresErrorsAndWarnings) {
  const std::string md = render_markdown(sample_run());
  EXPECT_EQ(count(md, "<details>"), 3);
  EXPECT_EQ(count(md, "</details>"), 3);
  EXPECT_TRUE(has(md, "<details><summary>FAIL smtp/5321/4.1.1.5/rset-clears-transaction — RSET did not clear | the `transaction`</summary>\n\n```text\n"))
      << md;
  EXPECT_TRUE(has(md, "expected: 503 <bad sequence>\n"));  // inside the code block: literal
  EXPECT_TRUE(has(md, "[     2.5 ms] main < 250 <b>ok</b> & \"quoted\" ]]> \\x01\\x7F \\x1B[31mred \\xFF\\xFE end\n"))
      << md;
  EXPECT_FALSE(has(md, "\x1b"));
}

TEST(Markdown, LongTranscriptsAreCapped) {
  RunResult r;
  CaseResult c = make_case("smtp/1/2/x", Outcome::fail);
  for (int i = 0; i < 100; ++i) c.transcript.push_back({1.0 * i, "main", '<', "line " + std::to_string(i)});
  r.cases.push_back(c);
  const std::string md = render_markdown(r);
  EXPECT_TRUE(has(md, "main < line 9\n… 70 more lines\n[    80.0 ms] main < line 80\n")) << md;
  EXPECT_FALSE(has(md, "line 10\n"));
  EXPECT_TRUE(has(md, "line 99\n"));
}

TEST(Markdown, FenceIsLongerThanAnyBacktickRunInTheContent) {
  RunResult r;
  CaseResult c = make_case("smtp/1/2/x", Outcome::fail);
  c.actual = "```` not the end";
  r.cases.push_back(c);
  const std::string md = render_markdown(r);
  EXPECT_TRUE(has(md, "\n`````text\n")) << md;
  EXPECT_TRUE(has(md, "actual:   ```` not the end\n`````\n"));
}

TEST(Markdown, AllPassedAndEmptyRuns) {
  RunResult r;
  EXPECT_TRUE(has(render_markdown(r), "No cases ran.\n"));
  r.cases.push_back(make_case("smtp/1/2/x", Outcome::pass));
  const std::string md = render_markdown(r);
  EXPECT_EQ(testing::lines_of(md).at(0), "## ✅ facteur PASSED: 1 passed, 0 failed");
  EXPECT_TRUE(has(md, "All 1 cases passed.\n"));
  EXPECT_FALSE(has(md, "| Outcome"));
}

}  // namespace
}  // namespace facteur::report
