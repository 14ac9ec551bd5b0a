// facteur load: a scenario as a workload. Worker threads (each its own io_context, sharing nothing
// while iterations run) drive virtual users under a k6-style executor; every step's latency goes into
// HdrHistograms (corrected from the intended start in the open model, uncorrected beside it), checks
// stay on (a failed expectation counts), and a sample of failing transcripts is kept. Results merge
// per interval and at the end; thresholds decide the verdict.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/engine/settings.hpp"
#include "harness/load/executor.hpp"
#include "harness/load/hdr_interval_log.hpp"
#include "harness/load/metrics.hpp"
#include "harness/load/thresholds.hpp"
#include "harness/scenario/model.hpp"
#include "reports/result.hpp"

namespace facteur::runner {

struct LoadProgress {
  double elapsed_s = 0, total_s = 0;
  const load::LoadMetrics* interval = nullptr;  // the interval just ended (all threads)
  const load::LoadMetrics* total = nullptr;
  int active = 0;                               // iterations in flight
};

struct LoadOptions {
  engine::RunSettings settings;
  load::ExecutorConfig executor;
  int threads = 1;
  std::vector<load::Threshold> thresholds;
  std::chrono::milliseconds interval{1000};     // time series and progress
  int keep_failures = 5;                        // failing iterations kept with their transcripts
  std::function<void(const LoadProgress&)> on_progress;
  // Where the HdrHistogram interval log goes, one line per metric per interval as each interval
  // closes (a run keeps no histogram of a past interval: memory stays flat whatever the duration).
  std::ostream* interval_log = nullptr;
};

struct LoadResult {
  report::RunResult run;          // cases: one per threshold, plus the kept failing iterations; run.load
  load::LoadMetrics total;
  std::vector<load::ThresholdResult> thresholds;
  std::size_t log_lines = 0;      // interval-log lines written (one per metric per interval)
  bool thresholds_failed = false;
  bool aborted = false;           // an abort_on_fail threshold stopped the run early
};

LoadResult run_load(const scenario::Scenario& scenario, const LoadOptions& options);

}  // namespace facteur::runner
