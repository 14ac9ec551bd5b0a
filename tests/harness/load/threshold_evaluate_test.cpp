// evaluate: pass and fail for each statistic against the corrected histogram, checks and error
// rates and counts, metrics without samples, every operator, and the result text.
#include <gtest/gtest.h>

#include <string>

#include "harness/load/thresholds.hpp"

namespace facteur::load {
namespace {

ThresholdResult check(std::string_view metric, std::string_view expression, const LoadMetrics& m) {
  std::string error;
  const std::optional<Threshold> t = parse_threshold(metric, expression, &error);
  EXPECT_TRUE(t.has_value()) << error;
  return evaluate(t.value_or(Threshold{}), m);
}

// The verdict, and the text: "<metric> <expression>: <shown>".
void expect_verdict(std::string_view metric, std::string_view expression, const LoadMetrics& m, bool passed,
                    std::string_view shown) {
  const ThresholdResult r = check(metric, expression, m);
  EXPECT_EQ(r.passed, passed) << r.text;
  EXPECT_EQ(r.text, std::string(metric) + " " + std::string(expression) + ": " + std::string(shown));
}

bool passes(std::string_view metric, std::string_view expression, const LoadMetrics& m) {
  return check(metric, expression, m).passed;
}

// smtp.data: 1..10000 µs once each in the corrected histogram; the uncorrected one is far slower,
// to show that thresholds read the corrected one.
LoadMetrics uniform_run() {
  LoadMetrics m;
  LatencyMetric& data = m.metric("smtp.data");
  for (std::uint64_t us = 1; us <= 10'000; ++us) {
    data.corrected.record(us);
    data.uncorrected.record(1'000'000);
  }
  m.iterations = 10'000;
  return m;
}

TEST(EvaluateThreshold, Percentile) {
  const LoadMetrics m = uniform_run();
  const ThresholdResult fail = check("smtp.data", "p(99)<9.8ms", m);
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.actual, 9903);  // µs: the top of 9900's slot
  EXPECT_EQ(fail.text, "smtp.data p(99)<9.8ms: 9.903ms");
  EXPECT_EQ(fail.threshold.expression, "p(99)<9.8ms");
  EXPECT_TRUE(passes("smtp.data", "p(99)<9.95ms", m));
  EXPECT_TRUE(passes("smtp.data", "p(100)<=10.007ms", m));
  EXPECT_FALSE(passes("smtp.data", "p(100)<10ms", m));
  EXPECT_TRUE(passes("smtp.data", "p(99.99)<10ms", m));  // the 9999th of 10000
  EXPECT_TRUE(passes("smtp.data", "p(0)==1us", m));
}

TEST(EvaluateThreshold, AvgMinMaxMedCount) {
  const LoadMetrics m = uniform_run();
  EXPECT_TRUE(passes("smtp.data", "avg<5.1ms", m));
  EXPECT_FALSE(passes("smtp.data", "avg>5.1ms", m));
  EXPECT_NEAR(check("smtp.data", "avg<1s", m).actual, 5000.5, 5);

  const ThresholdResult min = check("smtp.data", "min>0", m);
  EXPECT_TRUE(min.passed);
  EXPECT_EQ(min.actual, 1);
  EXPECT_EQ(min.text, "smtp.data min>0: 0.001ms");  // a bare 0 shows in ms
  EXPECT_FALSE(passes("smtp.data", "min>=2us", m));

  EXPECT_TRUE(passes("smtp.data", "max<=10s", m));
  const ThresholdResult max = check("smtp.data", "max<10ms", m);
  EXPECT_FALSE(max.passed);
  EXPECT_EQ(max.text, "smtp.data max<10ms: 10.01ms");

  const ThresholdResult med = check("smtp.data", "med<5ms", m);
  EXPECT_FALSE(med.passed);
  EXPECT_EQ(med.actual, 5003);
  EXPECT_TRUE(passes("smtp.data", "med<=5003us", m));

  EXPECT_TRUE(passes("smtp.data", "count>=10000", m));
  EXPECT_FALSE(passes("smtp.data", "count>10000", m));
  EXPECT_EQ(check("smtp.data", "count>10000", m).text, "smtp.data count>10000: 10000");
}

TEST(EvaluateThreshold, TextInTheUnitOfTheBound) {
  LoadMetrics m;
  LatencyMetric& data = m.metric("smtp.data");
  data.corrected = HdrHistogram(HdrConfig{1, 3'600'000'000, 5});  // fine enough to hold 312.4 ms
  data.corrected.record(312'400);
  EXPECT_EQ(check("smtp.data", "p(99)<250ms", m).text, "smtp.data p(99)<250ms: 312.4ms");
  EXPECT_EQ(check("smtp.data", "p(99)<1s", m).text, "smtp.data p(99)<1s: 0.3124s");
  EXPECT_EQ(check("smtp.data", "p(99)<1m30s", m).text, "smtp.data p(99)<1m30s: 0.3124s");
  EXPECT_EQ(check("smtp.data", "p(99)<2m", m).text, "smtp.data p(99)<2m: 0.005207m");
  EXPECT_EQ(check("smtp.data", "p(99)<100us", m).text, "smtp.data p(99)<100us: 312401us");
  EXPECT_EQ(check("smtp.data", "p(99) < 250ms ", m).text, "smtp.data p(99) < 250ms : 312.4ms");
}

TEST(EvaluateThreshold, AMetricWithoutSamplesFails) {
  LoadMetrics m;
  const ThresholdResult absent = check("smtp.data", "p(99)<250ms", m);
  EXPECT_FALSE(absent.passed);
  EXPECT_EQ(absent.text, "smtp.data p(99)<250ms: no samples");
  m.metric("smtp.data").uncorrected.record(5);  // present, but nothing corrected
  EXPECT_FALSE(passes("smtp.data", "p(99)<250ms", m));
  EXPECT_FALSE(passes("smtp.data", "count==0", m));  // an empty run cannot meet its thresholds
  EXPECT_FALSE(passes("smtp.data", "max>=0", m));
}

TEST(EvaluateThreshold, ChecksRate) {
  LoadMetrics m;
  m.checks_passed = 999;
  m.checks_failed = 1;
  EXPECT_EQ(check("checks", "rate>0.999", m).actual, 0.999);
  expect_verdict("checks", "rate>0.999", m, false, "0.999");
  expect_verdict("checks", "rate>=0.999", m, true, "0.999");
  expect_verdict("checks", "rate>99%", m, true, "99.9%");
  expect_verdict("checks", "rate>99.95%", m, false, "99.9%");
  m.checks_failed = 0;
  m.checks_passed = 0;
  expect_verdict("checks", "rate>=0", m, false, "no iterations");
}

TEST(EvaluateThreshold, ErrorsRateIsEveryKindPerIteration) {
  LoadMetrics m;
  m.iterations = 1000;
  m.errors = {{"timeout", 1}, {"tls", 2}};
  EXPECT_DOUBLE_EQ(check("errors", "rate<0.1%", m).actual, 0.003);
  expect_verdict("errors", "rate<0.1%", m, false, "0.3%");
  expect_verdict("errors", "rate<1%", m, true, "0.3%");
  expect_verdict("errors", "rate<0.01", m, true, "0.003");
  expect_verdict("errors.timeout", "rate<=0.001", m, true, "0.001");
  expect_verdict("errors.tls", "rate<=0.001", m, false, "0.002");
  m.iterations = 0;
  m.errors.clear();
  expect_verdict("errors", "rate<1%", m, false, "no iterations");  // nothing was shown to work
}

TEST(EvaluateThreshold, ErrorCounts) {
  LoadMetrics m;
  m.iterations = 10;
  m.errors = {{"timeout", 1}, {"tls", 2}};
  EXPECT_EQ(check("errors", "count<3", m).actual, 3);
  expect_verdict("errors", "count<10", m, true, "3");
  expect_verdict("errors", "count<3", m, false, "3");
  expect_verdict("errors.timeout", "count==0", m, false, "1");
  expect_verdict("errors.dropped", "count==0", m, true, "0");  // never counted
  m.errors["timeout"] = 0;
  expect_verdict("errors.timeout", "count==0", m, true, "0");
  m.iterations = 0;
  expect_verdict("errors.timeout", "count==0", m, true, "0");  // a count needs no iterations
}

TEST(EvaluateThreshold, EveryOperatorOnBothSides) {
  LoadMetrics m;
  m.errors["timeout"] = 5;
  struct Case {
    const char* expression;
    bool passed;
  };
  for (const Case c : {Case{"count<5", false}, Case{"count<6", true}, Case{"count<=5", true}, Case{"count<=4", false},
                       Case{"count>5", false}, Case{"count>4", true}, Case{"count>=5", true}, Case{"count>=6", false},
                       Case{"count==5", true}, Case{"count==4", false}}) {
    EXPECT_EQ(passes("errors.timeout", c.expression, m), c.passed) << c.expression;
  }
}

TEST(EvaluateThreshold, AllInOrder) {
  const LoadMetrics m = uniform_run();
  std::vector<Threshold> ts;
  for (const char* e : {"p(99)<9.8ms", "p(99)<9.95ms", "count>=1"}) {
    ts.push_back(parse_threshold("smtp.data", e).value_or(Threshold{}));
  }
  const std::vector<ThresholdResult> results = evaluate_all(ts, m);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_TRUE(results[1].passed);
  EXPECT_TRUE(results[2].passed);
  EXPECT_EQ(results[1].threshold.expression, "p(99)<9.95ms");
  EXPECT_TRUE(evaluate_all({}, m).empty());
}

}  // namespace
}  // namespace facteur::load
