// hdr_make_log LOG: writes an HdrHistogram interval log made by facteur (seeded, so the same every
// run) to LOG, and prints on stdout, as JSON, what facteur itself reports for each interval: the
// numbers that tests/interop/hdr/decode.js must find when hdr-histogram-js reads LOG.
//
// The intervals cover what the format has to carry: the default µs layout, 2 and 5 significant
// digits, a coordinated-omission back-fill, values over the whole 1 µs .. 1 h range plus clamped
// ones, counts needing multi-byte varints (kept below 2^53, where JS numbers stop being exact),
// tags, and an empty interval. facteur's own reader must find the same numbers in LOG too.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "harness/load/hdr_interval_log.hpp"

namespace {

using facteur::load::HdrConfig;
using facteur::load::HdrHistogram;
using facteur::load::IntervalLog;
using facteur::load::LogInterval;

constexpr double start_time = 1'700'000'000.0;

LogInterval interval(std::string tag, double start, const HdrConfig& config = {}) {
  return LogInterval{std::move(tag), start, 1.0, 0, HdrHistogram(config)};
}

std::vector<LogInterval> make_intervals() {
  std::mt19937_64 rng(20240501);
  std::vector<LogInterval> out;

  LogInterval uniform = interval("", 0.0);
  std::uniform_int_distribution<std::uint64_t> up_to_1s(1, 1'000'000);
  for (int i = 0; i < 100'000; ++i) uniform.histogram.record(up_to_1s(rng));
  out.push_back(std::move(uniform));

  LogInterval exponential = interval("smtp.send", 1.0);
  std::exponential_distribution<double> mean_2ms(1.0 / 2000.0);
  for (int i = 0; i < 50'000; ++i) exponential.histogram.record(1 + static_cast<std::uint64_t>(mean_2ms(rng)));
  out.push_back(std::move(exponential));

  // A 1 s stall at a 1 ms send interval, corrected: ~1000 back-filled samples.
  LogInterval stall = interval("smtp.send", 2.0);
  std::uniform_int_distribution<std::uint64_t> fast(150, 400);
  for (int i = 0; i < 5'000; ++i) stall.histogram.record_corrected(fast(rng), 1000);
  stall.histogram.record_corrected(1'000'000, 1000);
  out.push_back(std::move(stall));

  // Log-uniform over 1 µs .. 2 h: every bucket, and values clamped at the 1 h top.
  LogInterval wide = interval("imap.fetch", 2.5);
  std::uniform_real_distribution<double> exponent(0.0, std::log(7.2e9));
  for (int i = 0; i < 20'000; ++i) wide.histogram.record(static_cast<std::uint64_t>(std::exp(exponent(rng))));
  out.push_back(std::move(wide));

  // Large counts: varints of several bytes (kept under 2^53, where JS numbers stop being exact).
  LogInterval heavy = interval("", 3.0);
  heavy.histogram.record(1, 1'000'000'007);
  heavy.histogram.record(5'000, 123'456'789'012);
  heavy.histogram.record(3'000'000, 4'000'000'000'000);
  out.push_back(std::move(heavy));

  LogInterval coarse = interval("digits2", 4.0, HdrConfig{1, 60'000'000, 2});
  LogInterval fine = interval("digits5", 4.0, HdrConfig{1, 60'000'000, 5});
  std::lognormal_distribution<double> lognormal(7.0, 1.5);
  for (int i = 0; i < 30'000; ++i) {
    const auto value = 1 + static_cast<std::uint64_t>(lognormal(rng));
    coarse.histogram.record(value);
    fine.histogram.record(value);
  }
  out.push_back(std::move(coarse));
  out.push_back(std::move(fine));

  out.push_back(interval("idle", 5.0));  // nothing recorded
  return out;
}

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// The same fields, in the same order, as decode.js prints.
std::string report(const IntervalLog& log) {
  const double base = facteur::load::effective_base_time(log);
  std::string out = "[\n";
  for (std::size_t i = 0; i < log.intervals.size(); ++i) {
    const LogInterval& interval = log.intervals[i];
    const HdrHistogram& h = interval.histogram;
    const bool empty = h.total_count() == 0;
    out += "  {\"tag\": \"" + (interval.tag.empty() ? std::string("NO TAG") : interval.tag) + "\"";
    out += ", \"startMs\": " + number(1000 * (base + interval.start));
    out += ", \"endMs\": " + number(1000 * (base + interval.start + interval.length));
    out += ", \"totalCount\": " + std::to_string(h.total_count());
    out += ", \"min\": " + (empty ? std::string("null") : std::to_string(h.min()));
    out += ", \"max\": " + std::to_string(h.max());
    out += ", \"mean\": " + number(h.mean());
    out += ", \"stddev\": " + number(h.stddev());
    for (const auto& [name, p] : {std::pair{"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p99.9", 99.9}, {"p100", 100.0}}) {
      out += std::string(", \"") + name + "\": " + std::to_string(h.value_at_percentile(p));
    }
    out += i + 1 < log.intervals.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: hdr_make_log LOG\n";
    return 2;
  }
  IntervalLog log;
  log.header.start_time = start_time;
  log.header.base_time = start_time;
  log.intervals = make_intervals();

  std::ofstream file(argv[1], std::ios::binary);
  file << facteur::load::write_interval_log(log);
  if (!file.flush()) {
    std::cerr << "hdr_make_log: cannot write " << argv[1] << "\n";
    return 1;
  }
  file.close();

  const std::string expected = report(log);
  std::ifstream in(argv[1], std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string error;
  const std::optional<IntervalLog> reread = facteur::load::read_interval_log(text, &error);
  if (!reread || report(*reread) != expected) {
    std::cerr << "hdr_make_log: facteur's reader disagrees with its writer " << error << "\n";
    return 1;
  }
  std::cout << expected;
  return 0;
}
