#include "harness/runner/run.hpp"

#include <chrono>
#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include "harness/core/utc_time.hpp"
#include "harness/core/version.hpp"
#include "harness/engine/case_run.hpp"
#include "harness/runner/probe.hpp"

namespace facteur::runner {
namespace asio = boost::asio;

report::RunResult run_conformance(const std::vector<scenario::Scenario>& scenarios, const RunOptions& options) {
  report::RunResult result;
  result.tool_version = version();
  result.command = "run";
  result.target = options.settings.target.display();
  result.started_at = utc_now_rfc3339();
  result.strict = options.settings.strict;
  if (options.baseline) result.baseline_file = options.baseline->file;
  const auto started = std::chrono::steady_clock::now();

  asio::io_context io;
  std::vector<std::optional<report::CaseResult>> slots(scenarios.size());
  std::size_t next = 0, done = 0;
  bool interrupted = false;
  ProbeResult probed;

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted = true;
    // The next signal takes the default action: the process ends at once.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    io.stop();
  });

  // Serial cases (they share state such as one POP3 maildrop) run one at a time on a worker of their
  // own, beside the -j workers that take the others.
  std::vector<std::size_t> parallel, serial;
  for (std::size_t i = 0; i < scenarios.size(); ++i) (scenarios[i].serial ? serial : parallel).push_back(i);
  std::size_t next_serial = 0;
  int active = 0;  // workers still running; the last one lets io.run() return
  auto worker = [&](bool serial_worker) -> asio::awaitable<void> {
    for (;;) {
      std::size_t i = 0;
      if (serial_worker) {
        if (interrupted || next_serial >= serial.size()) break;
        i = serial[next_serial++];
      } else {
        if (interrupted || next >= parallel.size()) break;
        i = parallel[next++];
      }
      report::CaseResult r = co_await engine::run_case(scenarios[i], options.settings, probed.caps);
      slots[i] = std::move(r);
      ++done;
      if (options.on_case) options.on_case(*slots[i], done, scenarios.size());
    }
    if (--active == 0) signals.cancel();
  };

  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    probed = co_await probe(options.settings);
    for (const auto& [k, v] : probed.facts) result.environment[k] = v;
    if (!probed.error.empty()) {
      result.environment["probe"] = probed.error;
      if (options.on_warning) options.on_warning("target probe failed: " + probed.error);
    }
    const int jobs = std::max(1, options.jobs);
    active = jobs + 1;
    asio::co_spawn(io, worker(true), asio::detached);
    for (int j = 0; j < jobs; ++j) asio::co_spawn(io, worker(false), asio::detached);
  }, asio::detached);
  io.run();
  signals.cancel();

  for (auto& slot : slots) {
    if (slot) result.cases.push_back(std::move(*slot));
  }
  result.interrupted = interrupted;
  if (options.baseline) {
    for (const auto& id : apply_baseline(*options.baseline, result.cases)) {
      if (!interrupted && options.on_warning) {
        options.on_warning("baseline lists '" + id + "', which is not among the cases run");
      }
    }
  }
  result.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace facteur::runner
