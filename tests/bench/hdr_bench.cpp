// HdrHistogram costs on the load generator's hot and reporting paths: record() per sample (it sits
// on every response), the corrected record after a stall, a percentile query over the default
// 1 µs .. 1 h layout, merge, encoding/decoding one interval for the log, and reading a whole
// interval log (what `facteur report` does with one).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/load/hdr_codec.hpp"
#include "harness/load/hdr_histogram.hpp"
#include "harness/load/hdr_interval_log.hpp"

namespace {

using namespace facteur::load;

// Latencies as a mail server gives them: mostly a few ms, a long tail up to seconds.
std::vector<std::uint64_t> latencies(std::size_t n) {
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(8.0, 1.2);
  std::vector<std::uint64_t> out(n);
  for (auto& v : out) v = 1 + static_cast<std::uint64_t>(dist(rng));
  return out;
}

HdrHistogram filled(const HdrConfig& config = {}) {
  HdrHistogram h(config);
  for (const std::uint64_t v : latencies(1'000'000)) h.record(v);
  return h;
}

void BM_HdrRecord(benchmark::State& state) {
  const std::vector<std::uint64_t> values = latencies(4096);
  HdrHistogram h;
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i++ & 4095]);
    benchmark::ClobberMemory();  // the count really is stored each time
  }
  benchmark::DoNotOptimize(h.total_count());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HdrRecord);

// A 100 ms response at a 1 ms send interval: 99 back-filled samples, added slot by slot.
void BM_HdrRecordCorrectedStall(benchmark::State& state) {
  HdrHistogram h;
  for (auto _ : state) h.record_corrected(100'000, 1'000);
  benchmark::DoNotOptimize(h.total_count());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HdrRecordCorrectedStall);

void BM_HdrValueAtPercentile(benchmark::State& state) {
  const HdrHistogram h = filled();
  const double p = static_cast<double>(state.range(0)) / 1000.0;
  for (auto _ : state) benchmark::DoNotOptimize(h.value_at_percentile(p));
}
BENCHMARK(BM_HdrValueAtPercentile)->Arg(50'000)->Arg(99'000)->Arg(99'990);

void BM_HdrAdd(benchmark::State& state) {
  const HdrHistogram part = filled();
  HdrHistogram total;
  for (auto _ : state) total.add(part);
  benchmark::DoNotOptimize(total.total_count());
}
BENCHMARK(BM_HdrAdd);

void BM_HdrEncode(benchmark::State& state) {
  const HdrHistogram h = filled();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = encode_hdr(h);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["encoded_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_HdrEncode);

void BM_HdrEncodeBase64(benchmark::State& state) {  // compressed + base64: one interval log line
  const HdrHistogram h = filled();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = encode_hdr_base64(h);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["base64_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_HdrEncodeBase64);

void BM_HdrDecode(benchmark::State& state) {
  const std::string bytes = encode_hdr(filled());
  for (auto _ : state) benchmark::DoNotOptimize(decode_hdr(bytes));
}
BENCHMARK(BM_HdrDecode);

void BM_HdrDecodeBase64(benchmark::State& state) {
  const std::string text = encode_hdr_base64(filled());
  for (auto _ : state) benchmark::DoNotOptimize(decode_hdr_base64(text));
}
BENCHMARK(BM_HdrDecodeBase64);

// A minute of a run's interval log: 60 one-second intervals of three metrics, ~2000 samples each.
void BM_ReadIntervalLog(benchmark::State& state) {
  const std::vector<std::uint64_t> values = latencies(60 * 3 * 2000);
  std::string log = format_log_header({1'700'000'000.0, 1'700'000'000.0});
  std::size_t next = 0;
  for (int second = 0; second < 60; ++second) {
    for (const char* tag : {"iteration", "smtp.connect", "smtp.data"}) {
      HdrHistogram h;
      for (int i = 0; i < 2000; ++i) h.record(values[next++]);
      log += format_log_interval(tag, second, 1.0, h);
    }
  }
  for (auto _ : state) {
    auto read = read_interval_log(log);
    if (!read || read->intervals.size() != 180) state.SkipWithError("the log did not read back");
    benchmark::DoNotOptimize(read);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * log.size()));
}
BENCHMARK(BM_ReadIntervalLog);

}  // namespace
