// facteur list / facteur validate: what would run, and whether the scenario files are well formed.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/cli/commands.hpp"
#include "harness/cli/selection.hpp"
#include "harness/scenario/loader.hpp"

namespace facteur::cli {

namespace {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}
}  // namespace

Command add_list_command(CLI::App& app) {
  struct Args {
    Selection selection;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("list", "List the cases that would run");
  args->selection.add_options(*cmd);
  cmd->add_flag("--json", args->json, "One JSON object per case");
  return [args]() -> int {
    std::vector<scenario::Scenario> cases;
    try {
      cases = args->selection.load();
    } catch (const std::exception& e) {
      std::cerr << "facteur: " << e.what() << "\n";
      return kExitUsage;
    }
    for (const auto& s : cases) {
      std::string spec;
      for (const auto& r : s.spec) spec += (spec.empty() ? "" : " ") + fmt::format("RFC{} §{}", r.rfc, r.section);
      if (args->json) {
        nlohmann::json j{{"id", s.id}, {"title", s.title}, {"protocol", to_string(s.protocol)},
                         {"level", to_string(s.level())}, {"spec", spec}, {"tags", s.tags},
                         {"requires", s.requires_}, {"file", s.file}};
        std::cout << j.dump() << "\n";
      } else {
        std::cout << fmt::format("{:<62} {:<6} {:<22} {}\n", s.id, to_string(s.level()), spec,
                                 s.requires_.empty() ? "" : "requires " + join(s.requires_));
      }
    }
    if (!args->json) std::cout << cases.size() << " cases\n";
    return kExitOk;
  };
}

Command add_validate_command(CLI::App& app) {
  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("validate", "Check scenario files and report the first error of each");
  cmd->add_option("paths", *paths, "Scenario files or folders")->required();
  return [paths]() -> int {
    std::size_t valid = 0, invalid = 0;
    try {
      for (const auto& file : scenario::scenario_files(*paths)) {
        try {
          (void)scenario::load_scenario_file(file);
          ++valid;
        } catch (const scenario::ScenarioError& e) {
          std::cerr << e.what() << "\n";
          ++invalid;
        }
      }
      if (invalid == 0) (void)scenario::load_scenarios(*paths);  // ids unique across files
    } catch (const scenario::ScenarioError& e) {
      std::cerr << e.what() << "\n";
      ++invalid;
    }
    std::cout << valid << " scenarios are valid, " << invalid << " have errors\n";
    return invalid == 0 ? kExitOk : kExitUsage;
  };
}

}  // namespace facteur::cli
