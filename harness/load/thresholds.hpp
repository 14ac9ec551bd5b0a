// Pass/fail criteria on a load run's metrics, written as k6 users write them:
//   "smtp.data": "p(99)<250ms"      a percentile of a latency metric (corrected histogram)
//   "iteration": "avg<1s", "max<=2s", "min>0", "med<100ms", "count>=1000"
//   "checks":    "rate>0.999"       share of iterations whose every expectation held
//   "errors":    "rate<0.1%"        errors (all kinds) per iteration; "count<10"
//   "errors.timeout": "count==0"    one kind of error
// Times take a unit (us, ms, s, m); rates a fraction or a percentage. Operators < <= > >= ==.
// A metric may list several expressions. `abort_on_fail` thresholds are checked during the run too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/metrics.hpp"

namespace facteur::load {

struct Threshold {
  std::string metric;      // "smtp.data", "iteration", "checks", "errors", "errors.timeout"
  std::string expression;  // as written: "p(99)<250ms"
  enum class Stat { percentile, avg, min, max, med, count, rate } stat = Stat::percentile;
  double percentile = 0;   // for Stat::percentile
  enum class Op { lt, le, gt, ge, eq } op = Op::lt;
  double bound = 0;        // µs for times, a fraction (0..1) for rates, a number for counts
  bool abort_on_fail = false;
};

// nullopt with a reason ("p(99)<250: a time needs a unit (us, ms, s, m)").
std::optional<Threshold> parse_threshold(std::string_view metric, std::string_view expression,
                                         std::string* error = nullptr);

struct ThresholdResult {
  Threshold threshold;
  bool passed = false;
  double actual = 0;   // in the bound's unit
  std::string text;    // "smtp.data p(99)<250ms: 312.4ms" — for the terminal and the report
};

// A metric that never got a sample fails its thresholds (an empty run cannot meet "p(99)<250ms").
ThresholdResult evaluate(const Threshold& t, const LoadMetrics& m);
std::vector<ThresholdResult> evaluate_all(const std::vector<Threshold>& ts, const LoadMetrics& m);

}  // namespace facteur::load
