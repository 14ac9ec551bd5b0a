// ArrivalSchedule::next() sits on the open model's send loop: one call per intended start. A
// constant rate (one division), a ramp (a square root per start), and many short stages (the
// stage walk as well).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>

#include "harness/load/executor.hpp"

namespace {

using namespace facteur::load;

// The benchmarks' executors, as a scenario writes them.
ExecutorConfig from_json(const nlohmann::json& j) { return executor_from_json(j).value_or(ExecutorConfig{}); }

// Restarts the schedule when it ends, outside the timed region.
void run(benchmark::State& state, const ExecutorConfig& config) {
  ArrivalSchedule schedule(config);
  for (auto _ : state) {
    std::optional<Nanos> t = schedule.next();
    if (!t) {
      state.PauseTiming();
      schedule = ArrivalSchedule(config);
      state.ResumeTiming();
      t = schedule.next();
    }
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ArrivalConstantRate(benchmark::State& state) {
  run(state, from_json({{"executor", "constant-arrival-rate"}, {"rate", 10'000}, {"duration", "1h"}}));
}
BENCHMARK(BM_ArrivalConstantRate);

void BM_ArrivalRamp(benchmark::State& state) {
  run(state, from_json({{"executor", "ramping-arrival-rate"}, {"stages", {{{"duration", "1h"}, {"target", 10'000}}}}}));
}
BENCHMARK(BM_ArrivalRamp);

void BM_ArrivalManyStages(benchmark::State& state) {  // 1000 one-second stages of about 10 starts
  nlohmann::json stages = nlohmann::json::array();
  for (int i = 0; i < 1000; ++i) stages.push_back({{"duration", "1s"}, {"target", i % 2 ? 5 : 15}});
  run(state, from_json({{"executor", "ramping-arrival-rate"}, {"start_rate", 10}, {"stages", stages}}));
}
BENCHMARK(BM_ArrivalManyStages);

}  // namespace
