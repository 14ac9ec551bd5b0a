// ArrivalSchedule: the exact intended start times of the open model (constant rate, ramps against
// their closed forms, stages at rate 0, time units, the end) and target_vus of the closed model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

using namespace std::chrono_literals;

ExecutorConfig constant_rate(double rate, Nanos duration, Nanos time_unit = 1s) {
  ExecutorConfig c;
  c.kind = ExecutorKind::constant_arrival_rate;
  c.rate = rate;
  c.duration = duration;
  c.time_unit = time_unit;
  return c;
}

ExecutorConfig ramping_rate(double start_rate, std::vector<Stage> stages, Nanos time_unit = 1s) {
  ExecutorConfig c;
  c.kind = ExecutorKind::ramping_arrival_rate;
  c.start_rate = start_rate;
  c.stages = std::move(stages);
  c.time_unit = time_unit;
  c.duration = c.total_duration();
  return c;
}

std::vector<Nanos> all_starts(const ExecutorConfig& c) {
  ArrivalSchedule s(c);
  std::vector<Nanos> out;
  while (const std::optional<Nanos> t = s.next()) out.push_back(t.value_or(Nanos{-1}));
  EXPECT_EQ(s.issued(), out.size());
  return out;
}

std::vector<Nanos> every(Nanos from, Nanos step, int n) {
  std::vector<Nanos> out;
  for (int i = 0; i < n; ++i) out.push_back(from + i * step);
  return out;
}

TEST(ArrivalSchedule, ConstantRateStartsAtZeroAndEvery100ms) {
  EXPECT_EQ(all_starts(constant_rate(10, 1s)), every(0ms, 100ms, 10));
}

TEST(ArrivalSchedule, CountIsRateTimesDuration) {
  EXPECT_EQ(all_starts(constant_rate(7, 13s)).size(), 91u);
  EXPECT_EQ(all_starts(constant_rate(2.5, 4s)), every(0ms, 400ms, 10));
  EXPECT_EQ(all_starts(constant_rate(0.5, 10s)), every(0s, 2s, 5));
  EXPECT_EQ(all_starts(constant_rate(1, 2500ms)), every(0s, 1s, 3));  // 2.5 due: the third starts at 2 s
  EXPECT_EQ(all_starts(constant_rate(1000, 1min)).size(), 60'000u);
}

TEST(ArrivalSchedule, NoDriftOverAMillionIterations) {
  ArrivalSchedule tenth(constant_rate(10, 200'000s));
  for (std::int64_t n = 0; n < 1'000'000; ++n) {
    const Nanos t = tenth.next().value_or(Nanos{-1});
    ASSERT_EQ(t, n * 100ms) << n;
  }
  // 3/s: every start at n/3 s rounded to the nearest ns, from n alone.
  ArrivalSchedule third(constant_rate(3, 1'000'000s));
  for (std::uint64_t n = 0; n < 1'000'000; ++n) {
    const std::uint64_t ns = n * 1'000'000'000;
    const auto nearest = static_cast<std::int64_t>(ns / 3 + (ns % 3 == 2 ? 1 : 0));
    ASSERT_EQ(third.next().value_or(Nanos{-1}), Nanos(nearest)) << n;
  }
  // The same constant rate as a ramping stage, past several stage boundaries.
  ArrivalSchedule staged(ramping_rate(10, {{25'000s, 10}, {25'000s, 10}, {25'000s, 10}, {25'001s, 10}}));
  for (std::int64_t n = 0; n < 1'000'000; ++n) ASSERT_EQ(staged.next().value_or(Nanos{-1}), n * 100ms) << n;
}

TEST(ArrivalSchedule, TimeUnitOtherThanASecond) {
  EXPECT_EQ(all_starts(constant_rate(100, 1min, 1min)), every(0ms, 600ms, 100));
  EXPECT_EQ(all_starts(constant_rate(100, 3min, 1min)).size(), 300u);
  EXPECT_EQ(all_starts(constant_rate(1, 10ms, 1ms)), every(0ms, 1ms, 10));
  // 0 → 100 per minute over a minute: 50 starts, at √(2n·60s·1min/100).
  const std::vector<Nanos> ramp = all_starts(ramping_rate(0, {{1min, 100}}, 1min));
  ASSERT_EQ(ramp.size(), 50u);
  for (std::size_t n = 0; n < ramp.size(); ++n) {
    const double closed = std::sqrt(2.0 * static_cast<double>(n) * 60e9 * 60e9 / 100);
    EXPECT_NEAR(static_cast<double>(ramp[n].count()), closed, 1.0) << n;
  }
}

TEST(ArrivalSchedule, RampFromZeroFollowsTheSquareRoot) {
  // r(t) = 100/s · t/60s: the integral is 100·t²/(2·60s), so the n-th start is at √(1.2·n) s.
  const std::vector<Nanos> starts = all_starts(ramping_rate(0, {{60s, 100}}));
  ASSERT_EQ(starts.size(), 3000u);  // 100/s · 60 s / 2
  for (std::size_t n = 0; n < starts.size(); ++n) {
    const double closed = std::sqrt(2.0 * static_cast<double>(n) * 60e9 * 1e9 / 100);
    ASSERT_NEAR(static_cast<double>(starts[n].count()), closed, 1.0) << n;
  }
  EXPECT_EQ(starts[0], 0ns);
  EXPECT_EQ(starts[30], Nanos(6'000'000'000));  // √36 s
}

TEST(ArrivalSchedule, RampDownAndBetweenTwoRates) {
  // 100/s → 0 over 60 s: n = 100·τ − 100·τ²/120, so τ = 60 − √(3600 − 1.2·n) (seconds).
  const std::vector<Nanos> down = all_starts(ramping_rate(100, {{60s, 0}}));
  ASSERT_EQ(down.size(), 3000u);
  for (std::size_t n = 0; n < down.size(); ++n) {
    const long double closed = 60e9L - std::sqrt(3600e18L - 1.2e18L * static_cast<long double>(n));
    ASSERT_NEAR(static_cast<double>(down[n].count()), static_cast<double>(closed), 1.0) << n;
  }
  // 10/s → 20/s over 1 s: 15 starts where 10τ + 5τ² = n.
  const std::vector<Nanos> up = all_starts(ramping_rate(10, {{1s, 20}}));
  ASSERT_EQ(up.size(), 15u);
  for (std::size_t n = 0; n < up.size(); ++n) {
    const double closed = (-10 + std::sqrt(100 + 20.0 * static_cast<double>(n))) / 10 * 1e9;
    EXPECT_NEAR(static_cast<double>(up[n].count()), closed, 1.0) << n;
  }
}

TEST(ArrivalSchedule, StagesFollowEachOther) {
  std::vector<Nanos> expected = every(0ms, 100ms, 10);
  for (const Nanos t : every(1000ms, 50ms, 20)) expected.push_back(t);
  EXPECT_EQ(all_starts(ramping_rate(10, {{1s, 10}, {0s, 20}, {1s, 20}})), expected);
}

TEST(ArrivalSchedule, AStageAtRateZeroStartsNothing) {
  // 10/s for 1 s, nothing for 2 s, 10/s for 1 s: the 11th start waits for the rate to come back.
  std::vector<Nanos> expected = every(0ms, 100ms, 10);
  for (const Nanos t : every(3000ms, 100ms, 10)) expected.push_back(t);
  EXPECT_EQ(all_starts(ramping_rate(10, {{1s, 10}, {0s, 0}, {2s, 0}, {0s, 10}, {1s, 10}})), expected);
  // From rate 0: nothing at t = 0; the first start comes with the ramp at 2 s.
  const std::vector<Nanos> late = all_starts(ramping_rate(0, {{2s, 0}, {1s, 10}}));
  ASSERT_EQ(late.size(), 5u);
  EXPECT_EQ(late[0], 2s);
  EXPECT_NEAR(static_cast<double>(late[1].count()), 2e9 + std::sqrt(2e17), 1.0);
  // Ramp down to 0 then stay there: the ramp's starts only.
  EXPECT_EQ(all_starts(ramping_rate(10, {{2s, 0}, {10s, 0}})).size(), 10u);
  // Nothing at all.
  EXPECT_TRUE(all_starts(ramping_rate(0, {{10s, 0}})).empty());
}

TEST(ArrivalSchedule, EndsAtTotalDuration) {
  ArrivalSchedule s(constant_rate(4, 1s));
  Nanos last{-1};
  while (const std::optional<Nanos> t = s.next()) last = t.value_or(Nanos{-1});
  EXPECT_EQ(last, 750ms);
  EXPECT_EQ(s.issued(), 4u);
  EXPECT_FALSE(s.next().has_value());  // stays ended
  EXPECT_FALSE(s.next().has_value());
  EXPECT_EQ(s.issued(), 4u);
  // Trailing stages of zero length do not extend the run.
  const std::vector<Nanos> ramp = all_starts(ramping_rate(10, {{1s, 10}, {0s, 1000}}));
  EXPECT_EQ(ramp.back(), 900ms);
  EXPECT_EQ(ramp.size(), 10u);
}

TEST(ArrivalSchedule, ClosedModelHasNoArrivals) {
  ExecutorConfig c;
  c.duration = 10s;
  EXPECT_FALSE(ArrivalSchedule(c).next().has_value());
}

ExecutorConfig ramping_vus(int start_vus, std::vector<Stage> stages) {
  ExecutorConfig c;
  c.kind = ExecutorKind::ramping_vus;
  c.start_vus = start_vus;
  c.stages = std::move(stages);
  c.duration = c.total_duration();
  return c;
}

TEST(TargetVus, InterpolatesBetweenStages) {
  const ExecutorConfig c = ramping_vus(0, {{10s, 10}, {10s, 10}, {0s, 20}, {10s, 0}});
  EXPECT_EQ(target_vus(c, 0s), 0);
  EXPECT_EQ(target_vus(c, 3s), 3);
  EXPECT_EQ(target_vus(c, 3s - 1ns), 2);  // rounded down
  EXPECT_EQ(target_vus(c, 9999ms), 9);
  EXPECT_EQ(target_vus(c, 10s), 10);
  EXPECT_EQ(target_vus(c, 15s), 10);
  EXPECT_EQ(target_vus(c, 20s), 20);  // a stage of no length jumps
  EXPECT_EQ(target_vus(c, 25s), 10);
  EXPECT_EQ(target_vus(c, 26s), 8);
  EXPECT_EQ(target_vus(c, 29900ms), 0);
  const ExecutorConfig thirds = ramping_vus(10, {{3s, 0}});
  EXPECT_EQ(target_vus(thirds, 1s), 6);  // 6.67
  EXPECT_EQ(target_vus(thirds, 1500ms), 5);
}

TEST(TargetVus, StartVusBeforeTheFirstStage) {
  const ExecutorConfig c = ramping_vus(5, {{10s, 15}});
  EXPECT_EQ(target_vus(c, 0s), 5);
  EXPECT_EQ(target_vus(c, -1s), 5);
  EXPECT_EQ(target_vus(c, 5s), 10);
}

TEST(TargetVus, ZeroAfterTheEnd) {
  const ExecutorConfig c = ramping_vus(5, {{10s, 15}});
  EXPECT_EQ(target_vus(c, 10s), 0);
  EXPECT_EQ(target_vus(c, 1h), 0);
  ExecutorConfig constant;
  constant.vus = 7;
  constant.duration = 30s;
  EXPECT_EQ(target_vus(constant, 0s), 7);
  EXPECT_EQ(target_vus(constant, 30s - 1ns), 7);
  EXPECT_EQ(target_vus(constant, 30s), 0);
  ExecutorConfig open = constant_rate(10, 1s);
  open.vus = 4;
  EXPECT_EQ(target_vus(open, 0s), 4);
  EXPECT_EQ(target_vus(open, 1s), 0);
}

}  // namespace
}  // namespace facteur::load
