// executor_from_json: each executor with its defaults, the derived numbers (total_duration,
// pool_size, open_model), the to_json round trip, and an error naming the key for every mistake.
#include <gtest/gtest.h>

#include <string>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

ExecutorConfig config(const json& j) {
  std::string error;
  const std::optional<ExecutorConfig> c = executor_from_json(j, &error);
  EXPECT_TRUE(c.has_value()) << j.dump() << ": " << error;
  return c.value_or(ExecutorConfig{});
}

std::string rejection(const json& j) {
  std::string error;
  EXPECT_FALSE(executor_from_json(j, &error).has_value()) << j.dump();
  return error;
}

void expect_round_trip(const ExecutorConfig& c) {
  const json j = to_json(c);
  std::string error;
  const std::optional<ExecutorConfig> back = executor_from_json(j, &error);
  ASSERT_TRUE(back.has_value()) << j.dump() << ": " << error;
  EXPECT_EQ(back.value_or(ExecutorConfig{}), c) << j.dump();
}

TEST(ExecutorKind, Names) {
  for (const ExecutorKind k : {ExecutorKind::constant_vus, ExecutorKind::ramping_vus,
                               ExecutorKind::constant_arrival_rate, ExecutorKind::ramping_arrival_rate}) {
    EXPECT_EQ(executor_from_string(to_string(k)), k);
  }
  EXPECT_STREQ(to_string(ExecutorKind::constant_vus), "constant-vus");
  EXPECT_STREQ(to_string(ExecutorKind::ramping_arrival_rate), "ramping-arrival-rate");
  EXPECT_FALSE(executor_from_string("constant_vus").has_value());
  EXPECT_FALSE(executor_from_string("").has_value());
}

TEST(ExecutorJson, ConstantVus) {
  const ExecutorConfig c = config({{"executor", "constant-vus"}, {"vus", 10}, {"duration", "30s"}});
  EXPECT_EQ(c.kind, ExecutorKind::constant_vus);
  EXPECT_EQ(c.vus, 10);
  EXPECT_EQ(c.duration, 30s);
  EXPECT_EQ(c.iterations, 0u);
  EXPECT_EQ(c.warmup, 0s);
  EXPECT_EQ(c.graceful_stop, 5s);
  EXPECT_FALSE(c.open_model());
  EXPECT_EQ(c.total_duration(), 30s);
  EXPECT_EQ(c.pool_size(), 10);
  expect_round_trip(c);

  const ExecutorConfig d = config({{"executor", "constant-vus"}, {"duration", "1m"}, {"iterations", 1000},
                                   {"warmup", "5s"}, {"graceful_stop", "0s"}});
  EXPECT_EQ(d.vus, 1);  // default
  EXPECT_EQ(d.iterations, 1000u);
  EXPECT_EQ(d.warmup, 5s);
  EXPECT_EQ(d.graceful_stop, 0s);
  expect_round_trip(d);
}

TEST(ExecutorJson, RampingVus) {
  const ExecutorConfig c = config({{"executor", "ramping-vus"},
                                   {"start_vus", 2},
                                   {"stages", {{{"duration", "30s"}, {"target", 20}},
                                               {{"duration", "1m"}, {"target", 20}},
                                               {{"duration", "0s"}, {"target", 50}},
                                               {{"duration", "10s"}, {"target", 0}}}}});
  EXPECT_EQ(c.kind, ExecutorKind::ramping_vus);
  EXPECT_EQ(c.start_vus, 2);
  ASSERT_EQ(c.stages.size(), 4u);
  EXPECT_EQ(c.stages[1], (Stage{60s, 20}));
  EXPECT_EQ(c.stages[2], (Stage{0s, 50}));
  EXPECT_EQ(c.duration, 100s);  // the stages' sum
  EXPECT_EQ(c.total_duration(), 100s);
  EXPECT_EQ(c.pool_size(), 50);
  EXPECT_FALSE(c.open_model());
  expect_round_trip(c);

  const ExecutorConfig d = config({{"executor", "ramping-vus"}, {"stages", {{{"duration", "5s"}, {"target", 3}}}}});
  EXPECT_EQ(d.start_vus, 0);
  EXPECT_EQ(d.pool_size(), 3);
  const ExecutorConfig down =
      config({{"executor", "ramping-vus"}, {"start_vus", 8}, {"stages", {{{"duration", "5s"}, {"target", 3}}}}});
  EXPECT_EQ(down.pool_size(), 8);  // start_vus is the highest
}

TEST(ExecutorJson, ConstantArrivalRate) {
  const ExecutorConfig c = config({{"executor", "constant-arrival-rate"},
                                   {"rate", 100},
                                   {"time_unit", "1m"},
                                   {"duration", "10m"},
                                   {"vus", 5},
                                   {"max_vus", 40}});
  EXPECT_EQ(c.kind, ExecutorKind::constant_arrival_rate);
  EXPECT_EQ(c.rate, 100);
  EXPECT_EQ(c.time_unit, 1min);
  EXPECT_EQ(c.duration, 10min);
  EXPECT_EQ(c.vus, 5);
  EXPECT_EQ(c.max_vus, 40);
  EXPECT_TRUE(c.open_model());
  EXPECT_EQ(c.total_duration(), 10min);
  EXPECT_EQ(c.pool_size(), 40);
  expect_round_trip(c);

  const ExecutorConfig d = config({{"executor", "constant-arrival-rate"}, {"rate", 2.5}, {"duration", "1s"}});
  EXPECT_EQ(d.time_unit, 1s);
  EXPECT_EQ(d.vus, 1);
  EXPECT_EQ(d.max_vus, 0);
  EXPECT_EQ(d.pool_size(), 1);  // max_vus 0 = vus
  expect_round_trip(d);
}

TEST(ExecutorJson, RampingArrivalRate) {
  // The example of executor.hpp.
  const ExecutorConfig c = config(json::parse(R"({"executor": "ramping-arrival-rate", "start_rate": 10,
      "time_unit": "1s", "max_vus": 50,
      "stages": [{"duration": "30s", "target": 100}, {"duration": "1m", "target": 100}],
      "warmup": "5s", "graceful_stop": "10s"})"));
  EXPECT_EQ(c.kind, ExecutorKind::ramping_arrival_rate);
  EXPECT_EQ(c.start_rate, 10);
  EXPECT_EQ(c.max_vus, 50);
  EXPECT_EQ(c.vus, 1);
  EXPECT_EQ(c.stages, (std::vector<Stage>{{30s, 100}, {60s, 100}}));
  EXPECT_EQ(c.duration, 90s);
  EXPECT_EQ(c.total_duration(), 90s);
  EXPECT_EQ(c.warmup, 5s);
  EXPECT_EQ(c.graceful_stop, 10s);
  EXPECT_TRUE(c.open_model());
  EXPECT_EQ(c.pool_size(), 50);
  expect_round_trip(c);

  const ExecutorConfig d = config({{"executor", "ramping-arrival-rate"}, {"vus", 7},
                                   {"stages", {{{"duration", "1.5s"}, {"target", 0.25}}}}});
  EXPECT_EQ(d.start_rate, 0);
  EXPECT_EQ(d.pool_size(), 7);
  expect_round_trip(d);
}

TEST(ExecutorJson, ToJsonWritesTheExecutorsKeysOnly) {
  const json j = to_json(config({{"executor", "constant-vus"}, {"vus", 3}, {"duration", "1m30s"}}));
  EXPECT_EQ(j, json::parse(R"({"executor": "constant-vus", "vus": 3, "duration": "1m30s",
                               "warmup": "0s", "graceful_stop": "5s"})"));
  const json r = to_json(config({{"executor", "ramping-arrival-rate"}, {"start_rate", 1.5},
                                 {"stages", {{{"duration", "250ms"}, {"target", 4}}}}}));
  EXPECT_EQ(r, json::parse(R"({"executor": "ramping-arrival-rate", "start_rate": 1.5, "time_unit": "1s",
                               "vus": 1, "stages": [{"duration": "250ms", "target": 4.0}],
                               "warmup": "0s", "graceful_stop": "5s"})"));
}

TEST(ExecutorJson, RoundTripsOddNumbers) {
  ExecutorConfig c;
  c.kind = ExecutorKind::ramping_arrival_rate;
  c.start_rate = 0.1 + 0.2;  // not a short decimal
  c.time_unit = 1'234'567ns;
  c.stages = {{Nanos(1), 1e-9}, {Nanos(987'654'321'012), 123456.789}};
  c.duration = c.total_duration();
  c.vus = 3;
  c.max_vus = 9;
  c.warmup = Nanos(3);
  c.graceful_stop = 0ns;
  expect_round_trip(c);
}

TEST(ExecutorJson, ErrorsNameTheKey) {
  EXPECT_EQ(rejection(json::array()), "load: expected an object, found []");
  EXPECT_EQ(rejection(json::object()), "load.executor: missing");
  EXPECT_EQ(rejection({{"executor", 1}}), "load.executor: expected a string, found 1");
  EXPECT_EQ(rejection({{"executor", "shared-iterations"}}),
            "load.executor: 'shared-iterations' is not an executor (constant-vus, ramping-vus, "
            "constant-arrival-rate, ramping-arrival-rate)");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"vus", 2}}), "load.duration: missing");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "3x"}}),
            "load.duration: '3x' is not a duration: unknown unit 'x' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", 30}}),
            "load.duration: expected a string, found 30");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "0s"}}), "load.duration: must be more than 0s");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", 0}}),
            "load.vus: 0 is not between 1 and 1000000");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", "10"}}),
            "load.vus: expected a whole number, found '10'");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", 2.5}}),
            "load.vus: expected a whole number, found 2.5");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", 18446744073709551615u}}),
            "load.vus: 18446744073709551615 is not between 1 and 1000000");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"iterations", -1}}),
            "load.iterations: expected a whole number ≥ 0, found -1");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"warmup", "1s"}}),
            "load.warmup: 1s is not shorter than the run (1s)");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"graceful_stop", "-1s"}}),
            "load.graceful_stop: '-1s' is not a duration: a duration is never negative");
}

TEST(ExecutorJson, KeysOfAnotherExecutorAreErrors) {
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"rate", 5}}),
            "load.rate: not a key of constant-vus (it takes executor, vus, duration, iterations, warmup, "
            "graceful_stop)");
  EXPECT_EQ(rejection({{"executor", "ramping-vus"}, {"vus", 5}}),
            "load.vus: not a key of ramping-vus (it takes executor, start_vus, stages, warmup, graceful_stop)");
  EXPECT_EQ(rejection({{"executor", "constant-arrival-rate"}, {"rate", 1}, {"duration", "1s"}, {"iterations", 5}}),
            "load.iterations: not a key of constant-arrival-rate (it takes executor, rate, time_unit, duration, "
            "vus, max_vus, warmup, graceful_stop)");
  EXPECT_EQ(rejection({{"executor", "ramping-arrival-rate"}, {"duration", "1s"}}),
            "load.duration: not a key of ramping-arrival-rate (it takes executor, start_rate, time_unit, stages, "
            "vus, max_vus, warmup, graceful_stop)");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"VUs", 5}}).substr(0, 25),
            "load.VUs: not a key of co");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"max vus", 5}}).substr(0, 25),
            "load[\"max vus\"]: not a ke");
}

TEST(ExecutorJson, ArrivalRateErrors) {
  const json base = {{"executor", "constant-arrival-rate"}, {"duration", "1s"}};
  EXPECT_EQ(rejection(base), "load.rate: missing");
  json j = base;
  j["rate"] = 0;
  EXPECT_EQ(rejection(j), "load.rate: a constant rate must be more than 0");
  j["rate"] = -3;
  EXPECT_EQ(rejection(j), "load.rate: -3 is not between 0 and 1000000000");
  j["rate"] = "10/s";
  EXPECT_EQ(rejection(j), "load.rate: expected a number, found '10/s'");
  j["rate"] = 10;
  j["time_unit"] = "0s";
  EXPECT_EQ(rejection(j), "load.time_unit: must be more than 0s");
  j["time_unit"] = "1s";
  j["vus"] = 10;
  j["max_vus"] = 5;
  EXPECT_EQ(rejection(j), "load.max_vus: 5 is less than vus (10)");
  j["max_vus"] = 0;  // = vus
  EXPECT_EQ(config(j).pool_size(), 10);
  json r = {{"executor", "ramping-arrival-rate"}, {"start_rate", -1}, {"stages", {{{"duration", "1s"}, {"target", 1}}}}};
  EXPECT_EQ(rejection(r), "load.start_rate: -1 is not between 0 and 1000000000");
}

TEST(ExecutorJson, StageErrors) {
  const auto ramp = [](const json& stages) { return json{{"executor", "ramping-vus"}, {"stages", stages}}; };
  EXPECT_EQ(rejection({{"executor", "ramping-vus"}}), "load.stages: missing");
  EXPECT_EQ(rejection(ramp(json::array())), "load.stages: expected a list of stages, found []");
  EXPECT_EQ(rejection(ramp(json::object())), "load.stages: expected a list of stages, found {}");
  EXPECT_EQ(rejection(ramp({1})), "load.stages[0]: expected an object, found 1");
  EXPECT_EQ(rejection(ramp({{{"duration", "30s"}, {"target", 1}}, {{"duration", "3x"}, {"target", 1}}})),
            "load.stages[1].duration: '3x' is not a duration: unknown unit 'x' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection(ramp({{{"target", 1}}})), "load.stages[0].duration: missing");
  EXPECT_EQ(rejection(ramp({{{"duration", "1s"}}})), "load.stages[0].target: missing");
  EXPECT_EQ(rejection(ramp({{{"duration", "1s"}, {"target", 2.5}}})),
            "load.stages[0].target: expected a whole number, found 2.5");
  EXPECT_EQ(rejection(ramp({{{"duration", "1s"}, {"target", -1}}})),
            "load.stages[0].target: -1 is not between 0 and 1000000");
  EXPECT_EQ(rejection(ramp({{{"duration", "1s"}, {"target", 1}, {"ramp", "linear"}}})),
            "load.stages[0].ramp: a stage takes duration and target only");
  EXPECT_EQ(rejection(ramp({{{"duration", "0s"}, {"target", 1}}})), "load.stages: the stages last 0s in all");
  EXPECT_EQ(rejection(ramp({{{"duration", "2000000h"}, {"target", 1}}, {{"duration", "2000000h"}, {"target", 1}}})),
            "load.stages[1]: the stages last longer than 2562047h47m16.854775807s");
  EXPECT_EQ(rejection({{"executor", "ramping-arrival-rate"}, {"stages", {{{"duration", "1s"}, {"target", "1/s"}}}}}),
            "load.stages[0].target: expected a number, found '1/s'");
  EXPECT_EQ(rejection({{"executor", "ramping-vus"}, {"warmup", "2s"}, {"stages", {{{"duration", "1s"}, {"target", 1}}}}}),
            "load.warmup: 2s is not shorter than the run (1s)");
}

TEST(ExecutorJson, ValuesInMessagesAreShortAndSafe) {
  json long_list = json::array();
  for (int i = 0; i < 100; ++i) long_list.push_back("é");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", long_list}}),
            "load.duration: expected a string, found [\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"é\",\"...");
  std::string accents = "x";
  for (int i = 0; i < 40; ++i) accents += "é";
  std::string shown = "'x";
  for (int i = 0; i < 27; ++i) shown += "é";
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", accents}}),
            "load.vus: expected a whole number, found " + shown + "...");  // not cut inside an é
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"vus", "a\"b\n"}}),
            "load.vus: expected a whole number, found 'a\\\"b\\n'");
  // Invalid UTF-8 can only come from a document built in code; it is replaced, never thrown.
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", "1s"}, {"\xff", 1}}).substr(0, 11),
            "load[\"\xEF\xBF\xBD\"]");
  EXPECT_EQ(rejection({{"executor", "constant-vus"}, {"duration", json::array({"\xff"})}}),
            "load.duration: expected a string, found [\"\xEF\xBF\xBD\"]");
}

TEST(ExecutorJson, ErrorIsOptional) {
  EXPECT_FALSE(executor_from_json(json::object()).has_value());
}

}  // namespace
}  // namespace facteur::load
