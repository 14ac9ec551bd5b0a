// A scenario's "load" object is checked when the scenario loads: a wrong executor key or threshold
// is reported with the file, line and JSON path, like any other mistake in a scenario.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"

namespace facteur::scenario {
namespace {
using ::testing::HasSubstr;

std::string with_load(const std::string& load) {
  return R"({"facteur": 1, "id": "test/load", "title": "t", "protocol": "smtp",
    "spec": [{"rfc": "5321", "section": "3.3", "level": "MUST"}], "steps": [{"connect": true}],
    "load": )" + load + "}";
}

std::string error_of(const std::string& load) {
  try {
    parse_scenario(with_load(load), "load.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

TEST(LoadSection, ValidSectionIsKeptAsWritten) {
  const Scenario s = parse_scenario(
      with_load(R"({"executor": "constant-vus", "vus": 2, "duration": "1s", "thresholds": {"checks": "rate>0.99"}})"),
      "load.json");
  EXPECT_THAT(s.load, HasSubstr("\"vus\":2"));
  EXPECT_TRUE(parse_scenario(with_load(R"({"thresholds": {"smtp.data": ["p(99)<250ms", "max<1s"]}})"), "l.json")
                  .load.size() > 0);
}

TEST(LoadSection, MistakesNameFileLineAndPath) {
  EXPECT_THAT(error_of(R"({"executor": "constant-vus", "duration": "3x"})"), HasSubstr("load.json:3:"));
  EXPECT_THAT(error_of(R"({"executor": "constant-vus", "duration": "3x"})"), HasSubstr("duration"));
  EXPECT_THAT(error_of(R"({"executor": "warp-speed"})"), HasSubstr("$.load"));
  EXPECT_THAT(error_of(R"({"thresholds": {"smtp.data": "p(99)<250"}})"), HasSubstr("thresholds"));
  EXPECT_THAT(error_of(R"({"thresholds": {"checks": 3}})"), HasSubstr("a threshold is a string"));
  EXPECT_THAT(error_of(R"([1])"), HasSubstr("expected an object"));
}

}  // namespace
}  // namespace facteur::scenario
