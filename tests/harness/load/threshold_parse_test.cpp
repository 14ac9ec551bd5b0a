// parse_threshold: every statistic, operator and unit, rates as fractions or percentages, which
// statistics each kind of metric takes, and a clear reason for every mistake.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "harness/load/thresholds.hpp"

namespace facteur::load {
namespace {

using Stat = Threshold::Stat;
using Op = Threshold::Op;

Threshold parsed(std::string_view metric, std::string_view expression) {
  std::string error;
  const std::optional<Threshold> t = parse_threshold(metric, expression, &error);
  EXPECT_TRUE(t.has_value()) << metric << " " << expression << ": " << error;
  return t.value_or(Threshold{});
}

std::string rejection(std::string_view metric, std::string_view expression) {
  std::string error;
  EXPECT_FALSE(parse_threshold(metric, expression, &error).has_value()) << metric << " " << expression;
  return error;
}

TEST(ParseThreshold, Percentile) {
  const Threshold t = parsed("smtp.data", "p(99)<250ms");
  EXPECT_EQ(t.metric, "smtp.data");
  EXPECT_EQ(t.expression, "p(99)<250ms");
  EXPECT_EQ(t.stat, Stat::percentile);
  EXPECT_EQ(t.percentile, 99);
  EXPECT_EQ(t.op, Op::lt);
  EXPECT_EQ(t.bound, 250'000);  // µs
  EXPECT_FALSE(t.abort_on_fail);
  EXPECT_EQ(parsed("smtp.data", "p(99.9)<1s").percentile, 99.9);
  EXPECT_EQ(parsed("smtp.data", "p(0)<1s").percentile, 0);
  EXPECT_EQ(parsed("smtp.data", "p(100)<1s").percentile, 100);
}

TEST(ParseThreshold, EveryStatisticOfALatencyMetric) {
  EXPECT_EQ(parsed("iteration", "avg<1s").stat, Stat::avg);
  EXPECT_EQ(parsed("iteration", "min>0").stat, Stat::min);
  EXPECT_EQ(parsed("iteration", "max<=2s").stat, Stat::max);
  EXPECT_EQ(parsed("iteration", "med<100ms").stat, Stat::med);
  const Threshold count = parsed("iteration", "count>=1000");
  EXPECT_EQ(count.stat, Stat::count);
  EXPECT_EQ(count.bound, 1000);
}

TEST(ParseThreshold, EveryOperator) {
  EXPECT_EQ(parsed("iteration", "avg<1s").op, Op::lt);
  EXPECT_EQ(parsed("iteration", "avg<=1s").op, Op::le);
  EXPECT_EQ(parsed("iteration", "avg>1s").op, Op::gt);
  EXPECT_EQ(parsed("iteration", "avg>=1s").op, Op::ge);
  EXPECT_EQ(parsed("iteration", "avg==1s").op, Op::eq);
  const Threshold spaced = parsed("iteration", " p(95) <= 200ms ");
  EXPECT_EQ(spaced.op, Op::le);
  EXPECT_EQ(spaced.percentile, 95);
  EXPECT_EQ(spaced.bound, 200'000);
  EXPECT_EQ(spaced.expression, " p(95) <= 200ms ");  // as written
}

TEST(ParseThreshold, EveryTimeUnitInMicroseconds) {
  EXPECT_EQ(parsed("iteration", "avg<250us").bound, 250);
  EXPECT_EQ(parsed("iteration", "avg<250µs").bound, 250);
  EXPECT_EQ(parsed("iteration", "avg<250ms").bound, 250'000);
  EXPECT_EQ(parsed("iteration", "avg<1.5s").bound, 1'500'000);
  EXPECT_EQ(parsed("iteration", "avg<2m").bound, 120'000'000);
  EXPECT_EQ(parsed("iteration", "avg<1m30s").bound, 90'000'000);
  EXPECT_EQ(parsed("iteration", "avg<500ns").bound, 0.5);
  EXPECT_EQ(parsed("iteration", "min>0").bound, 0);
}

TEST(ParseThreshold, RatesAsFractionsOrPercentages) {
  const Threshold checks = parsed("checks", "rate>0.999");
  EXPECT_EQ(checks.stat, Stat::rate);
  EXPECT_EQ(checks.op, Op::gt);
  EXPECT_EQ(checks.bound, 0.999);
  EXPECT_DOUBLE_EQ(parsed("errors", "rate<0.1%").bound, 0.001);
  EXPECT_EQ(parsed("errors", "rate<=100%").bound, 1);
  EXPECT_EQ(parsed("errors", "rate<=0%").bound, 0);
  EXPECT_EQ(parsed("errors", "rate<1").bound, 1);
  EXPECT_EQ(parsed("errors.timeout", "rate<0.5").bound, 0.5);
}

TEST(ParseThreshold, ErrorCounts) {
  const Threshold all = parsed("errors", "count<10");
  EXPECT_EQ(all.stat, Stat::count);
  EXPECT_EQ(all.bound, 10);
  const Threshold timeouts = parsed("errors.timeout", "count==0");
  EXPECT_EQ(timeouts.metric, "errors.timeout");
  EXPECT_EQ(timeouts.op, Op::eq);
  EXPECT_EQ(timeouts.bound, 0);
  for (const char* kind : kErrorKinds) EXPECT_EQ(parsed(std::string("errors.") + kind, "count<1").bound, 1);
}

// Each rejection is "<expression>: <reason>".
struct Rejected {
  const char* metric;
  const char* expression;
  const char* reason;
};

void expect_rejections(std::initializer_list<Rejected> cases) {
  for (const Rejected& c : cases) {
    EXPECT_EQ(rejection(c.metric, c.expression), std::string(c.expression) + ": " + c.reason);
  }
}

TEST(ParseThreshold, MalformedExpressions) {
  const char* statistic = "is not a statistic (p(N), avg, min, max, med, count, rate)";
  const char* percentile = "a percentile is p(N) with N from 0 to 100";
  const char* shape = "expected <stat><operator><bound>, such as p(99)<250ms";
  const char* operators = "(<, <=, >, >=, ==)";
  expect_rejections({
      {"smtp.data", "p(99)<250", "a time needs a unit (us, ms, s, m)"},
      {"smtp.data", "p(99)<2.5", "a time needs a unit (us, ms, s, m)"},
      {"smtp.data", "p(99)<3x", "'3x' is not a duration: unknown unit 'x' (ns, us, ms, s, m, h)"},
      {"smtp.data", "avg<-1ms", "'-1ms' is not a duration: a duration is never negative"},
      {"smtp.data", "avg<<1s", "'<1s' is not a duration: expected a number at '<1s'"},
      {"smtp.data", "avg<", "a bound is missing after the operator"},
      {"smtp.data", "avg< ", "a bound is missing after the operator"},
  });
  EXPECT_EQ(rejection("smtp.data", "p(101)<1s"), std::string("p(101)<1s: 'p(101)': ") + percentile);
  EXPECT_EQ(rejection("smtp.data", "p(abc)<1s"), std::string("p(abc)<1s: 'p(abc)': ") + percentile);
  EXPECT_EQ(rejection("smtp.data", "p()<1s"), std::string("p()<1s: 'p()': ") + percentile);
  EXPECT_EQ(rejection("smtp.data", "p99<1s"), std::string("p99<1s: 'p99' ") + statistic);
  EXPECT_EQ(rejection("smtp.data", "<1s"), std::string("<1s: '' ") + statistic);
  EXPECT_EQ(rejection("smtp.data", "avg"), std::string("avg: ") + shape);
  EXPECT_EQ(rejection("smtp.data", ""), std::string(": ") + shape);
  EXPECT_EQ(rejection("smtp.data", "avg=1s"), std::string("avg=1s: unknown operator at '=1s' ") + operators);
  EXPECT_EQ(rejection("smtp.data", "avg!=1s"), std::string("avg!=1s: unknown operator at '!=1s' ") + operators);
  EXPECT_EQ(rejection("smtp.data", "avg=<1s"), std::string("avg=<1s: unknown operator at '=<1s' ") + operators);
}

TEST(ParseThreshold, StatisticsThatDoNotFitTheMetric) {
  expect_rejections({
      {"smtp.data", "rate<0.1", "smtp.data is a latency metric: rate is for checks and errors"},
      {"checks", "count>5", "checks takes rate only"},
      {"checks", "p(99)<1s", "checks takes rate only"},
      {"errors", "p(99)<1s", "errors takes rate or count only"},
      {"errors.timeout", "avg<1s", "errors.timeout takes rate or count only"},
      {"errors.timeouts", "count==0",
       "errors.timeouts: 'timeouts' is not a kind of error (connect, tls, timeout, protocol, check, dropped)"},
      {"errors.", "count==0", "errors.: '' is not a kind of error (connect, tls, timeout, protocol, check, dropped)"},
      {"", "avg<1s", "a threshold needs a metric"},
  });
}

TEST(ParseThreshold, BadBounds) {
  const char* range = "a rate is from 0 to 1 (0% to 100%)";
  const char* not_rate = "is not a rate (a fraction such as 0.99, or a percentage such as 99%)";
  const char* not_count = "is not a count (a number ≥ 0)";
  EXPECT_EQ(rejection("checks", "rate>1.5"), std::string("rate>1.5: '1.5': ") + range);
  EXPECT_EQ(rejection("checks", "rate>150%"), std::string("rate>150%: '150%': ") + range);
  EXPECT_EQ(rejection("checks", "rate>-0.1"), std::string("rate>-0.1: '-0.1': ") + range);
  EXPECT_EQ(rejection("checks", "rate>high"), std::string("rate>high: 'high' ") + not_rate);
  EXPECT_EQ(rejection("checks", "rate>%"), std::string("rate>%: '%' ") + not_rate);
  EXPECT_EQ(rejection("checks", "rate>nan"), std::string("rate>nan: 'nan' ") + not_rate);
  EXPECT_EQ(rejection("errors", "count<5ms"), std::string("count<5ms: '5ms' ") + not_count);
  EXPECT_EQ(rejection("errors", "count<-1"), std::string("count<-1: '-1' ") + not_count);
  EXPECT_EQ(rejection("errors", "count<+1"), std::string("count<+1: '+1' ") + not_count);
  EXPECT_EQ(rejection("iteration", "count<1%"), std::string("count<1%: '1%' ") + not_count);
  expect_rejections({{"iteration", "avg<1%", "'1%' is not a duration: unknown unit '%' (ns, us, ms, s, m, h)"}});
}

TEST(ParseThreshold, ErrorIsOptional) {
  EXPECT_FALSE(parse_threshold("smtp.data", "p(99)<250").has_value());
}

}  // namespace
}  // namespace facteur::load
