// facteur fuzz: network fuzzing of a live server from the client lines of scenarios.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/cli/commands.hpp"
#include "harness/cli/selection.hpp"
#include "harness/cli/target_options.hpp"
#include "harness/fuzz/mutator.hpp"
#include "harness/runner/fuzz_run.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

namespace {

struct FuzzArgs {
  Selection selection;
  TargetArgs target;
  runner::FuzzOptions options;
  double duration_s = 0;
  std::vector<std::string> mutations;
  std::int64_t only = -1;
  std::string report_dir = "out/fuzz";
  bool quiet = false;
};

int execute(FuzzArgs& a) {
  runner::FuzzOptions options = a.options;
  std::vector<runner::SeedScenario> seeds;
  try {
    options.settings = a.target.settings();
    for (const auto& m : a.mutations) {
      const auto& known = fuzz::mutation_names();
      if (std::find(known.begin(), known.end(), m) == known.end()) {
        throw std::runtime_error("--mutations: unknown mutation '" + m + "' (facteur fuzz --help lists them)");
      }
    }
    options.mutations = a.mutations;
    options.duration = std::chrono::milliseconds(static_cast<std::int64_t>(a.duration_s * 1000));
    if (a.only >= 0) options.only = static_cast<std::uint64_t>(a.only);
    for (auto& sc : a.selection.load()) {
      if (sc.protocol != options.settings.target.protocol) continue;
      std::ifstream in(sc.file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      runner::SeedScenario seed{nlohmann::ordered_json::parse(text.str()), std::move(sc)};
      seeds.push_back(std::move(seed));
    }
  } catch (const std::exception& e) {
    std::cerr << "facteur: " << e.what() << "\n";
    return kExitUsage;
  }
  if (seeds.empty()) {
    std::cerr << "facteur: no " << to_string(options.settings.target.protocol) << " scenario matches the selection\n";
    return kExitUsage;
  }
  if (!a.quiet) {
    options.on_line = [](const std::string& line) { std::cout << line << "\n" << std::flush; };
    std::cout << fmt::format("facteur fuzz: {} seed scenarios, {} inputs{}, seed {}, against {}\n", seeds.size(),
                             options.only ? 1 : options.iterations,
                             options.duration.count() > 0 ? fmt::format(" or {:.0f} s", a.duration_s) : "",
                             options.settings.seed, options.settings.target.display());
  }
  runner::FuzzResult result;
  try {
    result = runner::run_fuzz(seeds, options);
  } catch (const std::exception& e) {
    std::cerr << "facteur: " << e.what() << "\n";
    return kExitUnreachable;
  }
  std::cout << fmt::format("{} inputs, {} findings ({} setup failures); findings in {}\n", result.inputs,
                           result.findings.size(), result.setup_failures, options.findings_dir);
  try {
    auto written = report::write_reports(result.run, a.report_dir);
    std::cout << report::render_terminal(result.run, {false, false});
    std::cout << fmt::format("reports: {} {} {} {}\n", written.json, written.junit, written.markdown, written.html);
  } catch (const std::exception& e) {
    std::cerr << "facteur: cannot write reports: " << e.what() << "\n";
    return kExitUsage;
  }
  return result.run.exit_code();
}

}  // namespace

Command add_fuzz_command(CLI::App& app) {
  auto args = std::make_shared<FuzzArgs>();
  args->target.reply_timeout = 2000;  // a hang is declared after this long
  args->target.case_timeout = 30000;
  std::string names;
  for (const auto& n : fuzz::mutation_names()) names += (names.empty() ? "" : ", ") + n;
  CLI::App* cmd = app.add_subcommand(
      "fuzz", "Send mutations of scenarios' client lines to a live server; write findings as scenarios");
  args->selection.add_options(*cmd);
  args->target.add_options(*cmd);
  auto& o = args->options;
  cmd->add_option("-n,--iterations", o.iterations, "Inputs to send")->capture_default_str();
  cmd->add_option("--duration", args->duration_s, "Stop after this many seconds (0: no limit)");
  cmd->add_option("--rate", o.rate, "Inputs per second at most")->capture_default_str();
  cmd->add_option("--minimise", o.minimise_runs, "Extra runs allowed to shrink each finding")->capture_default_str();
  cmd->add_option("--quiet-ms", o.quiet_ms, "Silence that ends the server's replies to an input")->capture_default_str();
  cmd->add_option("--mutations", args->mutations, "Only these mutations: " + names)->delimiter(',');
  cmd->add_option("--only", args->only, "Run just this input number (to reproduce one)");
  cmd->add_option("--findings", o.findings_dir, "Where finding scenarios are written")->capture_default_str();
  cmd->add_option("-o,--report-dir", args->report_dir, "Where result.json, junit.xml, summary.md, report.html go")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  return [args] { return execute(*args); };
}

}  // namespace facteur::cli
