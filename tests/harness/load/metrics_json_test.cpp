// to_json / metrics_from_json: the exact round trip (histograms through their "hdr" field), the
// derived numbers in ms against a known distribution, merging runs read back from JSON, and errors
// naming the path.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "harness/load/hdr_codec.hpp"
#include "harness/load/metrics.hpp"
#include "tests/harness/load/metrics_test_support.hpp"

namespace facteur::load {
namespace {

using metrics_test::expect_same;
using metrics_test::record_iteration;
using nlohmann::json;

LoadMetrics sample_run(std::uint64_t seed, int iterations) {
  std::mt19937_64 rng(seed);
  LoadMetrics m;
  for (int i = 0; i < iterations; ++i) record_iteration(rng, m);
  m.duration_s = 12.5;
  return m;
}

LoadMetrics read_back(const json& j) {
  std::string error;
  const std::optional<LoadMetrics> m = metrics_from_json(j, &error);
  EXPECT_TRUE(m.has_value()) << error;
  return m.value_or(LoadMetrics{});
}

std::string rejection(const json& j) {
  std::string error;
  EXPECT_FALSE(metrics_from_json(j, &error).has_value());
  return error;
}

TEST(MetricsJson, RoundTripIsExact) {
  const LoadMetrics m = sample_run(1, 5'000);
  expect_same(read_back(to_json(m)), m);
  expect_same(read_back(json::parse(to_json(m).dump())), m);  // through text too
  expect_same(read_back(to_json(LoadMetrics{})), LoadMetrics{});
}

TEST(MetricsJson, TheHdrFieldIsTheHistogram) {
  const LoadMetrics m = sample_run(2, 1'000);
  const json j = to_json(m);
  for (const auto& [name, metric] : m.latency) {
    for (const auto& [key, h] : {std::pair{"corrected", &metric.corrected}, std::pair{"uncorrected", &metric.uncorrected}}) {
      const std::string& hdr = j["metrics"][name][key]["hdr"].get_ref<const std::string&>();
      EXPECT_EQ(hdr, encode_hdr_base64(*h));
      EXPECT_EQ(decode_hdr_base64(hdr).value_or(HdrHistogram{}), *h) << name << " " << key;
    }
  }
}

TEST(MetricsJson, Shape) {
  const json j = to_json(sample_run(3, 100));
  EXPECT_EQ(j["iterations"], 100);
  EXPECT_EQ(j["duration_s"], 12.5);
  EXPECT_EQ(j["checks"]["passed"].get<int>() + j["checks"]["failed"].get<int>(), 100);
  EXPECT_TRUE(j["errors"].is_object());
  ASSERT_TRUE(j["metrics"].contains("smtp.data"));
  const json& data = j["metrics"]["smtp.data"];
  for (const char* key : {"failures", "bytes", "corrected", "uncorrected"}) EXPECT_TRUE(data.contains(key)) << key;
  for (const char* key : {"count", "mean_ms", "min_ms", "max_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p99.9_ms",
                          "p99.99_ms", "hdr"}) {
    EXPECT_TRUE(data["corrected"].contains(key)) << key;
    EXPECT_TRUE(data["uncorrected"].contains(key)) << key;
  }
  EXPECT_EQ(data["uncorrected"]["count"], 100);
}

TEST(MetricsJson, PercentilesInMsOfAKnownDistribution) {
  LoadMetrics m;
  LatencyMetric& step = m.metric("smtp.data");
  for (std::uint64_t us = 1; us <= 10'000; ++us) {
    step.uncorrected.record(us);
    step.corrected.record(2 * us);
  }
  const json j = to_json(m);
  const json& u = j["metrics"]["smtp.data"]["uncorrected"];
  // Exact: p(99) of 1..10000 µs is 9900 µs = 9.9 ms; the histogram reports its slot's top, within 10^-3.
  EXPECT_NEAR(u["p99_ms"].get<double>(), 9.9, 9.9e-3);
  EXPECT_GE(u["p99_ms"].get<double>(), 9.9);
  EXPECT_NEAR(u["p50_ms"].get<double>(), 5.0, 5e-3);
  EXPECT_NEAR(u["p90_ms"].get<double>(), 9.0, 9e-3);
  EXPECT_NEAR(u["p95_ms"].get<double>(), 9.5, 9.5e-3);
  EXPECT_NEAR(u["p99.9_ms"].get<double>(), 9.99, 9.99e-3);
  EXPECT_NEAR(u["p99.99_ms"].get<double>(), 9.999, 9.999e-3);
  EXPECT_NEAR(u["mean_ms"].get<double>(), 5.0005, 5e-3);
  EXPECT_EQ(u["min_ms"], 0.001);
  EXPECT_NEAR(u["max_ms"].get<double>(), 10.0, 1e-2);
  EXPECT_EQ(u["count"], 10'000);
  EXPECT_EQ(u["p99_ms"].get<double>(), static_cast<double>(step.uncorrected.value_at_percentile(99)) / 1000);
  const json& c = j["metrics"]["smtp.data"]["corrected"];
  EXPECT_NEAR(c["p99_ms"].get<double>(), 19.8, 19.8e-3);  // the corrected histogram is its own
}

TEST(MetricsJson, DerivedNumbersAreIgnoredOnRead) {
  const LoadMetrics m = sample_run(4, 300);
  json j = to_json(m);
  j["metrics"]["smtp.data"]["corrected"]["p99_ms"] = 1e9;
  j["metrics"]["smtp.data"]["corrected"]["count"] = 0;
  j["metrics"]["smtp.data"]["corrected"].erase("mean_ms");
  j["note"] = "written by hand";
  expect_same(read_back(j), m);
}

TEST(MetricsJson, RunsReadBackMergeExactly) {
  // `facteur report merge`: two machines' results added from their JSON equal one run of everything.
  const LoadMetrics a = sample_run(5, 2'000), b = sample_run(6, 3'000);
  LoadMetrics direct;
  direct.add(a);
  direct.add(b);
  LoadMetrics from_json = read_back(to_json(a));
  from_json.add(read_back(to_json(b)));
  expect_same(from_json, direct);
}

TEST(MetricsJson, ErrorsNameThePath) {
  const json good = to_json(sample_run(7, 50));
  const auto without = [&](const json::json_pointer& p) {
    json j = good;
    j.at(p.parent_pointer()).erase(p.back());
    return j;
  };
  const auto with = [&](const json::json_pointer& p, const json& v) {
    json j = good;
    j[p] = v;
    return j;
  };
  EXPECT_EQ(rejection(json::array()), "load: expected an object, found []");
  EXPECT_EQ(rejection(without("/iterations"_json_pointer)), "load.iterations: missing");
  EXPECT_EQ(rejection(with("/iterations"_json_pointer, -1)), "load.iterations: expected a whole number ≥ 0, found -1");
  EXPECT_EQ(rejection(with("/iterations"_json_pointer, "5")), "load.iterations: expected a whole number ≥ 0, found '5'");
  EXPECT_EQ(rejection(without("/duration_s"_json_pointer)), "load.duration_s: missing");
  EXPECT_EQ(rejection(with("/duration_s"_json_pointer, -2)), "load.duration_s: -2 is not between 0 and 1000000000000");
  EXPECT_EQ(rejection(with("/checks"_json_pointer, 3)), "load.checks: expected an object, found 3");
  EXPECT_EQ(rejection(without("/checks/failed"_json_pointer)), "load.checks.failed: missing");
  EXPECT_EQ(rejection(with("/errors/timeout"_json_pointer, 1.5)),
            "load.errors.timeout: expected a whole number ≥ 0, found 1.5");
  EXPECT_EQ(rejection(without("/metrics"_json_pointer)), "load.metrics: missing");
  EXPECT_EQ(rejection(with("/metrics/smtp.data"_json_pointer, json::array())),
            "load.metrics[\"smtp.data\"]: expected an object, found []");
  EXPECT_EQ(rejection(without("/metrics/smtp.data/bytes"_json_pointer)), "load.metrics[\"smtp.data\"].bytes: missing");
  EXPECT_EQ(rejection(without("/metrics/smtp.data/uncorrected"_json_pointer)),
            "load.metrics[\"smtp.data\"].uncorrected: missing");
  EXPECT_EQ(rejection(without("/metrics/smtp.data/corrected/hdr"_json_pointer)),
            "load.metrics[\"smtp.data\"].corrected.hdr: missing");
  EXPECT_EQ(rejection(with("/metrics/smtp.data/corrected/hdr"_json_pointer, 42)),
            "load.metrics[\"smtp.data\"].corrected.hdr: expected a string, found 42");
  const std::string bad_base64 = rejection(with("/metrics/smtp.data/corrected/hdr"_json_pointer, "HISTF***"));
  EXPECT_EQ(bad_base64.rfind("load.metrics[\"smtp.data\"].corrected.hdr: ", 0), 0u) << bad_base64;
  const std::string not_hdr = rejection(with("/metrics/smtp.data/corrected/hdr"_json_pointer, "AAAAAAAA"));
  EXPECT_EQ(not_hdr.rfind("load.metrics[\"smtp.data\"].corrected.hdr: ", 0), 0u) << not_hdr;
  EXPECT_FALSE(metrics_from_json(json::object()).has_value());  // the error is optional
}

}  // namespace
}  // namespace facteur::load
