// Which scenarios a command works on: files and folders, then --id prefixes and --tag filters.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/scenario/model.hpp"

namespace CLI {
class App;
}

namespace facteur::cli {

struct Selection {
  std::vector<std::string> paths;
  std::vector<std::string> ids;    // id prefixes
  std::vector<std::string> tags;   // a case must have one of them
  void add_options(CLI::App& command);
  // Loads and filters; throws scenario::ScenarioError for a bad file.
  std::vector<scenario::Scenario> load() const;
};

// Reads a flat JSON object of strings (the lab's vars.json); throws std::runtime_error.
scenario::Vars load_vars_file(const std::string& path);

}  // namespace facteur::cli
