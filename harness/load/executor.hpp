// How a load run paces its iterations, as k6 users name it (pure; no clock, no I/O):
//   constant-vus          N virtual users, each running iterations back to back (closed model)
//   ramping-vus           the number of VUs follows linear stages (closed model)
//   constant-arrival-rate iterations start at a fixed rate whatever the server does (open model)
//   ramping-arrival-rate  the start rate follows linear stages (open model)
// In the open model every iteration has an intended start time, and latency is measured from it
// (coordinated-omission corrected): an iteration that finds every VU of the pool busy waits in a
// bounded backlog (harness/runner/load_run.cpp) and is charged the wait; a full backlog drops it
// (counted), never silently.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace facteur::load {

using Nanos = std::chrono::nanoseconds;

// "250ms", "30s", "2m", "1h", "1m30s", "1.5s", "0" (a bare 0 only). nullopt with a reason otherwise.
std::optional<Nanos> parse_duration(std::string_view text, std::string* error = nullptr);
std::string format_duration(Nanos d);  // "1m30s", "250ms", "0s"

enum class ExecutorKind { constant_vus, ramping_vus, constant_arrival_rate, ramping_arrival_rate };
const char* to_string(ExecutorKind);
std::optional<ExecutorKind> executor_from_string(std::string_view);

struct Stage {
  Nanos duration{0};
  double target = 0;  // VUs (ramping-vus) or iterations per time_unit (ramping-arrival-rate)
  friend bool operator==(const Stage&, const Stage&) = default;
};

struct ExecutorConfig {
  ExecutorKind kind = ExecutorKind::constant_vus;
  int vus = 1;                  // constant-vus; the initial pool of the arrival-rate executors
  int start_vus = 0;            // ramping-vus: VUs at t = 0
  int max_vus = 0;              // arrival-rate: most VUs ever running at once (0 = vus)
  double rate = 0;              // constant-arrival-rate: iterations per time_unit
  double start_rate = 0;        // ramping-arrival-rate: rate at t = 0
  Nanos time_unit = std::chrono::seconds(1);
  Nanos duration{0};            // constant-*: how long; ramping: the sum of the stages
  std::vector<Stage> stages;    // ramping-*
  std::uint64_t iterations = 0; // constant-vus only: stop after this many in all (0 = by duration)
  Nanos warmup{0};              // results of iterations started before this are not kept
  Nanos graceful_stop = std::chrono::seconds(5);  // iterations in flight at the end may finish within this
  friend bool operator==(const ExecutorConfig&, const ExecutorConfig&) = default;

  bool open_model() const;
  Nanos total_duration() const;  // duration, or the stages' sum
  int pool_size() const;         // VUs to allocate: vus, the highest stage target, or max_vus
};

// Reads the "load" object of a scenario (or of the command line, as JSON):
//   {"executor": "ramping-arrival-rate", "start_rate": 10, "time_unit": "1s", "max_vus": 50,
//    "stages": [{"duration": "30s", "target": 100}, {"duration": "1m", "target": 100}],
//    "warmup": "5s", "graceful_stop": "10s"}
// Every mistake is an error naming the key ("load.stages[1].duration: '3x' is not a duration").
// Keys that do not belong to the chosen executor are errors too.
std::optional<ExecutorConfig> executor_from_json(const nlohmann::json& j, std::string* error = nullptr);
nlohmann::json to_json(const ExecutorConfig& c);  // round-trips through executor_from_json

// The intended start times of an arrival-rate executor's iterations, as offsets from the run's start:
// with rate r(t) (iterations per time_unit, linear within each stage), the n-th start is the first t
// where the integral of r from 0 to t reaches n (so a constant rate of 10/s gives 0, 100ms, 200ms, …).
// A stage at rate 0 starts nothing: where the integral stands still at n, the n-th start waits for
// the rate to come back. Times are rounded to the nearest ns. Ends (nullopt) at total_duration();
// a closed-model config has no arrivals (nullopt at once).
class ArrivalSchedule {
 public:
  explicit ArrivalSchedule(const ExecutorConfig& config);
  std::optional<Nanos> next();
  std::uint64_t issued() const { return issued_; }

 private:
  ExecutorConfig config_;
  std::uint64_t issued_ = 0;
  std::size_t stage_ = 0;       // current stage
  Nanos stage_start_{0};
  double done_before_stage_ = 0;  // iterations due before the current stage began
};

// ramping-vus: how many VUs should run at offset t (linear interpolation between stage targets,
// rounded down; start_vus before the first stage; 0 after the end). constant-vus: vus, and 0 after
// the end too; arrival-rate executors: vus (the initial pool), 0 after the end.
int target_vus(const ExecutorConfig& config, Nanos t);

}  // namespace facteur::load
