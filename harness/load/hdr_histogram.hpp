// A High Dynamic Range (HdrHistogram) latency histogram: fixed memory, constant-time record(),
// values kept to a configurable number of significant decimal digits. The bucket layout is the
// public HdrHistogram one (as in the Java and JS implementations), so the counts array encodes to
// and decodes from the standard V2 format unchanged (hdr_codec.hpp).
//
// Layout (u = the unit, the power of two ≤ lowest; S = sub-bucket count, the power of two
// ≥ 2·10^d): bucket 0 holds [0, S·u) in slots of width u; bucket b ≥ 1 holds [2^(b-1)·S·u, 2^b·S·u)
// in S/2 slots of width 2^b·u. A slot is thus never wider than a 10^-d fraction of its values:
// every reported value is within a relative 10^-d of the recorded one.
//
// Not thread-safe: one histogram per event loop, merged with add() at the end (wrk2 style).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace facteur::load {

struct HdrConfig {
  std::uint64_t lowest_discernible = 1;              // 1 µs
  std::uint64_t highest_trackable = 3'600'000'000;   // 1 hour in µs
  int significant_digits = 3;                         // 1..5

  friend bool operator==(const HdrConfig&, const HdrConfig&) = default;
};

class HdrHistogram {
 public:
  // Allocates the whole counts array now; nothing grows later. Throws std::invalid_argument for
  // lowest < 1, highest < 2·lowest, highest > 2^62 or digits outside 1..5 (configuration mistakes).
  explicit HdrHistogram(const HdrConfig& config = {});

  // The same checks without throwing (for decoders reading a config off the wire), and the number
  // of slots a valid config allocates.
  static bool is_valid(const HdrConfig& config, std::string* error = nullptr);
  static std::size_t slot_count(const HdrConfig& config);

  // Values above highest_trackable are clamped to it (counted, with their true count, at the top)
  // and tallied in clamped_count(), so totals stay equal to what was recorded. A count of 0 is a no-op.
  void record(std::uint64_t value, std::uint64_t count = 1) {
    if (count == 0) return;
    if (value > config_.highest_trackable) {
      value = config_.highest_trackable;
      clamped_count_ += count;
    }
    counts_[index_of(value)] += count;
    total_count_ += count;
    if (value > max_value_) max_value_ = value;
    if (value != 0 && value < min_non_zero_value_) min_non_zero_value_ = value;
  }

  // Coordinated-omission correction at recording time, as HdrHistogram defines it: records `value`,
  // then, when `value` exceeds `expected_interval`, the samples that a stalled sender did not send:
  // value - k·interval for k = 1, 2, … while that is ≥ interval. interval 0 is a plain record().
  // Runs in time proportional to the buckets crossed, not to value / interval.
  void record_corrected(std::uint64_t value, std::uint64_t interval);

  // Adds every count of `other`. With an equal config this is exactly the histogram of all samples
  // recorded into one; otherwise each of other's slots is re-recorded at its lowest equivalent value
  // (clamped as record() does). Clamped tallies add up.
  void add(const HdrHistogram& other);

  void reset();

  std::uint64_t total_count() const { return total_count_; }
  std::uint64_t clamped_count() const { return clamped_count_; }
  // 0 when empty, else the lowest equivalent value of the smallest sample.
  std::uint64_t min() const;
  // 0 when empty, else the highest equivalent value of the largest sample.
  std::uint64_t max() const { return max_value_ == 0 ? 0 : highest_equivalent(max_value_); }
  // Over each slot's median equivalent value, weighted by its count; 0 when empty.
  double mean() const;
  double stddev() const;  // population standard deviation, same weighting

  // HdrHistogram semantics: the slot holding the ceil(p/100 · total)-th sample (at least the first),
  // reported as that slot's highest equivalent value (its lowest for p == 0). p is clamped to
  // [0, 100] (NaN counts as 0); 0 when empty.
  std::uint64_t value_at_percentile(double percentile) const;

  // Slot geometry.
  std::size_t index_of(std::uint64_t value) const {
    const int bucket = bucket_of(value);
    const std::uint64_t sub_bucket = value >> (bucket + unit_magnitude_);
    return ((static_cast<std::size_t>(bucket) + 1) << sub_bucket_half_count_magnitude_) + sub_bucket -
           sub_bucket_half_count_;
  }
  std::uint64_t value_at_index(std::size_t index) const;  // lowest equivalent value of the slot
  std::uint64_t lowest_equivalent(std::uint64_t value) const;
  std::uint64_t highest_equivalent(std::uint64_t value) const;
  std::uint64_t median_equivalent(std::uint64_t value) const;
  std::uint64_t equivalent_range(std::uint64_t value) const;  // width of value's slot

  const HdrConfig& config() const { return config_; }
  std::span<const std::uint64_t> counts() const { return counts_; }
  // Index of the slot holding the largest sample (0 when empty): the encoder stops after it.
  std::size_t max_index() const { return index_of(max_value_); }

  // For decoders: adds `count` samples to slot `index` (< counts().size()), tracking min, max and
  // total as if the slot's lowest equivalent value had been recorded.
  void add_at_index(std::size_t index, std::uint64_t count);

  // Same config and the same counts (hence the same total, min, max). clamped_count() is a
  // recording-side tally that the exchange format does not carry, so it is not compared.
  friend bool operator==(const HdrHistogram& a, const HdrHistogram& b) {
    return a.config_ == b.config_ && a.counts_ == b.counts_;
  }

 private:
  // The bucket is found from the position of the value's highest set bit above the sub-bucket range.
  int bucket_of(std::uint64_t value) const {
    return leading_zero_count_base_ - std::countl_zero(value | sub_bucket_mask_);
  }

  HdrConfig config_;
  int unit_magnitude_ = 0;                     // floor(log2(lowest))
  int sub_bucket_half_count_magnitude_ = 0;
  std::uint64_t sub_bucket_count_ = 0;         // 2^(half magnitude + 1) ≥ 2·10^d
  std::uint64_t sub_bucket_half_count_ = 0;
  std::uint64_t sub_bucket_mask_ = 0;          // (sub_bucket_count - 1) << unit_magnitude
  int leading_zero_count_base_ = 0;
  std::vector<std::uint64_t> counts_;

  std::uint64_t total_count_ = 0;
  std::uint64_t clamped_count_ = 0;
  std::uint64_t max_value_ = 0;                      // largest sample as recorded
  std::uint64_t min_non_zero_value_ = UINT64_MAX;    // smallest non-zero sample as recorded
};

}  // namespace facteur::load
