// HdrHistogram: configuration checks, slot geometry, recording, clamping, summary statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {
namespace {

TEST(HdrHistogram, DefaultsAreOneMicrosecondToOneHourAtThreeDigits) {
  const HdrHistogram h;
  EXPECT_EQ(h.config().lowest_discernible, 1u);
  EXPECT_EQ(h.config().highest_trackable, 3'600'000'000u);
  EXPECT_EQ(h.config().significant_digits, 3);
  // 2048 sub-buckets (≥ 2·10^3), 22 buckets to reach 3.6e9, (22 + 1) · 1024 slots: fixed at construction.
  EXPECT_EQ(h.counts().size(), 23'552u);
  EXPECT_EQ(HdrHistogram::slot_count(HdrConfig{}), 23'552u);
}

TEST(HdrHistogram, RejectsConfigurationMistakes) {
  EXPECT_THROW(HdrHistogram(HdrConfig{0, 1000, 3}), std::invalid_argument);
  EXPECT_THROW(HdrHistogram(HdrConfig{1, 1000, 0}), std::invalid_argument);
  EXPECT_THROW(HdrHistogram(HdrConfig{1, 1000, 6}), std::invalid_argument);
  EXPECT_THROW(HdrHistogram(HdrConfig{10, 19, 3}), std::invalid_argument);
  EXPECT_THROW(HdrHistogram(HdrConfig{1, (std::uint64_t{1} << 62) + 1, 3}), std::invalid_argument);
  EXPECT_THROW(HdrHistogram(HdrConfig{std::uint64_t{1} << 50, std::uint64_t{1} << 62, 5}), std::invalid_argument);
  EXPECT_NO_THROW(HdrHistogram(HdrConfig{10, 20, 1}));
  EXPECT_NO_THROW(HdrHistogram(HdrConfig{1, std::uint64_t{1} << 62, 5}));

  std::string why;
  EXPECT_FALSE(HdrHistogram::is_valid(HdrConfig{1, 1000, 9}, &why));
  EXPECT_EQ(why, "significant digits must be within 1..5");
  EXPECT_TRUE(HdrHistogram::is_valid(HdrConfig{}));
}

TEST(HdrHistogram, SlotsAreExactBelowTwoThousandAndThenDouble) {
  const HdrHistogram h;
  for (std::uint64_t v : {0u, 1u, 2u, 999u, 2047u}) {
    EXPECT_EQ(h.lowest_equivalent(v), v);
    EXPECT_EQ(h.highest_equivalent(v), v);
    EXPECT_EQ(h.equivalent_range(v), 1u);
  }
  EXPECT_EQ(h.lowest_equivalent(2049), 2048u);
  EXPECT_EQ(h.highest_equivalent(2048), 2049u);
  EXPECT_EQ(h.equivalent_range(4096), 4u);
  EXPECT_EQ(h.lowest_equivalent(1'000'000), 999'936u);
  EXPECT_EQ(h.highest_equivalent(1'000'000), 1'000'447u);
  EXPECT_EQ(h.median_equivalent(1'000'000), 1'000'192u);
  // Every slot is narrower than a thousandth of its values.
  for (std::uint64_t v = 1; v < 3'600'000'000; v = v * 3 + 1) {
    EXPECT_LE(static_cast<double>(h.equivalent_range(v) - 1), static_cast<double>(v) * 1e-3) << v;
  }
}

TEST(HdrHistogram, IndexAndValueAreInverse) {
  for (const HdrConfig config : {HdrConfig{}, HdrConfig{1, 60'000'000, 2}, HdrConfig{1000, 10'000'000'000, 4}}) {
    const HdrHistogram h(config);
    for (std::size_t i = 0; i < h.counts().size(); ++i) {
      const std::uint64_t value = h.value_at_index(i);
      ASSERT_EQ(h.index_of(value), i);
      ASSERT_EQ(h.lowest_equivalent(value), value);
      ASSERT_EQ(h.index_of(h.highest_equivalent(value)), i);
    }
  }
}

TEST(HdrHistogram, LowestDiscernibleValueSetsTheUnitToAPowerOfTwo) {
  const HdrHistogram h(HdrConfig{1000, 3'600'000'000, 3});  // unit 512: 2^floor(log2(1000))
  EXPECT_EQ(h.lowest_equivalent(1'999), 1'536u);
  EXPECT_EQ(h.highest_equivalent(1'024), 1'535u);
  EXPECT_EQ(h.lowest_equivalent(511), 0u);
  EXPECT_EQ(h.equivalent_range(0), 512u);
}

TEST(HdrHistogram, RecordsCountsMinMax) {
  HdrHistogram h;
  EXPECT_EQ(h.total_count(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.value_at_percentile(50), 0u);

  h.record(100);
  h.record(300, 3);
  h.record(5000, 0);  // no-op
  EXPECT_EQ(h.total_count(), 4u);
  EXPECT_EQ(h.counts()[h.index_of(100)], 1u);
  EXPECT_EQ(h.counts()[h.index_of(300)], 3u);
  EXPECT_EQ(h.min(), 100u);
  EXPECT_EQ(h.max(), 300u);
  EXPECT_DOUBLE_EQ(h.mean(), 250.0);
  EXPECT_DOUBLE_EQ(h.stddev(), std::sqrt((150.0 * 150 + 3 * 50.0 * 50) / 4));
}

TEST(HdrHistogram, MinIsZeroOnceZeroIsRecorded) {
  HdrHistogram h;
  h.record(7);
  EXPECT_EQ(h.min(), 7u);
  h.record(0);
  EXPECT_EQ(h.min(), 0u);
}

TEST(HdrHistogram, MinAndMaxReportTheirSlotsEdges) {
  HdrHistogram h;
  h.record(1'000'001);
  EXPECT_EQ(h.min(), 999'936u);    // lowest equivalent
  EXPECT_EQ(h.max(), 1'000'447u);  // highest equivalent
}

TEST(HdrHistogram, ValuesAboveTheRangeClampToItsTopAndAreTallied) {
  HdrHistogram h(HdrConfig{1, 1'000'000, 3});
  h.record(900'000);
  h.record(5'000'000, 2);
  h.record(UINT64_MAX);
  EXPECT_EQ(h.total_count(), 4u);
  EXPECT_EQ(h.clamped_count(), 3u);
  EXPECT_EQ(h.counts()[h.index_of(1'000'000)], 3u);
  EXPECT_EQ(h.max(), h.highest_equivalent(1'000'000));
  EXPECT_EQ(h.value_at_percentile(100), h.highest_equivalent(1'000'000));
}

TEST(HdrHistogram, ResetEmptiesEverything) {
  HdrHistogram h(HdrConfig{1, 1000, 3});
  h.record(10);
  h.record(5000);
  h.reset();
  EXPECT_EQ(h, HdrHistogram(HdrConfig{1, 1000, 3}));
  EXPECT_EQ(h.total_count(), 0u);
  EXPECT_EQ(h.clamped_count(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
  h.record(20);
  EXPECT_EQ(h.min(), 20u);
  EXPECT_EQ(h.max(), 20u);
}

// A load run records each interval into the histogram it reset after the previous one: that must
// be indistinguishable from a fresh histogram, and reset() must keep the counts array it has.
TEST(HdrHistogram, RecordingIntoAResetHistogramEqualsAFreshOne) {
  std::mt19937_64 rng(21);
  std::lognormal_distribution<double> latency(8.0, 1.5);
  HdrHistogram reused;
  const std::uint64_t* storage = reused.counts().data();
  for (int interval = 0; interval < 3; ++interval) {
    HdrHistogram fresh;
    for (int i = 0; i < 20'000; ++i) {
      const auto us = static_cast<std::uint64_t>(latency(rng)) * static_cast<std::uint64_t>(interval + 1);
      reused.record(us);
      fresh.record(us);
    }
    reused.record_corrected(250'000, 1'000);  // a stall, back-filled
    fresh.record_corrected(250'000, 1'000);
    reused.record(5'000'000'000);  // above the range: clamped and tallied
    fresh.record(5'000'000'000);
    SCOPED_TRACE(interval);
    EXPECT_EQ(reused, fresh);
    EXPECT_EQ(reused.total_count(), fresh.total_count());
    EXPECT_EQ(reused.clamped_count(), 1u);
    EXPECT_EQ(reused.min(), fresh.min());
    EXPECT_EQ(reused.max(), fresh.max());
    EXPECT_EQ(reused.mean(), fresh.mean());
    EXPECT_EQ(reused.value_at_percentile(99.9), fresh.value_at_percentile(99.9));
    reused.reset();
    EXPECT_EQ(reused.counts().data(), storage);  // zeroed in place, never reallocated
  }
}

TEST(HdrHistogram, AddAtIndexTracksLikeRecordingTheSlotsLowestValue) {
  HdrHistogram decoded;
  HdrHistogram recorded;
  decoded.add_at_index(decoded.index_of(1'000'000), 2);
  decoded.add_at_index(decoded.index_of(40), 1);
  decoded.add_at_index(decoded.index_of(0), 0);
  recorded.record(decoded.lowest_equivalent(1'000'000), 2);
  recorded.record(40);
  EXPECT_EQ(decoded, recorded);
  EXPECT_EQ(decoded.min(), recorded.min());
  EXPECT_EQ(decoded.max(), recorded.max());
  EXPECT_EQ(decoded.total_count(), 3u);
}

}  // namespace
}  // namespace facteur::load
