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

namespace {

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
  }
}

}  // namespace

report::RunResult run_conformance(const std::vector<scenario::Scenario>& scenarios, const RunOptions& options) {
  report::RunResult result;
  result.tool_version = version();
  result.command = "run";
  result.target = options.settings.target.display();
  result.started_at = utc_now_rfc3339();
  result.strict = options.settings.strict;
  if (options.baseline) result.baseline_file = options.baseline->file;
  const auto started = std::chrono::steady_clock::now();

  // The case each slot's run_case is running; declared before the io_context, whose destructor
  // destroys the coroutine frames that reset these pointers.
  std::vector<engine::CaseRun*> live(scenarios.size(), nullptr);
  asio::io_context io;
  std::vector<std::optional<report::CaseResult>> slots(scenarios.size());
  std::size_t next = 0, done = 0;
  bool interrupted = false;
  int signal_number = 0;
  ProbeResult probed;

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    interrupted = true;
    signal_number = signal;
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
      report::CaseResult r = co_await engine::run_case(scenarios[i], options.settings, probed.caps, &live[i]);
      slots[i] = std::move(r);
      ++done;
      if (options.on_case) options.on_case(*slots[i], done, scenarios.size());
    }
    if (--active == 0) signals.cancel();
  };

  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    probed = co_await probe(options.settings);
    for (const auto& [k, v] : probed.facts) result.environment[k] = v;
    if (auto ehlo = probed.facts.find("ehlo"); ehlo != probed.facts.end() && options.on_warning) {
      options.on_warning("target probe: " + ehlo->second + "; cases that require an extension are skipped");
    }
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

  // The cases in flight when the signal came end as errors with what they measured; their
  // coroutines are never resumed (the io_context is stopped) and their frames live until it goes.
  std::vector<std::size_t> cut;  // where those cases are in result.cases
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (!slots[i] && live[i]) {
      slots[i] = live[i]->interrupt(std::string("interrupted by ") + signal_name(signal_number));
      cut.push_back(result.cases.size());
      ++done;
      if (options.on_case) options.on_case(*slots[i], done, scenarios.size());
    }
    if (slots[i]) result.cases.push_back(std::move(*slots[i]));
  }
  result.interrupted = interrupted;
  if (options.baseline) {
    for (const auto& id : apply_baseline(*options.baseline, result.cases)) {
      if (!interrupted && options.on_warning) {
        options.on_warning("baseline lists '" + id + "', which is not among the cases run");
      }
    }
    // An interrupted case says nothing about the server: the baseline neither excuses it nor finds it stale.
    for (std::size_t k : cut) {
      result.cases[k].baseline_reason.reset();
      result.cases[k].baseline_stale = false;
    }
  }
  result.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace facteur::runner
