// What a load run measures, per worker thread, merged at the end and per interval (histograms are
// added, never percentiles averaged: a merge of runs from several machines is exact).
// Latencies are microseconds. A "metric" is a step name ("smtp.connect", "smtp.tls", "smtp.ehlo",
// "smtp.data", "imap.select", "pop3.retr", …) or "iteration" (a whole scenario run).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {

struct LatencyMetric {
  HdrHistogram corrected;    // from the intended start (open model); equal to uncorrected when closed
  HdrHistogram uncorrected;  // from the actual start
  std::uint64_t failures = 0;  // steps that failed (their latency is still recorded)
  std::uint64_t bytes = 0;     // octets sent + received by these steps (transfers)
  void add(const LatencyMetric& other);
};

// Kinds of errors, as the report groups them.
inline constexpr const char* kErrorKinds[] = {"connect", "tls", "timeout", "protocol", "check", "dropped"};

struct LoadMetrics {
  std::map<std::string, LatencyMetric> latency;  // by metric name
  std::uint64_t iterations = 0;                   // finished (passed or not)
  std::uint64_t checks_passed = 0, checks_failed = 0;  // iterations whose every expectation held / not
  std::map<std::string, std::uint64_t> errors;    // kErrorKinds → count ("dropped": open model, no VU free)
  double duration_s = 0;                          // wall time the counts cover

  LatencyMetric& metric(const std::string& name);  // created on first use
  void add(const LoadMetrics& other);              // exact merge; durations: the longer one
  void reset();                                    // for per-interval snapshots
};

// JSON form (the "load" part of result.json): per metric the count, mean, min, max and percentiles
// 50/90/95/99/99.9/99.99 of both histograms in ms, and each histogram itself as base64 compressed V2
// ("hdr": …) so that `facteur report merge` can add runs losslessly. Shape:
//   {"duration_s", "iterations", "checks": {"passed", "failed"}, "errors": {kind: count},
//    "metrics": {name: {"failures", "bytes", "corrected": H, "uncorrected": H}}}
//   H = {"count", "mean_ms", "min_ms", "max_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p99.9_ms",
//        "p99.99_ms", "hdr"}
nlohmann::json to_json(const LoadMetrics& m);
// Reads to_json's output back (the histograms from their "hdr" fields; the derived numbers are ignored).
std::optional<LoadMetrics> metrics_from_json(const nlohmann::json& j, std::string* error = nullptr);

}  // namespace facteur::load
