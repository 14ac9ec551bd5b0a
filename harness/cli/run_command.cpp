// facteur run: the conformance runner.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "harness/cli/commands.hpp"
#include "harness/cli/selection.hpp"
#include "harness/net/tls_options.hpp"
#include "harness/runner/run.hpp"
#include "harness/scenario/loader.hpp"
#include "reports/render.hpp"

namespace facteur::cli {

namespace {

struct RunArgs {
  Selection selection;
  std::string target;
  std::vector<std::string> vars_files;
  std::vector<std::string> vars;
  std::string cacert;
  bool insecure = false;
  bool strict = false;
  bool starttls = false;
  std::string baseline;
  int jobs = 1;
  std::string report_dir = "out/reports";
  int connect_timeout = 5000, reply_timeout = 10000, case_timeout = 60000;
  bool transcripts = false;
  bool quiet = false;
  bool verbose = false;
  std::string color = "auto";
  std::uint64_t seed = 1;
  std::string tls_min;
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
  std::string err;
  auto target = parse_target_url(a.target, &err);
  if (!target) {
    std::cerr << "facteur: --target: " << err << "\n";
    return kExitUsage;
  }
  runner::RunOptions options;
  auto& s = options.settings;
  s.target = *target;
  s.strict = a.strict;
  s.starttls = a.starttls;
  s.keep_transcripts = a.transcripts;
  s.seed = a.seed;
  s.connect_timeout = std::chrono::milliseconds(a.connect_timeout);
  s.reply_timeout = std::chrono::milliseconds(a.reply_timeout);
  s.case_timeout = std::chrono::milliseconds(a.case_timeout);
  options.jobs = a.jobs;
  std::vector<scenario::Scenario> scenarios;
  try {
    for (const auto& f : a.vars_files) {
      for (auto& [k, v] : load_vars_file(f)) s.vars[k] = v;
    }
    for (const auto& kv : a.vars) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--var '" + kv + "': expected name=value");
      s.vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    if (!target->user.empty() && !s.vars.count("user")) s.vars["user"] = target->user;
    if (!target->password.empty() && !s.vars.count("password")) s.vars["password"] = target->password;
    net::TlsOptions tls;
    tls.verify = !a.insecure;
    tls.ca_file = a.cacert.empty() && s.vars.count("cacert") && !a.insecure ? s.vars["cacert"] : a.cacert;
    tls.min_version = a.tls_min;
    s.tls = net::make_client_context(tls);
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
  cmd->add_option("-t,--target", args->target, "Target URL: smtp://host:port, smtps://…, imap://…")->required();
  cmd->add_option("--vars", args->vars_files, "JSON file of variables (e.g. the lab's vars.json)");
  cmd->add_option("--var", args->vars, "A variable, name=value (repeatable; wins over --vars)");
  cmd->add_option("--cacert", args->cacert, "CA certificates (PEM) to verify the server with");
  cmd->add_flag("-k,--insecure", args->insecure, "Do not verify the server certificate");
  cmd->add_flag("--starttls", args->starttls,
                "Upgrade every session with STARTTLS right after the greeting (cases about plain text skip)");
  cmd->add_option("--tls-min", args->tls_min, "Lowest TLS version to offer")->check(CLI::IsMember({"1.2", "1.3"}));
  cmd->add_flag("--strict", args->strict, "SHOULD/MAY-level deviations count as failures");
  cmd->add_option("--baseline", args->baseline, "Known failures with reasons (JSON)");
  cmd->add_option("-j,--jobs", args->jobs, "Cases run at once")->check(CLI::Range(1, 256));
  cmd->add_option("-o,--report-dir", args->report_dir, "Where result.json, junit.xml, summary.md, report.html go")
      ->capture_default_str();
  cmd->add_option("--connect-timeout", args->connect_timeout, "Milliseconds")->capture_default_str();
  cmd->add_option("--reply-timeout", args->reply_timeout, "Milliseconds to wait for each reply")->capture_default_str();
  cmd->add_option("--case-timeout", args->case_timeout, "Milliseconds for a whole case")->capture_default_str();
  cmd->add_flag("--transcripts", args->transcripts, "Keep transcripts of passing cases too");
  cmd->add_option("--seed", args->seed, "Seed for generated messages and random values")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  cmd->add_flag("-v,--verbose", args->verbose, "List passing cases too");
  cmd->add_option("--color", args->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  return [args] { return execute(*args); };
}

}  // namespace facteur::cli
