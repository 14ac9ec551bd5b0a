// facteur run: the conformance runner.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "harness/cli/commands.hpp"
#include "harness/cli/selection.hpp"
#include "harness/cli/target_options.hpp"
#include "harness/runner/run.hpp"
#include "harness/scenario/loader.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

namespace {

struct RunArgs {
  Selection selection;
  TargetArgs target;
  bool strict = false;
  std::string baseline;
  int jobs = 1;
  std::string report_dir = "out/reports";
  bool transcripts = false;
  bool quiet = false;
  bool verbose = false;
  std::string color = "auto";
  std::string record;
};

const char* outcome_label(report::Outcome o) {
  switch (o) {
    case report::Outcome::pass: return "PASS ";
    case report::Outcome::fail: return "FAIL ";
    case report::Outcome::warn: return "WARN ";
    case report::Outcome::skip: return "SKIP ";
    case report::Outcome::error: return "ERROR";
  }
  return "?";
}

int execute(const RunArgs& a) {
  runner::RunOptions options;
  std::vector<scenario::Scenario> scenarios;
  try {
    options.settings = a.target.settings();
  } catch (const std::exception& e) {
    std::cerr << "facteur: " << e.what() << "\n";
    return kExitUsage;
  }
  auto& s = options.settings;
  const TargetUrl* target = &s.target;
  s.strict = a.strict;
  s.keep_transcripts = a.transcripts;
  s.record_dir = a.record;
  options.jobs = a.jobs;
  try {
    if (!a.record.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(a.record, ec);
      if (ec) throw std::runtime_error("--record " + a.record + ": " + ec.message());
    }
    if (!a.baseline.empty()) options.baseline = runner::load_baseline(a.baseline);
    for (auto& sc : a.selection.load()) {
      if (sc.protocol == target->protocol) scenarios.push_back(std::move(sc));
    }
  } catch (const std::exception& e) {
    std::cerr << "facteur: " << e.what() << "\n";
    return kExitUsage;
  }
  if (scenarios.empty()) {
    std::cerr << "facteur: no " << to_string(target->protocol) << " case matches the selection\n";
    return kExitUsage;
  }
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  const bool color = a.color == "always" || (a.color == "auto" && tty);
  if (!a.quiet) {
    std::cout << fmt::format("facteur {} cases against {}\n", scenarios.size(), target->display());
  }
  options.on_case = [&](const report::CaseResult& r, std::size_t done, std::size_t total) {
    if (a.quiet) return;
    if (r.outcome == report::Outcome::pass && !a.verbose && tty) {
      std::cout << fmt::format("\r[{}/{}] {:<70.70}", done, total, r.id) << std::flush;
      return;
    }
    if (tty) std::cout << "\r" << std::string(80, ' ') << "\r";
    std::cout << fmt::format("[{}/{}] {} {} ({:.0f} ms){}\n", done, total, outcome_label(r.outcome), r.id,
                             r.duration_ms, r.message.empty() ? "" : " — " + r.message);
  };
  options.on_warning = [](const std::string& w) { std::cerr << "facteur: warning: " << w << "\n"; };

  report::RunResult result = runner::run_conformance(scenarios, options);
  if (!a.quiet && tty) std::cout << "\r" << std::string(80, ' ') << "\r";
  try {
    auto written = report::write_reports(result, a.report_dir);
    std::cout << report::render_terminal(result, {color, a.verbose});
    std::cout << fmt::format("reports: {} {} {} {}\n", written.json, written.junit, written.markdown, written.html);
  } catch (const std::exception& e) {
    std::cout << report::render_terminal(result, {color, a.verbose});
    std::cerr << "facteur: cannot write reports: " << e.what() << "\n";
    return kExitUsage;
  }
  return result.exit_code();
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run conformance cases against a target");
  args->selection.add_options(*cmd);
  args->target.add_options(*cmd);
  cmd->add_flag("--strict", args->strict, "SHOULD/MAY-level deviations count as failures");
  cmd->add_option("--baseline", args->baseline, "Known failures with reasons (JSON)");
  cmd->add_option("-j,--jobs", args->jobs, "Cases run at once")->check(CLI::Range(1, 256));
  cmd->add_option("-o,--report-dir", args->report_dir, "Where result.json, junit.xml, summary.md, report.html go")
      ->capture_default_str();
  cmd->add_flag("--transcripts", args->transcripts, "Keep transcripts of passing cases too");
  cmd->add_option("--record", args->record,
                  "Write what the server sent, raw, to DIR/<protocol>/<case>.<session>.bin (fuzz seeds)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  cmd->add_flag("-v,--verbose", args->verbose, "List passing cases too");
  cmd->add_option("--color", args->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  return [args] { return execute(*args); };
}

}  // namespace facteur::cli
