#include "harness/cli/selection.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "harness/scenario/loader.hpp"

namespace facteur::cli {

void Selection::add_options(CLI::App& command) {
  command.add_option("paths", paths, "Scenario files or folders (searched recursively)")->required();
  command.add_option("--id", ids, "Only cases whose id starts with this prefix (repeatable)");
  command.add_option("--tag", tags, "Only cases with this tag (repeatable)");
}

std::vector<scenario::Scenario> Selection::load() const {
  auto all = scenario::load_scenarios(paths);
  std::vector<scenario::Scenario> out;
  for (auto& s : all) {
    const bool id_ok = ids.empty() || std::any_of(ids.begin(), ids.end(), [&](const std::string& prefix) {
                         return s.id.rfind(prefix, 0) == 0;
                       });
    const bool tag_ok = tags.empty() || std::any_of(tags.begin(), tags.end(), [&](const std::string& t) {
                          return std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end();
                        });
    if (id_ok && tag_ok) out.push_back(std::move(s));
  }
  return out;
}

scenario::Vars load_vars_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the vars file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(path + ": invalid JSON: " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error(path + ": a vars file is a JSON object of strings");
  scenario::Vars vars;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) {
      vars[it.key()] = it.value().get<std::string>();
    } else if (it.value().is_number() || it.value().is_boolean()) {
      vars[it.key()] = it.value().dump();
    } else {
      throw std::runtime_error(path + ": $." + it.key() + ": expected a string");
    }
  }
  return vars;
}

}  // namespace facteur::cli
