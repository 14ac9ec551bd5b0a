// value_at_percentile against the exact percentiles of known distributions: the reported value is
// the highest equivalent value of the exact sample's slot, so within a relative 10^-digits of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {
namespace {

// Percentiles in hundredths of a percent, so that ranks are computed in integers.
constexpr std::uint64_t percentiles_bp[] = {1, 100, 1000, 2500, 5000, 7500, 9000, 9500, 9900, 9990, 9999, 10000};

// The exact percentile with HdrHistogram's rank: the ceil(p/100 · N)-th smallest sample (at least the first).
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, std::uint64_t basis_points) {
  const std::uint64_t n = sorted.size();
  const std::uint64_t rank = std::max<std::uint64_t>(1, (basis_points * n + 9999) / 10000);
  return sorted[rank - 1];
}

void expect_percentiles_within_precision(std::vector<std::uint64_t> samples, const HdrConfig& config) {
  HdrHistogram h(config);
  for (const std::uint64_t s : samples) h.record(s);
  std::sort(samples.begin(), samples.end());
  const double tolerance = std::pow(10.0, -config.significant_digits);
  for (const std::uint64_t bp : percentiles_bp) {
    const double p = static_cast<double>(bp) / 100.0;
    const std::uint64_t exact = exact_percentile(samples, bp);
    const std::uint64_t reported = h.value_at_percentile(p);
    SCOPED_TRACE(testing::Message() << "p" << p << " digits " << config.significant_digits);
    EXPECT_EQ(reported, h.highest_equivalent(exact));
    EXPECT_GE(reported, exact);
    EXPECT_LE(static_cast<double>(reported - exact), static_cast<double>(exact) * tolerance)
        << "exact " << exact << " reported " << reported;
  }
  EXPECT_EQ(h.value_at_percentile(0), h.lowest_equivalent(samples.front()));
  EXPECT_EQ(h.value_at_percentile(100), h.max());
  EXPECT_EQ(h.max(), h.highest_equivalent(samples.back()));
}

std::vector<std::uint64_t> uniform_samples(std::uint64_t seed, std::size_t n, std::uint64_t high) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> dist(1, high);
  std::vector<std::uint64_t> out(n);
  for (auto& v : out) v = dist(rng);
  return out;
}

std::vector<std::uint64_t> exponential_samples(std::uint64_t seed, std::size_t n, double mean) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> dist(1.0 / mean);
  std::vector<std::uint64_t> out(n);
  for (auto& v : out) v = 1 + static_cast<std::uint64_t>(dist(rng));
  return out;
}

TEST(HdrPercentile, UniformWithinPrecisionAtEveryDigitCount) {
  for (int digits = 1; digits <= 5; ++digits) {
    expect_percentiles_within_precision(uniform_samples(42, 100'000, 10'000'000),
                                        HdrConfig{1, 3'600'000'000, digits});
  }
}

TEST(HdrPercentile, ExponentialWithinPrecisionAtEveryDigitCount) {
  for (int digits = 1; digits <= 5; ++digits) {
    expect_percentiles_within_precision(exponential_samples(7, 100'000, 5'000.0),
                                        HdrConfig{1, 3'600'000'000, digits});
  }
}

TEST(HdrPercentile, HeavyTailOverTheWholeRange) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> exponent(0.0, std::log(3.5e9));
  std::vector<std::uint64_t> samples(50'000);
  for (auto& v : samples) v = 1 + static_cast<std::uint64_t>(std::exp(exponent(rng)));
  expect_percentiles_within_precision(samples, HdrConfig{});
}

TEST(HdrPercentile, SmallValuesAreExact) {
  HdrHistogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.value_at_percentile(50), 50u);
  EXPECT_EQ(h.value_at_percentile(99), 99u);
  EXPECT_EQ(h.value_at_percentile(99.5), 100u);
  EXPECT_EQ(h.value_at_percentile(1), 1u);
  EXPECT_EQ(h.value_at_percentile(0.5), 1u);
  EXPECT_EQ(h.value_at_percentile(0), 1u);
}

TEST(HdrPercentile, RoundingOfTheRankDoesNotSkipASample) {
  // 0.99 · 1000 is 990.0000000000001 in doubles; the rank is still 990.
  HdrHistogram h;
  for (std::uint64_t v = 1; v <= 1000; ++v) h.record(v);
  EXPECT_EQ(h.value_at_percentile(99), 990u);
  EXPECT_EQ(h.value_at_percentile(99.9), 999u);
  EXPECT_EQ(h.value_at_percentile(10), 100u);
}

TEST(HdrPercentile, OutOfRangePercentilesAreClamped) {
  HdrHistogram h;
  h.record(10);
  h.record(20);
  EXPECT_EQ(h.value_at_percentile(150), 20u);
  EXPECT_EQ(h.value_at_percentile(-5), 10u);
  EXPECT_EQ(h.value_at_percentile(std::nan("")), 10u);
}

}  // namespace
}  // namespace facteur::load
