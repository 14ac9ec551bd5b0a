// Executor names, the config's derived numbers, and the "load" JSON object (executor.hpp).
#include "harness/load/executor.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include <fmt/format.h>

#include "harness/load/json_fields.hpp"

namespace facteur::load {
namespace {
using nlohmann::json;
using namespace json_fields;

constexpr std::array<const char*, 4> kNames{"constant-vus", "ramping-vus", "constant-arrival-rate",
                                            "ramping-arrival-rate"};
constexpr int kMaxVus = 1'000'000;
constexpr double kMaxRate = 1e9;  // iterations per time unit

// The keys each executor takes.
constexpr std::string_view kConstantVusKeys[] = {"executor", "vus", "duration", "iterations", "warmup", "graceful_stop"};
constexpr std::string_view kRampingVusKeys[] = {"executor", "start_vus", "stages", "warmup", "graceful_stop"};
constexpr std::string_view kConstantRateKeys[] = {"executor", "rate",  "time_unit", "duration",
                                                  "vus",      "max_vus", "warmup",  "graceful_stop"};
constexpr std::string_view kRampingRateKeys[] = {"executor", "start_rate", "time_unit", "stages",
                                                 "vus",      "max_vus",    "warmup",    "graceful_stop"};
constexpr std::string_view kStageKeys[] = {"duration", "target"};

std::span<const std::string_view> keys_of(ExecutorKind kind) {
  switch (kind) {
    case ExecutorKind::constant_vus: return kConstantVusKeys;
    case ExecutorKind::ramping_vus: return kRampingVusKeys;
    case ExecutorKind::constant_arrival_rate: return kConstantRateKeys;
    case ExecutorKind::ramping_arrival_rate: break;
  }
  return kRampingRateKeys;
}

bool ramping(ExecutorKind kind) {
  return kind == ExecutorKind::ramping_vus || kind == ExecutorKind::ramping_arrival_rate;
}

Nanos read_duration(const json& value, const std::string& path) {
  std::string why;
  const std::optional<Nanos> d = parse_duration(read_string(value, path), &why);
  if (!d) fail(path, why);
  return d.value_or(Nanos{0});
}

std::vector<Stage> read_stages(const json& value, const std::string& path, ExecutorKind kind) {
  if (!value.is_array() || value.empty()) fail(path, "expected a list of stages, found " + describe(value));
  std::vector<Stage> stages;
  Nanos total{0};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = index_path(path, i);
    const json& stage = value[i];
    expect_object(stage, at);
    check_keys(stage, at, kStageKeys, "a stage takes duration and target only");
    Stage s;
    s.duration = read_duration(required(stage, at, "duration"), key_path(at, "duration"));
    const json& target = required(stage, at, "target");
    s.target = kind == ExecutorKind::ramping_vus ? read_int(target, key_path(at, "target"), 0, kMaxVus)
                                                 : read_number(target, key_path(at, "target"), 0, kMaxRate);
    if (s.duration > Nanos::max() - total) fail(at, "the stages last longer than " + format_duration(Nanos::max()));
    total += s.duration;
    stages.push_back(s);
  }
  if (total.count() == 0) fail(path, "the stages last 0s in all");
  return stages;
}

ExecutorConfig read_config(const json& j) {
  const std::string path = "load";
  expect_object(j, path);
  const std::string& name = read_string(required(j, path, "executor"), "load.executor");
  const std::optional<ExecutorKind> kind = executor_from_string(name);
  if (!kind) {
    fail("load.executor", fmt::format("'{}' is not an executor ({})", name, fmt::join(kNames, ", ")));
  }
  ExecutorConfig c;
  c.kind = kind.value_or(ExecutorKind::constant_vus);
  const auto keys = keys_of(c.kind);
  check_keys(j, path, keys, fmt::format("not a key of {} (it takes {})", name, fmt::join(keys, ", ")));

  const auto at = [&](std::string_view key) { return key_path(path, key); };
  if (j.contains("vus")) c.vus = read_int(j["vus"], at("vus"), 1, kMaxVus);
  if (j.contains("start_vus")) c.start_vus = read_int(j["start_vus"], at("start_vus"), 0, kMaxVus);
  if (j.contains("max_vus")) {
    c.max_vus = read_int(j["max_vus"], at("max_vus"), 0, kMaxVus);
    if (c.max_vus != 0 && c.max_vus < c.vus) {
      fail(at("max_vus"), fmt::format("{} is less than vus ({})", c.max_vus, c.vus));
    }
  }
  if (c.kind == ExecutorKind::constant_arrival_rate) {
    c.rate = read_number(required(j, path, "rate"), at("rate"), 0, kMaxRate);
    if (c.rate <= 0) fail(at("rate"), "a constant rate must be more than 0");
  }
  if (j.contains("start_rate")) c.start_rate = read_number(j["start_rate"], at("start_rate"), 0, kMaxRate);
  if (j.contains("time_unit")) {
    c.time_unit = read_duration(j["time_unit"], at("time_unit"));
    if (c.time_unit.count() == 0) fail(at("time_unit"), "must be more than 0s");
  }
  if (j.contains("iterations")) c.iterations = read_uint(j["iterations"], at("iterations"));
  if (ramping(c.kind)) {
    c.stages = read_stages(required(j, path, "stages"), at("stages"), c.kind);
    c.duration = c.total_duration();
  } else {
    c.duration = read_duration(required(j, path, "duration"), at("duration"));
    if (c.duration.count() == 0) fail(at("duration"), "must be more than 0s");
  }
  if (j.contains("graceful_stop")) c.graceful_stop = read_duration(j["graceful_stop"], at("graceful_stop"));
  if (j.contains("warmup")) {
    c.warmup = read_duration(j["warmup"], at("warmup"));
    if (c.warmup >= c.duration) {
      fail(at("warmup"), fmt::format("{} is not shorter than the run ({})", format_duration(c.warmup),
                                     format_duration(c.duration)));
    }
  }
  return c;
}

}  // namespace

const char* to_string(ExecutorKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::optional<ExecutorKind> executor_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<ExecutorKind>(i);
  }
  return std::nullopt;
}

bool ExecutorConfig::open_model() const {
  return kind == ExecutorKind::constant_arrival_rate || kind == ExecutorKind::ramping_arrival_rate;
}

Nanos ExecutorConfig::total_duration() const {
  if (!ramping(kind)) return duration;
  Nanos total{0};
  for (const Stage& s : stages) total += s.duration;
  return total;
}

int ExecutorConfig::pool_size() const {
  switch (kind) {
    case ExecutorKind::constant_vus:
      return vus;
    case ExecutorKind::ramping_vus: {
      double highest = start_vus;
      for (const Stage& s : stages) highest = std::max(highest, s.target);
      return static_cast<int>(std::ceil(highest));
    }
    case ExecutorKind::constant_arrival_rate:
    case ExecutorKind::ramping_arrival_rate:
      break;
  }
  return std::max(vus, max_vus);
}

std::optional<ExecutorConfig> executor_from_json(const json& j, std::string* error) {
  return reading(error, [&] { return read_config(j); });
}

json to_json(const ExecutorConfig& c) {
  json j{{"executor", to_string(c.kind)}, {"warmup", format_duration(c.warmup)},
         {"graceful_stop", format_duration(c.graceful_stop)}};
  if (c.kind == ExecutorKind::ramping_vus) j["start_vus"] = c.start_vus;
  else j["vus"] = c.vus;
  if (c.open_model()) {
    j["time_unit"] = format_duration(c.time_unit);
    if (c.max_vus != 0) j["max_vus"] = c.max_vus;
  }
  if (c.kind == ExecutorKind::constant_arrival_rate) j["rate"] = c.rate;
  if (c.kind == ExecutorKind::ramping_arrival_rate) j["start_rate"] = c.start_rate;
  if (c.kind == ExecutorKind::constant_vus && c.iterations != 0) j["iterations"] = c.iterations;
  if (ramping(c.kind)) {
    json& stages = j["stages"] = json::array();
    for (const Stage& s : c.stages) {
      json target = c.kind == ExecutorKind::ramping_vus ? json(static_cast<int>(s.target)) : json(s.target);
      stages.push_back({{"duration", format_duration(s.duration)}, {"target", std::move(target)}});
    }
  } else {
    j["duration"] = format_duration(c.duration);
  }
  return j;
}

}  // namespace facteur::load
