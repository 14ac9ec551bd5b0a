// record_corrected: HdrHistogram's at-recording coordinated-omission correction. A sender that
// stalls for a whole response did not send the requests it should have; the histogram back-fills
// value - k·interval for each of them.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {
namespace {

// The definition, one sample at a time.
void record_corrected_naively(HdrHistogram& h, std::uint64_t value, std::uint64_t interval) {
  h.record(value);
  if (interval == 0 || value < interval) return;
  for (std::uint64_t missing = value - interval; missing >= interval; missing -= interval) h.record(missing);
}

TEST(HdrCoordinatedOmission, OneSecondStallAtOneMillisecondBackFillsNineHundredNinetyNine) {
  constexpr std::uint64_t interval = 1'000;  // 1 ms between intended sends, in µs
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::uint64_t> fast(100, 300);

  HdrHistogram raw;
  HdrHistogram corrected;
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t latency = fast(rng);
    raw.record(latency);
    corrected.record_corrected(latency, interval);  // below the interval: nothing to back-fill
  }
  raw.record(1'000'000);  // the stall: one response took 1 s
  corrected.record_corrected(1'000'000, interval);

  // 999 ms, 998 ms, …, 1 ms: the requests that should have gone out during the stall.
  EXPECT_EQ(corrected.total_count() - raw.total_count(), 999u);
  EXPECT_EQ(corrected.counts()[corrected.index_of(1'000)], 1u);
  EXPECT_EQ(corrected.max(), raw.max());

  const std::uint64_t raw_p99 = raw.value_at_percentile(99);
  const std::uint64_t corrected_p99 = corrected.value_at_percentile(99);
  EXPECT_LE(raw_p99, 300u);
  // 11,000 samples: the top 1% are the stall and its 109 largest back-fills, 1 s down to 891 ms;
  // the 10,890th sample is the 890 ms one.
  EXPECT_EQ(corrected_p99, corrected.highest_equivalent(890'000));
  EXPECT_GT(corrected_p99, 1000 * raw_p99);  // ≫ the uncorrected p99
}

TEST(HdrCoordinatedOmission, NothingToBackFill) {
  HdrHistogram h;
  h.record_corrected(500, 0);      // no interval: plain record
  h.record_corrected(500, 1'000);  // faster than the interval
  h.record_corrected(1'999, 1'000);  // 999 < interval: no missing sample
  EXPECT_EQ(h.total_count(), 3u);
  h.record_corrected(2'000, 1'000);  // exactly one missing sample: 1000
  EXPECT_EQ(h.total_count(), 5u);
  EXPECT_EQ(h.counts()[h.index_of(1'000)], 1u);
}

TEST(HdrCoordinatedOmission, SlotAtATimeEqualsTheDefinition) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::uint64_t> values(1, 50'000'000);
  std::uniform_int_distribution<std::uint64_t> intervals(1, 200'000);
  // The second and last ranges are below the values, the last one also below most intervals.
  for (const HdrConfig config : {HdrConfig{}, HdrConfig{1, 20'000'000, 2}, HdrConfig{64, 100'000'000, 4},
                                 HdrConfig{1, 10'000, 3}}) {
    HdrHistogram fast(config);
    HdrHistogram naive(config);
    for (int i = 0; i < 300; ++i) {
      const std::uint64_t value = values(rng);
      const std::uint64_t interval = intervals(rng);
      fast.record_corrected(value, interval);
      record_corrected_naively(naive, value, interval);
    }
    EXPECT_EQ(fast, naive);  // including back-fills above the range, clamped
    EXPECT_EQ(fast.total_count(), naive.total_count());
    EXPECT_EQ(fast.clamped_count(), naive.clamped_count());
    EXPECT_EQ(fast.min(), naive.min());
    EXPECT_EQ(fast.max(), naive.max());
  }
}

TEST(HdrCoordinatedOmission, IntervalLongerThanTheRange) {
  HdrHistogram h(HdrConfig{1, 1'000, 3});
  h.record_corrected(12'000, 5'000);  // 12000 and the missing 7000: both clamped; 2000 < interval
  EXPECT_EQ(h.total_count(), 2u);
  EXPECT_EQ(h.clamped_count(), 2u);
  EXPECT_EQ(h.counts()[h.index_of(1'000)], 2u);
}

TEST(HdrCoordinatedOmission, HugeStallAtATinyIntervalIsCheap) {
  // 3.6e9 back-filled samples: slot-at-a-time work, not one step per sample.
  HdrHistogram h;
  h.record_corrected(3'600'000'000, 1);
  EXPECT_EQ(h.total_count(), 3'600'000'000u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.value_at_percentile(50), h.highest_equivalent(1'800'000'000));
}

}  // namespace
}  // namespace facteur::load
