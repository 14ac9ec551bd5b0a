// add(): merging per-thread histograms gives exactly the histogram of all samples recorded in one.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {
namespace {

TEST(HdrMerge, EqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(2024);
  std::exponential_distribution<double> latency(1.0 / 3000.0);
  std::uniform_int_distribution<std::size_t> pick(0, 3);

  HdrHistogram all;
  std::vector<HdrHistogram> per_thread(4);
  for (int i = 0; i < 200'000; ++i) {
    const auto value = static_cast<std::uint64_t>(latency(rng));
    all.record(value);
    per_thread[pick(rng)].record(value);
  }
  per_thread[2].record(9'000'000'000);  // clamped in one part...
  all.record(9'000'000'000);            // ...and in the whole

  HdrHistogram merged;
  for (const HdrHistogram& part : per_thread) merged.add(part);

  EXPECT_EQ(merged, all);  // bit-identical counts
  EXPECT_EQ(merged.total_count(), all.total_count());
  EXPECT_EQ(merged.clamped_count(), 1u);
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_EQ(merged.mean(), all.mean());
  EXPECT_EQ(merged.stddev(), all.stddev());
  for (const double p : {0.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    EXPECT_EQ(merged.value_at_percentile(p), all.value_at_percentile(p)) << p;
  }
}

TEST(HdrMerge, AddingAnEmptyHistogramChangesNothing) {
  HdrHistogram h;
  h.record(5);
  h.record(70'000);
  const HdrHistogram before = h;
  h.add(HdrHistogram{});
  EXPECT_EQ(h, before);
  EXPECT_EQ(h.min(), 5u);
  EXPECT_EQ(h.max(), before.max());
}

TEST(HdrMerge, IntoAnEmptyHistogramCopiesMinAndMax) {
  HdrHistogram part;
  part.record(12);
  part.record(345'678);
  HdrHistogram total;
  total.add(part);
  EXPECT_EQ(total, part);
  EXPECT_EQ(total.min(), 12u);
  EXPECT_EQ(total.max(), part.max());
}

TEST(HdrMerge, DifferentLayoutsReRecordEachSlot) {
  HdrHistogram fine(HdrConfig{1, 3'600'000'000, 5});
  HdrHistogram coarse(HdrConfig{1, 10'000'000, 2});
  HdrHistogram expected(HdrConfig{1, 10'000'000, 2});
  for (std::uint64_t v : {3u, 1'234u, 99'999u, 5'000'000u}) {
    fine.record(v, 2);
    expected.record(fine.lowest_equivalent(v), 2);
  }
  fine.record(20'000'000);  // above coarse's range: clamped when re-recorded
  expected.record(20'000'000);
  coarse.add(fine);
  EXPECT_EQ(coarse, expected);
  EXPECT_EQ(coarse.total_count(), 9u);
  EXPECT_EQ(coarse.clamped_count(), 1u);
}

}  // namespace
}  // namespace facteur::load
