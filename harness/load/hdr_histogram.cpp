// HdrHistogram: bucket geometry, coordinated-omission back-fill, merge and percentile queries.
// The formulas follow the public HdrHistogram layout so that the counts array is interchangeable
// with other implementations' (see hdr_histogram.hpp).
#include "harness/load/hdr_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace facteur::load {
namespace {

constexpr std::uint64_t max_highest_trackable = std::uint64_t{1} << 62;

// Buckets needed so that `value` has a slot: bucket 0 holds [0, sub_bucket_count << unit), each
// further bucket doubles the covered range.
int buckets_to_cover(std::uint64_t value, std::uint64_t sub_bucket_count, int unit_magnitude) {
  std::uint64_t smallest_untrackable = sub_bucket_count << unit_magnitude;
  int buckets = 1;
  while (smallest_untrackable <= value) {
    if (smallest_untrackable > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / 2) {
      return buckets + 1;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}

// The derived layout of a config, per the public HdrHistogram formulas.
struct Geometry {
  int unit_magnitude = 0;
  int sub_bucket_half_count_magnitude = 0;
  std::uint64_t sub_bucket_count = 0;
  std::size_t slots = 0;
};

// 2·10^d values at unit resolution need ceil(log2(2·10^d)) bits of sub-bucket index.
int sub_bucket_count_magnitude(int significant_digits) {
  std::uint64_t single_unit_range = 2;
  for (int d = 0; d < significant_digits; ++d) single_unit_range *= 10;
  return static_cast<int>(std::bit_width(single_unit_range - 1));
}

std::string config_problem(const HdrConfig& config) {
  if (config.lowest_discernible < 1) return "lowest discernible value must be at least 1";
  if (config.significant_digits < 1 || config.significant_digits > 5) {
    return "significant digits must be within 1..5";
  }
  if (config.highest_trackable / 2 < config.lowest_discernible) {
    return "highest trackable value must be at least twice the lowest discernible value";
  }
  if (config.highest_trackable > max_highest_trackable) return "highest trackable value must be at most 2^62";
  const int unit_magnitude = static_cast<int>(std::bit_width(config.lowest_discernible)) - 1;
  if (unit_magnitude + sub_bucket_count_magnitude(config.significant_digits) > 62) {
    return "lowest discernible value too large for the significant digits asked";
  }
  return {};
}

Geometry geometry_of(const HdrConfig& config) {
  const int magnitude = sub_bucket_count_magnitude(config.significant_digits);
  Geometry g;
  g.unit_magnitude = static_cast<int>(std::bit_width(config.lowest_discernible)) - 1;
  g.sub_bucket_half_count_magnitude = magnitude - 1;
  g.sub_bucket_count = std::uint64_t{1} << magnitude;
  const int buckets = buckets_to_cover(config.highest_trackable, g.sub_bucket_count, g.unit_magnitude);
  g.slots = (static_cast<std::size_t>(buckets) + 1) * (g.sub_bucket_count / 2);
  return g;
}

}  // namespace

bool HdrHistogram::is_valid(const HdrConfig& config, std::string* error) {
  std::string problem = config_problem(config);
  if (problem.empty()) return true;
  if (error) *error = std::move(problem);
  return false;
}

std::size_t HdrHistogram::slot_count(const HdrConfig& config) { return geometry_of(config).slots; }

HdrHistogram::HdrHistogram(const HdrConfig& config) : config_(config) {
  if (std::string problem = config_problem(config); !problem.empty()) {
    throw std::invalid_argument("HdrHistogram: " + problem);
  }
  const Geometry g = geometry_of(config);
  unit_magnitude_ = g.unit_magnitude;
  sub_bucket_half_count_magnitude_ = g.sub_bucket_half_count_magnitude;
  sub_bucket_count_ = g.sub_bucket_count;
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = (sub_bucket_count_ - 1) << unit_magnitude_;
  leading_zero_count_base_ = 64 - unit_magnitude_ - sub_bucket_half_count_magnitude_ - 1;
  counts_.assign(g.slots, 0);
}

void HdrHistogram::record_corrected(std::uint64_t value, std::uint64_t interval) {
  record(value);
  if (interval == 0 || value <= interval || value - interval < interval) return;

  // The missing samples are value - k·interval for k ≥ 1, down to interval. Those above the
  // trackable range clamp to its top, all at once.
  std::uint64_t missing = value - interval;
  if (missing > config_.highest_trackable) {
    const std::uint64_t terms = (missing - interval) / interval + 1;
    const std::uint64_t above = std::min(terms, (missing - config_.highest_trackable - 1) / interval + 1);
    record(config_.highest_trackable, above);
    clamped_count_ += above;
    missing -= above * interval;
  }
  // Then one step per slot: every term of the progression between the slot's floor and `missing`
  // lands in the same slot.
  while (missing >= interval) {
    const std::uint64_t floor = std::max(lowest_equivalent(missing), interval);
    const std::uint64_t terms = (missing - floor) / interval + 1;
    counts_[index_of(missing)] += terms;
    total_count_ += terms;
    max_value_ = std::max(max_value_, missing);
    min_non_zero_value_ = std::min(min_non_zero_value_, missing - (terms - 1) * interval);
    missing -= terms * interval;
  }
}

void HdrHistogram::add(const HdrHistogram& other) {
  if (other.config_ == config_) {
    // Past the other's highest value its counts are all zero (the usual interval fills a few
    // hundred of the tens of thousands of slots).
    const std::size_t end = std::min(counts_.size(), other.max_index() + 1);
    for (std::size_t i = 0; i < end; ++i) counts_[i] += other.counts_[i];
    total_count_ += other.total_count_;
    max_value_ = std::max(max_value_, other.max_value_);
    min_non_zero_value_ = std::min(min_non_zero_value_, other.min_non_zero_value_);
  } else {
    for (std::size_t i = 0; i < other.counts_.size(); ++i) {
      if (other.counts_[i] != 0) record(other.value_at_index(i), other.counts_[i]);
    }
  }
  clamped_count_ += other.clamped_count_;
}

void HdrHistogram::reset() {
  // Every recorded count lies at or below the highest value's slot: zeroing the whole array each
  // interval was most of what the load runner's metrics cost.
  const std::size_t end = std::min(counts_.size(), max_index() + 1);
  std::fill(counts_.begin(), counts_.begin() + static_cast<std::ptrdiff_t>(end), 0);
  total_count_ = 0;
  clamped_count_ = 0;
  max_value_ = 0;
  min_non_zero_value_ = UINT64_MAX;
}

void HdrHistogram::add_at_index(std::size_t index, std::uint64_t count) {
  if (count == 0) return;
  counts_[index] += count;
  total_count_ += count;
  const std::uint64_t value = value_at_index(index);
  max_value_ = std::max(max_value_, value);
  if (value != 0) min_non_zero_value_ = std::min(min_non_zero_value_, value);
}

std::uint64_t HdrHistogram::min() const {
  if (total_count_ == 0 || counts_[0] != 0) return 0;
  return lowest_equivalent(min_non_zero_value_);
}

double HdrHistogram::mean() const {
  if (total_count_ == 0) return 0;
  double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    sum += static_cast<double>(median_equivalent(value_at_index(i))) * static_cast<double>(counts_[i]);
  }
  return sum / static_cast<double>(total_count_);
}

double HdrHistogram::stddev() const {
  if (total_count_ == 0) return 0;
  const double average = mean();
  double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const double deviation = static_cast<double>(median_equivalent(value_at_index(i))) - average;
    sum += deviation * deviation * static_cast<double>(counts_[i]);
  }
  return std::sqrt(sum / static_cast<double>(total_count_));
}

std::uint64_t HdrHistogram::value_at_percentile(double percentile) const {
  if (total_count_ == 0) return 0;
  const double p = percentile > 0 ? std::min(percentile, 100.0) : 0.0;
  // ceil(p/100 · total), taking one ulp off first so that a product landing one ulp above an
  // integer (0.99 · 1000 = 990.0000000000001) does not skip a sample.
  const double wanted = p / 100.0 * static_cast<double>(total_count_);
  const double ulp = std::nextafter(wanted, std::numeric_limits<double>::infinity()) - wanted;
  const double rank = std::ceil(wanted - ulp);
  const std::uint64_t target =
      rank < 1 ? 1 : std::min(total_count_, static_cast<std::uint64_t>(rank));

  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= target) return p == 0 ? value_at_index(i) : highest_equivalent(value_at_index(i));
  }
  return 0;  // unreachable: the counts add up to total_count_
}

std::uint64_t HdrHistogram::value_at_index(std::size_t index) const {
  int bucket = static_cast<int>(index >> sub_bucket_half_count_magnitude_) - 1;
  std::uint64_t sub_bucket = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {  // the lower half of bucket 0
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub_bucket << (bucket + unit_magnitude_);
}

std::uint64_t HdrHistogram::lowest_equivalent(std::uint64_t value) const {
  const int bucket = bucket_of(value);
  return (value >> (bucket + unit_magnitude_)) << (bucket + unit_magnitude_);
}

std::uint64_t HdrHistogram::equivalent_range(std::uint64_t value) const {
  const int bucket = bucket_of(value);
  const std::uint64_t sub_bucket = value >> (bucket + unit_magnitude_);
  return std::uint64_t{1} << (unit_magnitude_ + (sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket));
}

std::uint64_t HdrHistogram::highest_equivalent(std::uint64_t value) const {
  return lowest_equivalent(value) + equivalent_range(value) - 1;
}

std::uint64_t HdrHistogram::median_equivalent(std::uint64_t value) const {
  return lowest_equivalent(value) + (equivalent_range(value) >> 1);
}

}  // namespace facteur::load
