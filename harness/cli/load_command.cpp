// facteur load: a scenario as a workload (harness/runner/load_run.hpp).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "harness/cli/commands.hpp"
#include "harness/cli/selection.hpp"
#include "harness/cli/target_options.hpp"
#include "harness/load/hdr_interval_log.hpp"
#include "harness/runner/load_run.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

namespace {

struct LoadArgs {
  Selection selection;
  TargetArgs target;
  std::string executor;
  int vus = -1, max_vus = -1, threads = 1;
  double rate = -1;
  std::string time_unit, duration, stages, warmup, graceful_stop;
  std::int64_t iterations = -1;
  std::vector<std::string> thresholds, abort_thresholds;
  std::string report_dir = "out/load";
  int interval_ms = 1000;
  int keep_failures = 5;
  bool quiet = false;
};

// "30s:10,1m:10,10s:0" → [{"duration": "30s", "target": 10}, …]
nlohmann::json stages_json(const std::string& text) {
  nlohmann::json out = nlohmann::json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--stages: '" + item + "' is not DURATION:TARGET");
    const double target = std::stod(item.substr(colon + 1));
    nlohmann::json stage{{"duration", item.substr(0, colon)}};
    if (target == static_cast<double>(static_cast<std::int64_t>(target))) stage["target"] = static_cast<std::int64_t>(target);
    else stage["target"] = target;
    out.push_back(std::move(stage));
    start = comma + 1;
  }
  return out;
}

// The scenario's "load" object, then the command line over it.
load::ExecutorConfig executor_of(const scenario::Scenario& sc, const LoadArgs& a, std::vector<load::Threshold>& thresholds) {
  nlohmann::json j = sc.load.empty() ? nlohmann::json::object() : nlohmann::json::parse(sc.load);
  nlohmann::json scenario_thresholds = j.contains("thresholds") ? j["thresholds"] : nlohmann::json::object();
  j.erase("thresholds");
  const bool executor_given = !a.executor.empty();
  if (executor_given && j.value("executor", "") != a.executor) j = nlohmann::json::object();  // other keys belong to the other executor
  if (executor_given) j["executor"] = a.executor;
  if (!j.contains("executor")) j["executor"] = "constant-vus";
  if (a.vus >= 0) j["vus"] = a.vus;
  if (a.max_vus >= 0) j["max_vus"] = a.max_vus;
  if (a.rate >= 0) j["rate"] = a.rate;
  if (!a.time_unit.empty()) j["time_unit"] = a.time_unit;
  if (!a.duration.empty()) j["duration"] = a.duration;
  if (!a.stages.empty()) j["stages"] = stages_json(a.stages);
  if (a.iterations >= 0) j["iterations"] = a.iterations;
  if (!a.warmup.empty()) j["warmup"] = a.warmup;
  if (!a.graceful_stop.empty()) j["graceful_stop"] = a.graceful_stop;
  std::string error;
  auto config = load::executor_from_json(j, &error);
  if (!config) throw std::runtime_error(error);
  const auto add = [&thresholds](const std::string& metric, const std::string& expr, bool abort) {
    std::string why;
    auto t = load::parse_threshold(metric, expr, &why);
    if (!t) throw std::runtime_error("threshold " + metric + ": " + why);
    t->abort_on_fail = abort;
    thresholds.push_back(*t);
  };
  for (const auto& [metric, exprs] : scenario_thresholds.items()) {
    for (const auto& e : exprs.is_array() ? exprs : nlohmann::json::array({exprs})) add(metric, e.get<std::string>(), false);
  }
  for (const auto* list : {&a.thresholds, &a.abort_thresholds}) {
    for (const auto& spec : *list) {
      const std::size_t colon = spec.find(':');
      if (colon == std::string::npos) throw std::runtime_error("--threshold '" + spec + "': expected METRIC:EXPRESSION");
      add(spec.substr(0, colon), spec.substr(colon + 1), list == &a.abort_thresholds);
    }
  }
  return *config;
}

std::string ms(std::uint64_t us) { return fmt::format("{:.2f}ms", static_cast<double>(us) / 1000.0); }

void print_summary(const runner::LoadResult& r) {
  std::cout << fmt::format("{:<18} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}  {}\n", "metric", "count", "p50",
                           "p90", "p99", "p99.9", "max", "p99 uncorr", "failed");
  for (const auto& [name, m] : r.total.latency) {
    const auto& h = m.corrected;
    std::cout << fmt::format("{:<18} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}  {}\n", name, h.total_count(),
                             ms(h.value_at_percentile(50)), ms(h.value_at_percentile(90)),
                             ms(h.value_at_percentile(99)), ms(h.value_at_percentile(99.9)), ms(h.max()),
                             ms(m.uncorrected.value_at_percentile(99)), m.failures);
  }
  std::uint64_t errors = 0;
  std::string kinds;
  for (const auto& [kind, count] : r.total.errors) {
    errors += count;
    kinds += fmt::format(" {}={}", kind, count);
  }
  std::cout << fmt::format("iterations {} in {:.1f}s ({:.1f}/s), checks {} passed, {} failed; errors {}{}\n",
                           r.total.iterations, r.total.duration_s,
                           r.total.duration_s > 0 ? static_cast<double>(r.total.iterations) / r.total.duration_s : 0.0,
                           r.total.checks_passed, r.total.checks_failed, errors, kinds);
  for (const auto& t : r.thresholds) std::cout << (t.passed ? "  ok   " : "  FAIL ") << t.text << "\n";
}

int execute(const LoadArgs& a) {
  runner::LoadOptions options;
  scenario::Scenario sc;
  try {
    options.settings = a.target.settings();
    auto selected = a.selection.load();
    std::erase_if(selected, [&](const scenario::Scenario& s) { return s.protocol != options.settings.target.protocol; });
    if (selected.size() != 1) {
      throw std::runtime_error(fmt::format("facteur load runs one scenario; the selection holds {} {} scenarios",
                                           selected.size(), to_string(options.settings.target.protocol)));
    }
    sc = std::move(selected.front());
    options.executor = executor_of(sc, a, options.thresholds);
  } catch (const std::exception& e) {
    std::cerr << "facteur: " << e.what() << "\n";
    return kExitUsage;
  }
  options.threads = a.threads;
  options.interval = std::chrono::milliseconds(a.interval_ms);
  options.keep_failures = a.keep_failures;
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  if (!a.quiet) {
    std::cout << fmt::format("facteur load {} against {}: {} for {}, {} thread(s)\n", sc.id,
                             options.settings.target.display(), to_string(options.executor.kind),
                             load::format_duration(options.executor.total_duration()), options.threads);
    options.on_progress = [tty](const runner::LoadProgress& p) {
      const auto it = p.interval->latency.find("iteration");
      const bool has = it != p.interval->latency.end() && it->second.corrected.total_count() > 0;
      std::uint64_t errors = 0;
      for (const auto& [k, c] : p.interval->errors) errors += c;
      const std::string line = fmt::format(
          "{:6.1f}/{:.0f}s  {:>8.1f} it/s  p50 {:>9}  p99 {:>9}  errors {:>5}  active {:>4}", p.elapsed_s, p.total_s,
          p.interval->duration_s > 0 ? static_cast<double>(p.interval->iterations) / p.interval->duration_s : 0.0,
          has ? ms(it->second.corrected.value_at_percentile(50)) : "-",
          has ? ms(it->second.corrected.value_at_percentile(99)) : "-", errors, p.active);
      std::cout << (tty ? "\r" + line : line + "\n") << std::flush;
    };
  }
  // The interval log is written as the run goes: its file is opened first.
  const std::string hlog = a.report_dir + "/latency.hlog";
  std::ofstream hlog_out;
  {
    std::error_code ec;
    std::filesystem::create_directories(a.report_dir, ec);
    hlog_out.open(hlog, std::ios::binary | std::ios::trunc);
    if (!hlog_out) {
      std::cerr << "facteur: cannot write " << hlog << (ec ? ": " + ec.message() : std::string()) << "\n";
      return kExitUsage;
    }
  }
  options.interval_log = &hlog_out;
  runner::LoadResult result;
  try {
    result = runner::run_load(sc, options);
  } catch (const std::exception& e) {
    std::cerr << "\nfacteur: " << e.what() << "\n";
    return kExitUnreachable;
  }
  if (!a.quiet && tty) std::cout << "\n";
  print_summary(result);
  try {
    auto written = report::write_reports(result.run, a.report_dir);
    hlog_out.close();
    std::cout << fmt::format("reports: {} {} {} {} {}\n", written.json, written.junit, written.markdown,
                             written.html, hlog);
  } catch (const std::exception& e) {
    std::cerr << "facteur: cannot write reports: " << e.what() << "\n";
    return kExitUsage;
  }
  if (result.run.interrupted) return kExitInterrupted;
  if (result.thresholds_failed) return kExitThresholds;
  // Without thresholds, checks decide: every iteration must have met its expectations.
  if (options.thresholds.empty() && (result.total.checks_failed > 0 || result.total.iterations == 0)) {
    return kExitFailures;
  }
  return kExitOk;
}

}  // namespace

Command add_load_command(CLI::App& app) {
  auto args = std::make_shared<LoadArgs>();
  CLI::App* cmd = app.add_subcommand("load", "Run one scenario as a load workload, checks on");
  args->selection.add_options(*cmd);
  args->target.add_options(*cmd);
  auto& a = *args;
  cmd->add_option("--executor", a.executor, "constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate")
      ->check(CLI::IsMember({"constant-vus", "ramping-vus", "constant-arrival-rate", "ramping-arrival-rate"}));
  cmd->add_option("--vus", a.vus, "Virtual users (closed model), or the initial pool (open model)");
  cmd->add_option("--max-vus", a.max_vus, "Open model: most iterations in flight at once");
  cmd->add_option("--rate", a.rate, "Open model: iterations per --time-unit");
  cmd->add_option("--time-unit", a.time_unit, "Open model: the unit of --rate and stage targets (default 1s)");
  cmd->add_option("--duration", a.duration, "How long: 30s, 2m, 1m30s");
  cmd->add_option("--stages", a.stages, "Ramping executors: DURATION:TARGET,… e.g. 30s:50,1m:50,10s:0");
  cmd->add_option("--iterations", a.iterations, "constant-vus: stop after this many iterations in all");
  cmd->add_option("--warmup", a.warmup, "Iterations started before this are run but not measured");
  cmd->add_option("--graceful-stop", a.graceful_stop, "Time left to iterations in flight at the end (default 5s)");
  cmd->add_option("-T,--threads", a.threads, "Worker threads, each with its own event loop")->check(CLI::Range(1, 256));
  cmd->add_option("--threshold", a.thresholds, "METRIC:EXPRESSION, e.g. smtp.data:p(99)<250ms, checks:rate>0.999");
  cmd->add_option("--threshold-abort", a.abort_thresholds, "Like --threshold, and stops the run as soon as it fails");
  cmd->add_option("--interval", a.interval_ms, "Milliseconds per progress line and time-series point")
      ->capture_default_str();
  cmd->add_option("--keep-failures", a.keep_failures, "Failing iterations kept with their transcripts")
      ->capture_default_str();
  cmd->add_option("-o,--report-dir", a.report_dir, "Where result.json, latency.hlog and the reports go")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", a.quiet, "No progress lines");
  return [args] { return execute(*args); };
}

}  // namespace facteur::cli
