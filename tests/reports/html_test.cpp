#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "sample_run.hpp"

namespace facteur::report {
namespace {

using testing::make_case;
using testing::sample_run;

// Data that would be markup if it reached the page raw.
RunResult hostile_run() {
  RunResult r = sample_run();
  r.target = "smtp://<script>alert(1)</script>";
  r.environment["<img src=x>"] = "<iframe>";
  r.cases[1].title = "<style>body{display:none}</style>";
  r.cases[1].tags.push_back("<tag>");
  r.cases[3].message = "</td></tr></table><h1>owned</h1>";
  r.cases[1].file = "\"><svg onload=alert(1)>";
  return r;
}

// The tag names the renderer writes; any other "<name" came from data.
const std::set<std::string> kOwnTags = {
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "strong", "dl", "dt",
    "dd", "main", "div", "input", "label", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
    "code", "pre"};

TEST(Html, NoMarkupFromData) {
  const std::string page = render_html(hostile_run());
  for (auto at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    std::size_t end = at + 1;
    if (end < page.size() && page[end] == '/') ++end;
    std::size_t name_end = end;
    while (name_end < page.size() && (std::isalnum(static_cast<unsigned char>(page[name_end])) || page[name_end] == '!')) {
      ++name_end;
    }
    const std::string name = page.substr(end, name_end - end);
    EXPECT_TRUE(kOwnTags.count(name)) << "unexpected <" << name << " at " << page.substr(at, 60);
  }
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;owned&lt;/h1&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;&gt;&lt;svg onload=alert(1)&gt;"), std::string::npos);
}

TEST(Html, NoControlBytesOrInvalidUtf8) {
  const std::string page = render_html(sample_run());
  for (const char c : page) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 || c == '\n') << "byte " << int(b);
  }
  EXPECT_EQ(detail::valid_utf8(page), page);
  EXPECT_NE(page.find("main &lt; 250 &lt;b&gt;ok&lt;/b&gt; &amp; &quot;quoted&quot; ]]&gt; \\x01\\x7F \\x1B[31mred "
                      "\\xFF\\xFE end"),
            std::string::npos);
}

TEST(Html, SummaryHeader) {
  const std::string page = render_html(sample_run());
  EXPECT_NE(page.find("<header class=\"run-failed\">\n<h1>facteur FAILED</h1>\n"
                      "<p class=\"counts\">1 passed, 3 failed, 1 skipped, 1 warned, 1 baselined</p>"),
            std::string::npos);
  EXPECT_NE(page.find("<dt>target</dt><dd>smtp://mx.lab:25</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>greeting</dt><dd>220 mx &lt;ESMTP&gt; \\x02 ready</dd>"), std::string::npos);
}

TEST(Html, EveryCaseIsARowColouredByVerdict) {
  const std::string page = render_html(sample_run());
  for (const char* row : {"<tr class=\"v-passed\"><td class=\"outcome\">PASS</td>",
                          "<tr class=\"v-failed\"><td class=\"outcome\">FAIL</td><td><details open>",
                          "<tr class=\"v-warned\"><td class=\"outcome\">WARN</td><td><details open>",
                          "<tr class=\"v-skipped\"><td class=\"outcome\">SKIP</td><td><details>",
                          "<tr class=\"v-errored\"><td class=\"outcome\">ERROR</td>",
                          "<tr class=\"v-baselined\"><td class=\"outcome\">BASELINED</td>",
                          "<tr class=\"v-stale\"><td class=\"outcome\">STALE</td>"}) {
    EXPECT_NE(page.find(row), std::string::npos) << row;
  }
  // A filter checkbox per verdict present, wired to its rows by CSS.
  EXPECT_NE(page.find("<input type=\"checkbox\" id=\"show-v-failed\" checked><label for=\"show-v-failed\">FAIL (1)</label>"),
            std::string::npos);
  EXPECT_NE(page.find("#show-v-failed:not(:checked) ~ table tr.v-failed { display: none; }"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(Html, DetailsCarryExpectedActualAndTranscript) {
  const std::string page = render_html(sample_run());
  EXPECT_NE(page.find("<div>expected</div><pre>503 &lt;bad sequence&gt;</pre>"), std::string::npos);
  EXPECT_NE(page.find("<div>transcript</div><pre>[     0.1 ms] main &lt; 220 mx.lab ESMTP\n"), std::string::npos);
  EXPECT_NE(page.find("<p>baseline: known bug #12</p>"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"message\">baselined case now passes: remove it from the baseline</p>"),
            std::string::npos);
}

}  // namespace
}  // namespace facteur::report
