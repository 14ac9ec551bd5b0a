#include "harness/runner/baseline.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace facteur::runner {
namespace {

namespace fs = std::filesystem;
using report::CaseResult;
using report::Outcome;

class BaselineFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "facteur-baseline-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& content) const {
    const std::string path = (dir_ / "baseline.json").string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  // The message load_baseline throws for `content` ("" when it loads).
  std::string error_of(const std::string& content) const {
    try {
      (void)load_baseline(write(content));
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
  std::string path() const { return (dir_ / "baseline.json").string(); }

  fs::path dir_;
};

TEST_F(BaselineFile, Loads) {
  const std::string file = write(R"({
  "facteur-baseline": 1,
  "description": "Postfix 3.7 in the lab",
  "cases": {
    "smtp/5321/4.5.1/postmaster-without-domain": "Postfix needs a domain",
    "smtp/3030/2/bdat-last": "no CHUNKING"
  }
})");
  const Baseline b = load_baseline(file);
  EXPECT_EQ(b.file, file);
  EXPECT_EQ(b.description, "Postfix 3.7 in the lab");
  EXPECT_EQ(b.reasons, (std::map<std::string, std::string>{
                           {"smtp/3030/2/bdat-last", "no CHUNKING"},
                           {"smtp/5321/4.5.1/postmaster-without-domain", "Postfix needs a domain"}}));
}

TEST_F(BaselineFile, DescriptionIsOptionalAndCasesMayBeEmpty) {
  const Baseline b = load_baseline(write(R"({"facteur-baseline": 1, "cases": {}})"));
  EXPECT_EQ(b.description, "");
  EXPECT_TRUE(b.reasons.empty());
}

TEST_F(BaselineFile, InvalidJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"facteur-baseline\": 1,\n  \"cases\": {\"a\": \"b\",}\n}"),
            path() + ":3:22: invalid JSON in the baseline");
  EXPECT_EQ(error_of(""), path() + ":1:1: invalid JSON in the baseline");
}

TEST_F(BaselineFile, WrongShape) {
  EXPECT_EQ(error_of("[]"), path() + ":1:1: $: a baseline is an object");
  EXPECT_EQ(error_of(R"({"cases": {}})"), path() + ":1:1: $: missing \"facteur-baseline\": 1");
  EXPECT_EQ(error_of(R"({"facteur-baseline": 2, "cases": {}})"), path() + ":1:1: $: missing \"facteur-baseline\": 1");
  EXPECT_EQ(error_of(R"({"facteur-baseline": "1", "cases": {}})"), path() + ":1:1: $: missing \"facteur-baseline\": 1");
  EXPECT_EQ(error_of("{\"facteur-baseline\": 1,\n \"description\": 5, \"cases\": {}}"),
            path() + ":2:17: $.description: expected a string");
  EXPECT_EQ(error_of(R"({"facteur-baseline": 1})"), path() + ":1:1: $: missing \"cases\": {id: reason}");
  EXPECT_EQ(error_of(R"({"facteur-baseline": 1, "cases": ["a"]})"), path() + ":1:1: $: missing \"cases\": {id: reason}");
}

TEST_F(BaselineFile, EveryCaseNeedsAReasonAtItsPosition) {
  // Case ids hold '/', which a JSON Pointer escapes: the error must still find the value.
  EXPECT_EQ(error_of("{\"facteur-baseline\": 1, \"cases\": {\n"
                     "  \"smtp/5321/4.1.1/ok\": \"why\",\n"
                     "  \"smtp/5321/4.1.1/empty\": \"\"\n"
                     "}}"),
            path() + ":3:28: $.cases[\"smtp/5321/4.1.1/empty\"]: each baselined case needs a reason (a non-empty string)");
  EXPECT_EQ(error_of("{\"facteur-baseline\": 1, \"cases\": {\n  \"simple\": true}}"),
            path() + ":2:13: $.cases.simple: each baselined case needs a reason (a non-empty string)");
  EXPECT_EQ(error_of("{\"facteur-baseline\": 1, \"cases\": {\n  \"a~b\": null}}"),
            path() + ":2:10: $.cases[\"a~b\"]: each baselined case needs a reason (a non-empty string)");
}

TEST_F(BaselineFile, MissingFile) {
  const std::string missing = (dir_ / "nope.json").string();
  try {
    (void)load_baseline(missing);
    FAIL() << "a missing baseline loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": cannot open the baseline file");
  }
}

CaseResult case_with(const std::string& id, Outcome outcome) {
  CaseResult c;
  c.id = id;
  c.outcome = outcome;
  return c;
}

Baseline baseline_of(std::map<std::string, std::string> reasons) {
  Baseline b;
  b.file = "b.json";
  b.reasons = std::move(reasons);
  return b;
}

TEST(ApplyBaseline, ListedFailuresAreExcused) {
  std::vector<CaseResult> cases{case_with("a/fail", Outcome::fail), case_with("a/error", Outcome::error),
                                case_with("a/warn", Outcome::warn), case_with("a/other", Outcome::fail)};
  const auto unused = apply_baseline(baseline_of({{"a/fail", "r1"}, {"a/error", "r2"}, {"a/warn", "r3"}}), cases);
  EXPECT_TRUE(unused.empty());
  EXPECT_EQ(cases[0].baseline_reason, "r1");
  EXPECT_FALSE(cases[0].baseline_stale);
  EXPECT_EQ(cases[0].outcome, Outcome::fail);  // the outcome stays; the reason excuses it
  EXPECT_EQ(cases[1].baseline_reason, "r2");
  EXPECT_FALSE(cases[1].baseline_stale);
  EXPECT_EQ(cases[2].baseline_reason, "r3");
  EXPECT_FALSE(cases[2].baseline_stale);
  EXPECT_FALSE(cases[3].baseline_reason.has_value());  // not listed: not excused
  EXPECT_FALSE(cases[3].baseline_stale);
}

TEST(ApplyBaseline, ListedPassesAreStale) {
  std::vector<CaseResult> cases{case_with("a/pass", Outcome::pass), case_with("a/unlisted", Outcome::pass)};
  const auto unused = apply_baseline(baseline_of({{"a/pass", "fixed upstream?"}}), cases);
  EXPECT_TRUE(unused.empty());
  EXPECT_EQ(cases[0].baseline_reason, "fixed upstream?");
  EXPECT_TRUE(cases[0].baseline_stale);
  EXPECT_EQ(cases[0].outcome, Outcome::pass);
  EXPECT_FALSE(cases[1].baseline_reason.has_value());
  EXPECT_FALSE(cases[1].baseline_stale);
}

TEST(ApplyBaseline, SkippedCasesAreNeitherExcusedNorStaleNorUnused) {
  std::vector<CaseResult> cases{case_with("a/skip", Outcome::skip)};
  const auto unused = apply_baseline(baseline_of({{"a/skip", "r"}}), cases);
  EXPECT_TRUE(unused.empty());
  EXPECT_FALSE(cases[0].baseline_reason.has_value());
  EXPECT_FALSE(cases[0].baseline_stale);
  EXPECT_EQ(cases[0].outcome, Outcome::skip);
}

TEST(ApplyBaseline, ReturnsIdsThatMatchNoCaseInOrder) {
  std::vector<CaseResult> cases{case_with("smtp/b", Outcome::fail)};
  const auto unused =
      apply_baseline(baseline_of({{"smtp/z", "r"}, {"smtp/b", "r"}, {"smtp/a", "r"}, {"smtp/B", "r"}}), cases);
  EXPECT_EQ(unused, (std::vector<std::string>{"smtp/B", "smtp/a", "smtp/z"}));  // ids compare exactly
  EXPECT_EQ(cases[0].baseline_reason, "r");
}

TEST(ApplyBaseline, EmptyBaselineChangesNothing) {
  std::vector<CaseResult> cases{case_with("a", Outcome::fail), case_with("b", Outcome::pass)};
  EXPECT_TRUE(apply_baseline(baseline_of({}), cases).empty());
  for (const auto& c : cases) {
    EXPECT_FALSE(c.baseline_reason.has_value());
    EXPECT_FALSE(c.baseline_stale);
  }
  std::vector<CaseResult> none;
  EXPECT_EQ(apply_baseline(baseline_of({{"x", "r"}}), none), std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace facteur::runner
