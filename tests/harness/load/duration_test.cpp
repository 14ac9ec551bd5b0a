// parse_duration / format_duration: every form k6 users write, exact decimal arithmetic, the
// errors with their reasons, and format → parse round trips.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

using namespace std::chrono_literals;

Nanos parsed(std::string_view text) {
  std::string error;
  const std::optional<Nanos> d = parse_duration(text, &error);
  EXPECT_TRUE(d.has_value()) << text << ": " << error;
  return d.value_or(Nanos{-1});
}

std::string rejection(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_duration(text, &error).has_value()) << text;
  return error;
}

TEST(ParseDuration, EveryUnit) {
  EXPECT_EQ(parsed("7ns"), 7ns);
  EXPECT_EQ(parsed("7us"), 7us);
  EXPECT_EQ(parsed("7µs"), 7us);
  EXPECT_EQ(parsed("250ms"), 250ms);
  EXPECT_EQ(parsed("30s"), 30s);
  EXPECT_EQ(parsed("2m"), 2min);
  EXPECT_EQ(parsed("1h"), 1h);
}

TEST(ParseDuration, CompoundsAddUp) {
  EXPECT_EQ(parsed("1m30s"), 90s);
  EXPECT_EQ(parsed("1h2m3s4ms5us6ns"), 1h + 2min + 3s + 4ms + 5us + 6ns);
  EXPECT_EQ(parsed("1s1s"), 2s);  // as Go reads it
}

TEST(ParseDuration, DecimalsAreExact) {
  EXPECT_EQ(parsed("1.5s"), 1500ms);
  EXPECT_EQ(parsed("0.1s"), 100ms);
  EXPECT_EQ(parsed("0.3s"), 300ms);  // 0.1 + 0.2 in doubles would not be
  EXPECT_EQ(parsed("1.5m"), 90s);
  EXPECT_EQ(parsed("0.25h"), 15min);
  EXPECT_EQ(parsed("1.000000001s"), 1s + 1ns);
  EXPECT_EQ(parsed("2.5ms"), 2500us);
  EXPECT_EQ(parsed("0.0000000001h"), 360ns);
  EXPECT_EQ(parsed("0.1ns"), 0ns);               // below a nanosecond: truncated
  EXPECT_EQ(parsed("1.99999999999999999999s"), 1999999999ns);
  EXPECT_EQ(parsed("0.333333333333333333333h"), Nanos(1'199'999'999'999));
  EXPECT_EQ(parsed("007s"), 7s);
}

TEST(ParseDuration, ZeroBareOrWithAUnit) {
  EXPECT_EQ(parsed("0"), 0ns);
  EXPECT_EQ(parsed("0s"), 0ns);
  EXPECT_EQ(parsed("0ms"), 0ns);
  EXPECT_EQ(parsed("0.0s"), 0ns);
}

TEST(ParseDuration, TheLongestDuration) {
  EXPECT_EQ(parsed("2562047h47m16.854775807s"), Nanos::max());
  EXPECT_EQ(parsed("9223372036854775807ns"), Nanos::max());
}

TEST(ParseDuration, Errors) {
  EXPECT_EQ(rejection(""), "'' is not a duration: it is empty");
  EXPECT_EQ(rejection("-1s"), "'-1s' is not a duration: a duration is never negative");
  EXPECT_EQ(rejection("250"), "'250' is not a duration: a number needs a unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("1m30"), "'1m30' is not a duration: a number needs a unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("00"), "'00' is not a duration: a number needs a unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("3x"), "'3x' is not a duration: unknown unit 'x' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("3d"), "'3d' is not a duration: unknown unit 'd' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("3 s"), "'3 s' is not a duration: unknown unit ' s' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("3S"), "'3S' is not a duration: unknown unit 'S' (ns, us, ms, s, m, h)");
  EXPECT_EQ(rejection("s"), "'s' is not a duration: expected a number at 's'");
  EXPECT_EQ(rejection(".5s"), "'.5s' is not a duration: expected a number at '.5s'");
  EXPECT_EQ(rejection("+1s"), "'+1s' is not a duration: expected a number at '+1s'");
  EXPECT_EQ(rejection("1.s"), "'1.s' is not a duration: expected a digit after the point in '1.s'");
  EXPECT_EQ(rejection("1m 30s"), "'1m 30s' is not a duration: unknown unit 'm ' (ns, us, ms, s, m, h)");
}

TEST(ParseDuration, Overflow) {
  EXPECT_EQ(rejection("9223372036854775808ns"),
            "'9223372036854775808ns' is not a duration: longer than 2562047h47m16.854775807s");
  EXPECT_EQ(rejection("2562048h"), "'2562048h' is not a duration: longer than 2562047h47m16.854775807s");
  EXPECT_EQ(rejection("2562047h47m16.854775808s"),
            "'2562047h47m16.854775808s' is not a duration: longer than 2562047h47m16.854775807s");
  EXPECT_EQ(rejection("99999999999999999999999999s"),
            "'99999999999999999999999999s' is not a duration: longer than 2562047h47m16.854775807s");
  EXPECT_FALSE(parse_duration("2562047h2562047h").has_value());
}

TEST(ParseDuration, ErrorIsOptional) {
  EXPECT_FALSE(parse_duration("nope").has_value());
  EXPECT_EQ(parse_duration("1s"), Nanos(1s));
}

TEST(FormatDuration, Forms) {
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(7ns), "7ns");
  EXPECT_EQ(format_duration(1500ns), "1.5us");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(2500us), "2.5ms");
  EXPECT_EQ(format_duration(1'234'567ns), "1.234567ms");
  EXPECT_EQ(format_duration(1s), "1s");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(2min), "2m");
  EXPECT_EQ(format_duration(1h), "1h");
  EXPECT_EQ(format_duration(1h + 1s), "1h1s");
  EXPECT_EQ(format_duration(1min + 500ms), "1m0.5s");
  EXPECT_EQ(format_duration(1h + 2min + 3s + 4ns), "1h2m3.000000004s");
  EXPECT_EQ(format_duration(Nanos::max()), "2562047h47m16.854775807s");
  EXPECT_EQ(format_duration(-250ms), "-250ms");
  EXPECT_EQ(format_duration(Nanos::min()), "-2562047h47m16.854775808s");
}

TEST(FormatDuration, ParsesBackToItself) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> any(0, Nanos::max().count());
  std::uniform_int_distribution<std::int64_t> small(0, 10'000'000'000'000);
  for (int i = 0; i < 20'000; ++i) {
    const Nanos d(i % 2 ? any(rng) : small(rng) / (std::int64_t{1} << (i % 40)));
    EXPECT_EQ(parsed(format_duration(d)), d) << format_duration(d);
  }
  for (const Nanos d : {Nanos(1), Nanos(999), Nanos(1000), Nanos(999'999), Nanos(1'000'000), Nanos(999'999'999),
                        Nanos(60'000'000'000), Nanos(3'600'000'000'000)}) {
    EXPECT_EQ(parsed(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace facteur::load
