// Helpers shared by the loader tests: scenarios written with known line/column positions, and the
// error a bad one produces.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"

namespace facteur::scenario::loader_testing {

// A scenario whose metadata takes lines 1-6; step i is written on line 7 + i from column 5.
inline std::string with_steps(const std::vector<std::string>& steps, const std::string& protocol = "smtp") {
  std::string text =
      "{\n"                                                                          // 1
      "  \"facteur\": 1,\n"                                                          // 2
      "  \"id\": \"smtp/5321/4.1.1/x\",\n"                                           // 3
      "  \"title\": \"t\", \"protocol\": \"" + protocol + "\",\n"                    // 4
      "  \"spec\": [{\"rfc\": \"5321\", \"section\": \"4.1.1\", \"level\": \"MUST\"}],\n"  // 5
      "  \"steps\": [\n";                                                            // 6
  for (std::size_t i = 0; i < steps.size(); ++i) text += "    " + steps[i] + (i + 1 < steps.size() ? ",\n" : "\n");
  text += "  ]\n}\n";
  return text;
}

inline Scenario parse(const std::string& text) { return parse_scenario(text, "case.json"); }

inline std::vector<Step> steps_of(const std::vector<std::string>& steps, const std::string& protocol = "smtp") {
  return parse(with_steps(steps, protocol)).steps;
}

inline Step step_of(const std::string& step) {
  auto steps = steps_of({step});
  EXPECT_EQ(steps.size(), 1U);
  return steps.empty() ? Step{} : steps.front();
}

struct Failure {
  std::string file;
  std::size_t line = 0, column = 0;
  std::string path, message;
};

inline Failure failure_of(const std::string& text, const std::string& file = "case.json") {
  try {
    (void)parse_scenario(text, file);
  } catch (const ScenarioError& e) {
    return {e.file(), e.line(), e.column(), e.path(), e.message()};
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// Checks the error of the scenario holding the single step `step`: the reported position is where
// `needle` starts in the step (line 7, column 5 + its offset).
inline void expect_step_error(const std::string& step, const std::string& needle, const std::string& path,
                       const std::string& message) {
  SCOPED_TRACE(step);
  const auto offset = step.find(needle);
  ASSERT_NE(offset, std::string::npos) << needle;
  const Failure f = failure_of(with_steps({step}));
  EXPECT_EQ(f.file, "case.json");
  EXPECT_EQ(f.line, 7U);
  EXPECT_EQ(f.column, 5 + offset);
  EXPECT_EQ(f.path, path);
  EXPECT_EQ(f.message, message);
}

}  // namespace facteur::scenario::loader_testing
