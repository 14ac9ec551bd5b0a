// Merging and resetting a load run's measurements (metrics.hpp).
#include "harness/load/metrics.hpp"

#include <algorithm>

namespace facteur::load {

void LatencyMetric::add(const LatencyMetric& other) {
  corrected.add(other.corrected);
  uncorrected.add(other.uncorrected);
  failures += other.failures;
  bytes += other.bytes;
}

LatencyMetric& LoadMetrics::metric(const std::string& name) { return latency[name]; }

void LoadMetrics::add(const LoadMetrics& other) {
  for (const auto& [name, m] : other.latency) metric(name).add(m);
  iterations += other.iterations;
  checks_passed += other.checks_passed;
  checks_failed += other.checks_failed;
  for (const auto& [kind, count] : other.errors) errors[kind] += count;
  duration_s = std::max(duration_s, other.duration_s);
}

// Counts go back to 0 but the metrics and error kinds already seen stay, so that the recording
// threads do not allocate their histograms again after each interval.
void LoadMetrics::reset() {
  for (auto& [name, m] : latency) {
    m.corrected.reset();
    m.uncorrected.reset();
    m.failures = 0;
    m.bytes = 0;
  }
  iterations = 0;
  checks_passed = checks_failed = 0;
  for (auto& [kind, count] : errors) count = 0;
  duration_s = 0;
}

}  // namespace facteur::load
