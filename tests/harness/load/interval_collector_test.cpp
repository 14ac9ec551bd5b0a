// IntervalCollector: what the reporting thread takes each interval is exactly the merge of what the
// threads delivered in it, and over many intervals the histograms are reused, never reallocated.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "harness/load/interval_collector.hpp"
#include "tests/harness/load/metrics_test_support.hpp"

namespace facteur::load {
namespace {

using metrics_test::expect_same;
using metrics_test::record_iteration;

// Where every histogram of `m` keeps its counts.
std::set<const std::uint64_t*> storage(const LoadMetrics& m) {
  std::set<const std::uint64_t*> out;
  for (const auto& [name, metric] : m.latency) {
    out.insert(metric.corrected.counts().data());
    out.insert(metric.uncorrected.counts().data());
  }
  return out;
}

TEST(IntervalCollector, TakeIsTheMergeOfTheIntervalsDeliveries) {
  IntervalCollector collector;
  std::vector<LoadMetrics> threads(3);
  LoadMetrics taken;
  std::mt19937_64 rng(5), same_rng(5);
  for (int interval = 0; interval < 4; ++interval) {
    LoadMetrics expected;
    for (int i = 0; i < 3'000; ++i) {
      record_iteration(rng, threads[static_cast<std::size_t>(i) % threads.size()]);
      record_iteration(same_rng, expected);
    }
    if (interval == 2) {  // a metric first seen late, by one thread
      threads[1].metric("smtp.tls").uncorrected.record(900);
      expected.metric("smtp.tls").uncorrected.record(900);
    }
    for (LoadMetrics& t : threads) {
      collector.deliver(t);
      t.reset();
    }
    collector.take(taken);
    // Metrics and error kinds seen before stay, with zero counts, as after LoadMetrics::reset().
    for (const auto& [name, metric] : taken.latency) expected.metric(name);
    for (const auto& [kind, count] : taken.errors) expected.errors.try_emplace(kind, 0);
    SCOPED_TRACE(interval);
    expect_same(taken, expected);
  }
  collector.take(taken);  // nothing delivered since: an empty interval
  for (const auto& [name, metric] : taken.latency) expect_same(metric, LatencyMetric(), name);
  EXPECT_EQ(taken.iterations, 0u);
}

// Once both buffers have held every metric (two intervals), no histogram is allocated again: the
// counts arrays seen after a thousand intervals are the ones of the first two.
TEST(IntervalCollector, ManyIntervalsAllocateNoNewHistograms) {
  IntervalCollector collector;
  LoadMetrics thread, taken;
  std::mt19937_64 rng(7);
  std::set<const std::uint64_t*> first_two;
  for (int interval = 0; interval < 1'000; ++interval) {
    for (int i = 0; i < 5; ++i) record_iteration(rng, thread);
    collector.deliver(thread);
    thread.reset();
    collector.take(taken);
    ASSERT_EQ(taken.iterations, 5u);
    const std::set<const std::uint64_t*> now = storage(taken);
    if (interval < 2) {
      first_two.insert(now.begin(), now.end());
    } else {
      for (const std::uint64_t* p : now) ASSERT_TRUE(first_two.contains(p)) << "interval " << interval;
    }
  }
  EXPECT_EQ(first_two.size(), 8u);  // 2 metrics × 2 histograms × 2 buffers
}

}  // namespace
}  // namespace facteur::load
