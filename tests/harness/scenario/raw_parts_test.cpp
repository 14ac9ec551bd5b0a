// The raw step's parts form and the drain step, as the loader reads them, with the errors a user
// gets for a bad value (file:line:column and JSON path).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"

namespace facteur::scenario {
namespace {
using ::testing::HasSubstr;

Scenario with_steps(const std::string& steps) {
  return parse_scenario(R"({"facteur": 1, "id": "test/raw", "title": "t", "protocol": "smtp",
    "spec": [{"rfc": "5321", "section": "2.3.8", "level": "MUST"}], "steps": [{"connect": true}, )" + steps + "]}",
                        "raw.json");
}

std::string error_of(const std::string& steps) {
  try {
    with_steps(steps);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RawParts, JoinsStringsHexAndRepeats) {
  const Scenario s = with_steps(R"({"raw": {"parts": ["A", {"hex": "000D0a24"}, {"repeat": "xy", "count": 3}, "${v}"]}})");
  // "$" followed by "{" from hex/repeat octets is escaped; the string part's ${v} stays a reference.
  EXPECT_EQ(s.steps[1].text, std::string("A\0\r\n$xyxyxy${v}", 15));
}

TEST(RawParts, DollarBraceFromOctetsIsEscaped) {
  const Scenario s = with_steps(R"({"raw": {"parts": [{"hex": "247b"}]}})");
  EXPECT_EQ(s.steps[1].text, "$${");
}

TEST(RawParts, DollarAndBraceInDifferentPartsStayLiteral) {
  // Found by fuzz_raw_parts: "$" ending one part and "{" starting the next must not make a reference.
  EXPECT_EQ(with_steps(R"({"raw": {"parts": [{"hex": "24"}, "{x}"]}})").steps[1].text, "$${x}");
  EXPECT_EQ(with_steps(R"({"raw": {"parts": ["a$", {"hex": "7b"}]}})").steps[1].text, "a$${");
  EXPECT_THAT(error_of(R"({"raw": {"parts": ["a$", "${v}"]}})"), HasSubstr("cannot come right before a ${reference}"));
}

TEST(RawParts, BadValuesAreReportedWithTheirPath) {
  EXPECT_THAT(error_of(R"({"raw": {"parts": [{"hex": "abc"}]}})"), HasSubstr("$.steps[1].raw.parts[0].hex"));
  EXPECT_THAT(error_of(R"({"raw": {"parts": [{"hex": "zz"}]}})"), HasSubstr("'zz' is not a hex octet"));
  EXPECT_THAT(error_of(R"({"raw": {"parts": [{"repeat": "", "count": 2}]}})"), HasSubstr("must not be empty"));
  EXPECT_THAT(error_of(R"({"raw": {"parts": [{"repeat": "AAAA", "count": 20000000}]}})"), HasSubstr("64 MiB"));
  EXPECT_THAT(error_of(R"({"raw": {"parts": [{"repeat": "A"}]}})"), HasSubstr("missing required key 'count'"));
  EXPECT_THAT(error_of(R"({"raw": {"parts": "x"}})"), HasSubstr("expected an array of parts"));
  EXPECT_THAT(error_of(R"({"raw": {"text": "x"}})"), HasSubstr("$.steps[1].raw"));
}

TEST(DrainStep, DefaultsAndBounds) {
  const Scenario d = with_steps(R"({"drain": true})");
  EXPECT_EQ(d.steps[1].kind, StepKind::drain);
  EXPECT_EQ(d.steps[1].ms, 200);
  EXPECT_EQ(d.steps[1].replies, 1);
  const Scenario s = with_steps(R"({"drain": {"quiet_ms": 50, "min": 0, "max": 2}})");
  EXPECT_EQ(s.steps[1].ms, 50);
  EXPECT_EQ(s.steps[1].replies, 0);
  EXPECT_EQ(s.steps[1].count, 2);
  EXPECT_THAT(error_of(R"({"drain": {"min": 3, "max": 2}})"), HasSubstr("max is below min"));
  EXPECT_THAT(error_of(R"({"drain": {"quiet": 3}})"), HasSubstr("quiet"));
}

}  // namespace
}  // namespace facteur::scenario
