// The JSON form of a load run's measurements (metrics.hpp): derived numbers in ms for people and
// renderers, and each histogram as base64 compressed V2 so that runs merge without loss.
#include <array>
#include <string>

#include "harness/load/hdr_codec.hpp"
#include "harness/load/json_fields.hpp"
#include "harness/load/metrics.hpp"

namespace facteur::load {
namespace {
using nlohmann::json;
using namespace json_fields;

struct PercentileField {
  double percentile;
  const char* key;
};
constexpr std::array<PercentileField, 6> kPercentiles{{{50, "p50_ms"},
                                                       {90, "p90_ms"},
                                                       {95, "p95_ms"},
                                                       {99, "p99_ms"},
                                                       {99.9, "p99.9_ms"},
                                                       {99.99, "p99.99_ms"}}};

double ms(double us) { return us / 1000.0; }

json histogram_json(const HdrHistogram& h) {
  json j{{"count", h.total_count()},
         {"mean_ms", ms(h.mean())},
         {"min_ms", ms(static_cast<double>(h.min()))},
         {"max_ms", ms(static_cast<double>(h.max()))}};
  for (const auto& [percentile, key] : kPercentiles) {
    j[key] = ms(static_cast<double>(h.value_at_percentile(percentile)));
  }
  j["hdr"] = encode_hdr_base64(h);
  return j;
}

HdrHistogram read_histogram(const json& parent, const std::string& path, std::string_view key) {
  const std::string at = key_path(path, key);
  const json& object = required(parent, path, key);
  expect_object(object, at);
  const std::string hdr_path = key_path(at, "hdr");
  std::string why;
  std::optional<HdrHistogram> h = decode_hdr_base64(read_string(required(object, at, "hdr"), hdr_path), &why);
  if (!h) fail(hdr_path, why);
  return std::move(h).value_or(HdrHistogram{});
}

LoadMetrics read_metrics(const json& j) {
  const std::string path = "load";
  expect_object(j, path);
  LoadMetrics m;
  m.iterations = read_uint(required(j, path, "iterations"), key_path(path, "iterations"));
  m.duration_s = read_number(required(j, path, "duration_s"), key_path(path, "duration_s"), 0, 1e12);

  const std::string checks_path = key_path(path, "checks");
  const json& checks = required(j, path, "checks");
  expect_object(checks, checks_path);
  m.checks_passed = read_uint(required(checks, checks_path, "passed"), key_path(checks_path, "passed"));
  m.checks_failed = read_uint(required(checks, checks_path, "failed"), key_path(checks_path, "failed"));

  const std::string errors_path = key_path(path, "errors");
  const json& errors = required(j, path, "errors");
  expect_object(errors, errors_path);
  for (const auto& [kind, count] : errors.items()) m.errors[kind] = read_uint(count, key_path(errors_path, kind));

  const std::string metrics_path = key_path(path, "metrics");
  const json& metrics = required(j, path, "metrics");
  expect_object(metrics, metrics_path);
  for (const auto& [name, value] : metrics.items()) {
    const std::string at = key_path(metrics_path, name);
    expect_object(value, at);
    LatencyMetric& metric = m.metric(name);
    metric.failures = read_uint(required(value, at, "failures"), key_path(at, "failures"));
    metric.bytes = read_uint(required(value, at, "bytes"), key_path(at, "bytes"));
    metric.corrected = read_histogram(value, at, "corrected");
    metric.uncorrected = read_histogram(value, at, "uncorrected");
  }
  return m;
}

}  // namespace

json to_json(const LoadMetrics& m) {
  json metrics = json::object();
  for (const auto& [name, metric] : m.latency) {
    metrics[name] = {{"failures", metric.failures},
                     {"bytes", metric.bytes},
                     {"corrected", histogram_json(metric.corrected)},
                     {"uncorrected", histogram_json(metric.uncorrected)}};
  }
  return {{"duration_s", m.duration_s},
          {"iterations", m.iterations},
          {"checks", {{"passed", m.checks_passed}, {"failed", m.checks_failed}}},
          {"errors", m.errors},
          {"metrics", std::move(metrics)}};
}

std::optional<LoadMetrics> metrics_from_json(const json& j, std::string* error) {
  return reading(error, [&] { return read_metrics(j); });
}

}  // namespace facteur::load
