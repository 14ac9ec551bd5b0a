// Shared by the metrics tests (metrics_test.cpp, metrics_json_test.cpp, threshold_evaluate_test.cpp):
// LoadMetrics has no operator==, so equality is spelled out here once, histograms by their own ==.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "harness/load/metrics.hpp"

namespace facteur::load::metrics_test {

inline void expect_same(const LatencyMetric& a, const LatencyMetric& b, const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(a.corrected, b.corrected);
  EXPECT_EQ(a.corrected.total_count(), b.corrected.total_count());
  EXPECT_EQ(a.uncorrected, b.uncorrected);
  EXPECT_EQ(a.failures, b.failures);
  EXPECT_EQ(a.bytes, b.bytes);
}

inline void expect_same(const LoadMetrics& a, const LoadMetrics& b) {
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.checks_passed, b.checks_passed);
  EXPECT_EQ(a.checks_failed, b.checks_failed);
  EXPECT_EQ(a.errors, b.errors);
  EXPECT_EQ(a.duration_s, b.duration_s);
  ASSERT_EQ(a.latency.size(), b.latency.size());
  for (auto i = a.latency.begin(), j = b.latency.begin(); i != a.latency.end(); ++i, ++j) {
    EXPECT_EQ(i->first, j->first);
    expect_same(i->second, j->second, i->first);
  }
}

// One scenario iteration's worth of measurements, drawn from `rng`: a connect and a data step
// (exponential latencies, the corrected one later by a queueing delay), an outcome, an error now and then.
inline void record_iteration(std::mt19937_64& rng, LoadMetrics& m) {
  std::exponential_distribution<double> latency(1.0 / 3000.0);
  std::uniform_int_distribution<int> percent(0, 99);
  for (const char* name : {"smtp.connect", "smtp.data"}) {
    LatencyMetric& metric = m.metric(name);
    const auto us = 1 + static_cast<std::uint64_t>(latency(rng));
    metric.uncorrected.record(us);
    metric.corrected.record(us + static_cast<std::uint64_t>(percent(rng)) * 50);
    metric.bytes += 100 + static_cast<std::uint64_t>(percent(rng));
    if (percent(rng) < 3) ++metric.failures;
  }
  ++m.iterations;
  const int roll = percent(rng);
  if (roll < 90) {
    ++m.checks_passed;
  } else {
    ++m.checks_failed;
    m.errors[kErrorKinds[roll % 6]] += 1;
  }
}

}  // namespace facteur::load::metrics_test
