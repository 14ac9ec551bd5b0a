// Runs a set of scenarios as conformance cases against one target and produces the RunResult.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "harness/engine/settings.hpp"
#include "harness/runner/baseline.hpp"
#include "harness/scenario/model.hpp"
#include "reports/result.hpp"

namespace facteur::runner {

struct RunOptions {
  engine::RunSettings settings;
  int jobs = 1;                                   // cases run at once
  std::optional<Baseline> baseline;
  // Called after each case (from the run's thread), for progress output.
  std::function<void(const report::CaseResult&, std::size_t done, std::size_t total)> on_case;
  std::function<void(const std::string&)> on_warning;
};

// Runs every scenario. SIGINT/SIGTERM stop the run at once and mark it interrupted: the cases in
// flight end as errors ("interrupted by SIGINT after N ms (step K)") with their transcripts so far,
// the cases not started are left out, and a second signal ends the process at once. Never throws
// for what a server does.
report::RunResult run_conformance(const std::vector<scenario::Scenario>& scenarios, const RunOptions& options);

}  // namespace facteur::runner
