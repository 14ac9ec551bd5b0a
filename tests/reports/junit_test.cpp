#include <gtest/gtest.h>

#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "sample_run.hpp"
#include "test_files.hpp"

namespace facteur::report {
namespace {

using testing::sample_run;
using testing::TempDir;

bool has_xmllint() { return testing::run_command("xmllint --version >/dev/null 2>&1") == 0; }

class Junit : public ::testing::Test {
 protected:
  void SetUp() override {
    xml_ = render_junit(sample_run());
    path_ = dir_.file("junit.xml", xml_);
  }
  // XPath evaluated by xmllint on the rendered file.
  std::string xpath(const std::string& expression) const {
    std::string out = testing::capture_command("xmllint --xpath '" + expression + "' " + path_ + " 2>&1");
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  bool contains(const std::string& needle) const { return xml_.find(needle) != std::string::npos; }

  TempDir dir_;
  std::string xml_, path_;
};

TEST_F(Junit, IsWellFormedXml) {
  if (!has_xmllint()) GTEST_SKIP() << "xmllint not installed (apt-get install libxml2-utils)";
  EXPECT_EQ(testing::run_command("xmllint --noout " + path_), 0) << xml_;
  // The check can fail: the raw server text, unescaped, is not XML.
  const std::string bad = dir_.file("bad.xml", "<a>" + testing::kNastyText + "</a>");
  EXPECT_NE(testing::run_command("xmllint --noout " + bad + " 2>/dev/null"), 0);
}

TEST_F(Junit, ContainsNoForbiddenBytes) {
  for (const char c : xml_) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 || c == '\n') << "byte " << int(b);
  }
  EXPECT_EQ(detail::valid_utf8(xml_), xml_);
  EXPECT_FALSE(contains("]]>"));
  EXPECT_TRUE(contains(R"(\x01\x7F \x1B[31mred \xFF\xFE end)"));
}

TEST_F(Junit, CountsFollowTheMapping) {
  // failures: the fail and the stale entry; errors: the error; skipped: the skip and the baselined.
  EXPECT_TRUE(contains(R"(<testsuites name="facteur" tests="7" failures="2" errors="1" skipped="2" time="1.234">)"))
      << xml_;
  EXPECT_TRUE(contains(R"(<testsuite name="smtp" tests="5" failures="2" errors="0" skipped="1" time="0.062")")) << xml_;
  EXPECT_TRUE(contains(R"(<testsuite name="imap" tests="1" failures="0" errors="0" skipped="1")"));
  EXPECT_TRUE(contains(R"(<testsuite name="pop3" tests="1" failures="0" errors="1" skipped="0")"));
}

TEST_F(Junit, CaseElements) {
  EXPECT_TRUE(contains(R"(<testcase classname="smtp.5321.4.1.1.1" name="ehlo-greets" time="0.013" file="scenarios/smtp/case.json"/>)"))
      << xml_;
  EXPECT_TRUE(contains(R"(<testcase classname="smtp.5321.4.1.1.5" name="rset-clears-transaction")"));
  EXPECT_TRUE(contains(R"(<failure message="RSET did not clear | the `transaction`" type="MUST">)"));
  EXPECT_TRUE(contains(R"(<error message="deadline: no reply in 5000 ms" type="error">)"));
  EXPECT_TRUE(contains(R"(<skipped message="server lacks STARTTLS"/>)"));
  EXPECT_TRUE(contains(R"(<skipped message="baselined: known bug #12">)"));
  EXPECT_TRUE(contains(R"(<failure message="baselined case now passes: remove it from the baseline" type="stale-baseline">)"));
  EXPECT_TRUE(contains("<system-out>SHOULD-level deviation, reported as a warning (a failure under --strict)\n"
                       "accepted a 1001-octet line\nexpected: 500\nactual:   250\n"));
  EXPECT_TRUE(contains(R"(<property name="environment.greeting" value="220 mx &lt;ESMTP&gt; \x02 ready"/>)"));
}

TEST_F(Junit, TextSurvivesEscapingExactly) {
  if (!has_xmllint()) GTEST_SKIP() << "xmllint not installed";
  EXPECT_EQ(xpath("count(//testcase)"), "7");
  EXPECT_EQ(xpath("count(//failure)"), "2");
  EXPECT_EQ(xpath("count(//error)"), "1");
  EXPECT_EQ(xpath("count(//skipped)"), "2");
  // What a CI server shows is the server's text, not entities or a mangled version of it.
  const std::string failure = xpath("string(//testcase[@name=\"rset-clears-transaction\"]/failure)");
  EXPECT_NE(failure.find("expected: 503 <bad sequence>\n"), std::string::npos) << failure;
  EXPECT_NE(failure.find(R"(main < 250 <b>ok</b> & "quoted" ]]> \x01\x7F \x1B[31mred \xFF\xFE end)"), std::string::npos)
      << failure;
  EXPECT_NE(failure.find("step:     3\n"), std::string::npos);
  EXPECT_EQ(xpath("string(//testcase[@name=\"rset-clears-transaction\"]/failure/@message)"),
            "RSET did not clear | the `transaction`");
}

TEST(JunitEmpty, NoCasesIsStillValid) {
  const std::string xml = render_junit(RunResult{});
  EXPECT_NE(xml.find(R"(<testsuites name="facteur" tests="0" failures="0" errors="0" skipped="0" time="0.000">)"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<testsuite "), std::string::npos);
}

}  // namespace
}  // namespace facteur::report
