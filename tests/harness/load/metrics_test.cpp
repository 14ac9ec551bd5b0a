// LatencyMetric::add and LoadMetrics::add: merging per-thread measurements equals recording
// everything into one; metric() creates on first use; reset() zeroes counts and keeps the metrics.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "harness/load/metrics.hpp"
#include "tests/harness/load/metrics_test_support.hpp"

namespace facteur::load {
namespace {

using metrics_test::expect_same;
using metrics_test::record_iteration;

TEST(LatencyMetric, AddEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> latency(8.0, 1.2);
  LatencyMetric all, first, second;
  for (int i = 0; i < 50'000; ++i) {
    const auto us = 1 + static_cast<std::uint64_t>(latency(rng));
    LatencyMetric& part = i % 3 ? first : second;
    for (LatencyMetric* m : {&all, &part}) {
      m->uncorrected.record(us);
      m->corrected.record_corrected(us, 2'000);
      m->bytes += 10;
      if (us > 10'000) ++m->failures;
    }
  }
  LatencyMetric merged;
  merged.add(first);
  merged.add(second);
  expect_same(merged, all, "merged");
  EXPECT_GT(merged.failures, 0u);
  EXPECT_EQ(merged.bytes, 500'000u);
  EXPECT_GT(merged.corrected.total_count(), merged.uncorrected.total_count());  // back-filled samples
}

TEST(LoadMetrics, AddEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(3);
  std::mt19937_64 same_rng(3);
  LoadMetrics all;
  std::vector<LoadMetrics> threads(4);
  for (int i = 0; i < 20'000; ++i) {
    record_iteration(rng, all);
    record_iteration(same_rng, threads[static_cast<std::size_t>(i) % threads.size()]);
  }
  threads[1].metric("smtp.tls").uncorrected.record(777);  // a metric only one thread saw
  all.metric("smtp.tls").uncorrected.record(777);
  threads[0].duration_s = 9.5;
  threads[2].duration_s = 10.25;
  all.duration_s = 10.25;

  LoadMetrics merged;
  for (const LoadMetrics& t : threads) merged.add(t);
  expect_same(merged, all);
  EXPECT_EQ(merged.iterations, 20'000u);
  EXPECT_EQ(merged.checks_passed + merged.checks_failed, 20'000u);
  EXPECT_EQ(merged.latency.size(), 3u);
  EXPECT_FALSE(merged.errors.empty());
}

TEST(LoadMetrics, ErrorMapsAdd) {
  LoadMetrics a, b;
  a.errors = {{"timeout", 2}, {"tls", 1}};
  b.errors = {{"timeout", 3}, {"dropped", 7}};
  a.add(b);
  EXPECT_EQ(a.errors, (std::map<std::string, std::uint64_t>{{"dropped", 7}, {"timeout", 5}, {"tls", 1}}));
  EXPECT_EQ(b.errors.size(), 2u);  // the other is left as it was
}

TEST(LoadMetrics, DurationIsTheLongerOne) {
  LoadMetrics a, b;
  a.duration_s = 3;
  b.duration_s = 2;
  a.add(b);
  EXPECT_EQ(a.duration_s, 3);
  b.add(a);
  EXPECT_EQ(b.duration_s, 3);
}

TEST(LoadMetrics, MetricIsCreatedOnFirstUse) {
  LoadMetrics m;
  EXPECT_TRUE(m.latency.empty());
  LatencyMetric& data = m.metric("smtp.data");
  data.uncorrected.record(5);
  EXPECT_EQ(&m.metric("smtp.data"), &data);
  EXPECT_EQ(m.latency.size(), 1u);
  EXPECT_EQ(m.latency.at("smtp.data").uncorrected.total_count(), 1u);
  EXPECT_EQ(m.metric("iteration").corrected.total_count(), 0u);
  EXPECT_EQ(m.latency.size(), 2u);
}

TEST(LoadMetrics, ResetZeroesCountsAndKeepsTheMetrics) {
  std::mt19937_64 rng(8);
  LoadMetrics m;
  for (int i = 0; i < 1000; ++i) record_iteration(rng, m);
  m.errors["timeout"] += 1;
  m.duration_s = 1;
  const LatencyMetric* data = &m.metric("smtp.data");
  m.reset();

  EXPECT_EQ(m.iterations, 0u);
  EXPECT_EQ(m.checks_passed, 0u);
  EXPECT_EQ(m.checks_failed, 0u);
  EXPECT_EQ(m.duration_s, 0);
  EXPECT_EQ(m.latency.size(), 2u);
  EXPECT_EQ(&m.metric("smtp.data"), data);  // the same histograms, not new ones
  for (const auto& [name, metric] : m.latency) {
    expect_same(metric, LatencyMetric(), name);  // LatencyMetric{} would copy-list-initialize the explicit HdrHistogram()
  }
  for (const auto& [kind, count] : m.errors) EXPECT_EQ(count, 0u) << kind;

  // An interval recorded after reset() equals the same interval recorded from scratch.
  std::mt19937_64 a(9), b(9);
  LoadMetrics fresh;
  for (int i = 0; i < 500; ++i) {
    record_iteration(a, m);
    record_iteration(b, fresh);
  }
  for (const auto& [kind, count] : m.errors) fresh.errors.try_emplace(kind, 0);  // kinds seen before stay
  expect_same(m, fresh);
}

}  // namespace
}  // namespace facteur::load
