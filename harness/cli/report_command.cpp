// facteur report render: renders JUnit, Markdown and HTML again from a result.json.
// facteur report merge: one result from several (load runs from several machines: their histograms
// are added, so the merged percentiles are exact; thresholds are evaluated again on the sum).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/cli/commands.hpp"
#include "harness/load/metrics.hpp"
#include "harness/load/thresholds.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

namespace {

report::RunResult read_result(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return report::result_from_json(nlohmann::json::parse(buffer.str()));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

// Adds b's load section into a's: metrics exactly, interval series point by point.
void merge_load(nlohmann::json& a, const nlohmann::json& b, const std::string& where) {
  std::string error;
  auto ma = load::metrics_from_json(a.at("metrics"), &error);
  if (!ma) throw std::runtime_error("load.metrics: " + error);
  auto mb = load::metrics_from_json(b.at("metrics"), &error);
  if (!mb) throw std::runtime_error(where + ": load.metrics: " + error);
  ma->add(*mb);
  a["metrics"] = load::to_json(*ma);
  auto& ia = a["intervals"];
  const auto& ib = b.at("intervals");
  for (std::size_t i = 0; i < ib.size(); ++i) {
    if (i >= ia.size()) {
      ia.push_back(ib[i]);
      continue;
    }
    for (const char* key : {"iterations", "checks_failed", "errors", "rate"}) {
      ia[i][key] = ia[i].value(key, 0.0) + ib[i].value(key, 0.0);
    }
    ia[i].erase("p50_ms");  // percentiles of a sum cannot be added; the merged metrics have them
    ia[i].erase("p99_ms");
  }
  a["threads"] = a.value("threads", 1) + b.value("threads", 1);
  a["merged_from"] = a.value("merged_from", 1) + 1;
}

int merge(const std::vector<std::string>& inputs, const std::string& out_dir) {
  report::RunResult merged = read_result(inputs.at(0));
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    report::RunResult next = read_result(inputs[i]);
    if (merged.load.is_null() != next.load.is_null()) {
      throw std::runtime_error(inputs[i] + ": cannot merge a load result with a conformance result");
    }
    if (!merged.load.is_null()) merge_load(merged.load, next.load, inputs[i]);
    if (next.target != merged.target) merged.target += " + " + next.target;
    merged.duration_ms = std::max(merged.duration_ms, next.duration_ms);
    merged.interrupted = merged.interrupted || next.interrupted;
    for (auto& c : next.cases) {
      if (c.id.rfind("threshold/", 0) == 0 && !merged.load.is_null()) continue;  // evaluated again below
      merged.cases.push_back(std::move(c));
    }
    for (auto& [k, v] : next.environment) merged.environment.try_emplace(k, v);
  }
  if (!merged.load.is_null()) {
    std::string error;
    const auto total = load::metrics_from_json(merged.load["metrics"], &error);
    std::erase_if(merged.cases, [](const report::CaseResult& c) { return c.id.rfind("threshold/", 0) == 0; });
    nlohmann::json results = nlohmann::json::array();
    for (const auto& t : merged.load.value("thresholds", nlohmann::json::array())) {
      auto th = load::parse_threshold(t.at("metric").get<std::string>(), t.at("expression").get<std::string>(), &error);
      if (!th) throw std::runtime_error("load.thresholds: " + error);
      const load::ThresholdResult r = load::evaluate(*th, *total);
      results.push_back({{"metric", th->metric}, {"expression", th->expression}, {"abort_on_fail", t.value("abort_on_fail", false)},
                         {"passed", r.passed}, {"actual", r.actual}, {"text", r.text}});
      report::CaseResult c;
      c.id = "threshold/" + th->metric + "/" + th->expression;
      c.title = th->metric + " " + th->expression;
      c.level = "MUST";
      c.tags = {"threshold"};
      c.outcome = r.passed ? report::Outcome::pass : report::Outcome::fail;
      c.message = r.text;
      merged.cases.insert(merged.cases.begin(), std::move(c));
    }
    merged.load["thresholds"] = results;
  }
  auto written = report::write_reports(merged, out_dir);
  std::cout << report::render_terminal(merged, {false, false});
  std::cout << fmt::format("merged {} results: {} {} {} {}\n", inputs.size(), written.json, written.junit,
                           written.markdown, written.html);
  return merged.exit_code();
}

}  // namespace

Command add_report_command(CLI::App& app) {
  struct Args {
    std::string input;
    std::vector<std::string> inputs;
    std::string out_dir = "out/reports";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("report", "Work with result documents");
  cmd->require_subcommand(1);
  CLI::App* render = cmd->add_subcommand("render", "Render every report format from a result.json");
  render->add_option("result", args->input, "A result.json written by facteur")->required()->check(CLI::ExistingFile);
  render->add_option("-o,--report-dir", args->out_dir, "Output folder")->capture_default_str();
  CLI::App* merge_cmd = cmd->add_subcommand("merge", "Merge results (load runs from several machines) into one");
  merge_cmd->add_option("results", args->inputs, "result.json files")->required()->expected(2, 1000)
      ->check(CLI::ExistingFile);
  merge_cmd->add_option("-o,--report-dir", args->out_dir, "Output folder")->capture_default_str();
  return [args, merge_cmd]() -> int {
    if (merge_cmd->parsed()) {
      try {
        return merge(args->inputs, args->out_dir);
      } catch (const std::exception& e) {
        std::cerr << "facteur: " << e.what() << "\n";
        return kExitUsage;
      }
    }
    try {
      auto result = read_result(args->input);
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
