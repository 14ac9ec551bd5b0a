// facteur report render: renders JUnit, Markdown and HTML again from a result.json.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "harness/cli/commands.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

Command add_report_command(CLI::App& app) {
  struct Args {
    std::string input;
    std::string out_dir = "out/reports";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("report", "Work with result documents");
  cmd->require_subcommand(1);
  CLI::App* render = cmd->add_subcommand("render", "Render every report format from a result.json");
  render->add_option("result", args->input, "A result.json written by facteur")->required()->check(CLI::ExistingFile);
  render->add_option("-o,--report-dir", args->out_dir, "Output folder")->capture_default_str();
  return [args]() -> int {
    try {
      std::ifstream in(args->input, std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      auto result = report::result_from_json(nlohmann::json::parse(buffer.str()));
      auto written = report::write_reports(result, args->out_dir);
      std::cout << report::render_terminal(result, {false, false});
      std::cout << "reports: " << written.json << " " << written.junit << " " << written.markdown << " "
                << written.html << "\n";
      return result.exit_code();
    } catch (const std::exception& e) {
      std::cerr << "facteur: " << args->input << ": " << e.what() << "\n";
      return kExitUsage;
    }
  };
}

}  // namespace facteur::cli
