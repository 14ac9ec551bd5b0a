// Loads scenario files (format v1) into checked Scenario values. A bad file is reported with its
// file, line, column and JSON path, never skipped in silence.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"

namespace facteur::scenario {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::size_t line, std::size_t column, std::string path,
                std::string message);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  const std::string& path() const { return path_; }   // "$.steps[2].expect.code"
  const std::string& message() const { return message_; }

 private:
  std::string file_, path_, message_;
  std::size_t line_, column_;
};

// Parses one scenario from its text; `file` is used for messages and kept in the result.
Scenario parse_scenario(std::string_view text, const std::string& file);
Scenario load_scenario_file(const std::string& path);

// Files and folders (searched recursively for *.json, leaving out folders named "schema" and
// "baselines"), in a stable order (sorted by path). Duplicate ids are an error.
std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths);
// The files load_scenarios would read, in its order; throws ScenarioError for a missing path.
std::vector<std::string> scenario_files(const std::vector<std::string>& paths);

}  // namespace facteur::scenario
