// The interval log text format: writer output, write → read round trip, tags, logs written by
// another implementation, the base-time rule, and rejections with line numbers.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "harness/load/hdr_codec.hpp"
#include "harness/load/hdr_interval_log.hpp"

namespace facteur::load {
namespace {

HdrHistogram latencies(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> dist(1.0 / 4000.0);
  HdrHistogram h;
  for (int i = 0; i < n; ++i) h.record(1 + static_cast<std::uint64_t>(dist(rng)));
  return h;
}

TEST(HdrIntervalLog, WritesTheHeaderAndOneLinePerInterval) {
  IntervalLog log;
  log.header.start_time = 1'700'000'000.0;
  log.header.base_time = 1'700'000'000.0;
  HdrHistogram h;
  h.record(12'345);
  log.intervals.push_back(LogInterval{"", 0.0, 1.0, 0, h});
  log.intervals.push_back(LogInterval{"smtp.send", 1.5, 0.25, 0, h});

  const std::string base64 = encode_hdr_base64(h);
  EXPECT_EQ(write_interval_log(log),
            "#[Histogram log format version 1.3]\n"
            "#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]\n"
            "#[BaseTime: 1700000000.000 (seconds since epoch)]\n"
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
            "0.000,1.000,12.351," + base64 + "\n"
            "Tag=smtp.send,1.500,0.250,12.351," + base64 + "\n");
}

TEST(HdrIntervalLog, HeaderCommentsAreOptional) {
  EXPECT_EQ(format_log_header({}),
            "#[Histogram log format version 1.3]\n"
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n");
}

TEST(HdrIntervalLog, MaxColumnUsesTheUnitRatio) {
  HdrHistogram h;
  h.record(1'500);
  const LogInterval interval{"", 2.0, 1.0, 0, h};
  EXPECT_EQ(format_log_interval(interval, 1.0).substr(0, 22), "2.000,1.000,1500.000,H");
  EXPECT_EQ(format_log_interval(interval, 1e6).substr(0, 19), "2.000,1.000,0.002,H");
  EXPECT_THROW(format_log_interval(interval, 0.0), std::invalid_argument);
}

TEST(HdrIntervalLog, TagsTheFormatCannotCarryAreRejected) {
  for (const char* tag : {"a,b", "a b", "a\nb", "a\tb"}) {
    EXPECT_THROW(format_log_interval(LogInterval{tag, 0, 1, 0, HdrHistogram{}}), std::invalid_argument) << tag;
  }
}

TEST(HdrIntervalLog, WriteThenReadRoundTrips) {
  IntervalLog log;
  log.header.start_time = 1'712'345'678.125;
  log.header.base_time = 1'712'345'678.125;
  for (int i = 0; i < 6; ++i) {
    const std::string tag = i % 3 == 0 ? "" : i % 3 == 1 ? "smtp.send" : "imap.fetch";
    log.intervals.push_back(LogInterval{tag, i * 0.5, 0.5, 0, latencies(static_cast<std::uint64_t>(i), 1'000 * (i + 1))});
  }
  log.intervals.push_back(LogInterval{"idle", 3.0, 0.5, 0, HdrHistogram(HdrConfig{1, 60'000'000, 2})});

  std::string error;
  const std::optional<IntervalLog> read = read_interval_log(write_interval_log(log), &error);
  ASSERT_TRUE(read) << error;
  EXPECT_EQ(read->header.start_time, log.header.start_time);
  EXPECT_EQ(read->header.base_time, log.header.base_time);
  ASSERT_EQ(read->intervals.size(), log.intervals.size());
  for (std::size_t i = 0; i < log.intervals.size(); ++i) {
    const LogInterval& want = log.intervals[i];
    const LogInterval& got = read->intervals[i];
    EXPECT_EQ(got.tag, want.tag);
    EXPECT_DOUBLE_EQ(got.start, want.start);
    EXPECT_DOUBLE_EQ(got.length, want.length);
    EXPECT_NEAR(got.logged_max, static_cast<double>(want.histogram.max()) / 1000.0, 0.0005);
    EXPECT_EQ(got.histogram, want.histogram);
    EXPECT_EQ(got.histogram.value_at_percentile(99), want.histogram.value_at_percentile(99));
  }
  EXPECT_DOUBLE_EQ(effective_base_time(*read), 1'712'345'678.125);
}

// As hdr-histogram-js 3.0.1's HistogramLogWriter writes it: a JS Date string, a blank line, a tag.
TEST(HdrIntervalLog, ReadsALogWrittenByHdrHistogramJs) {
  const std::string js =
      "#[Histogram log format version 1.3]\n"
      "#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated "
      "Universal Time)]\n"
      "\n"
      "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
      "Tag=js,0.000,1.500,3000.000,HISTFAAAADJ4nJNpmSzMwMDAz8DAwMjAwMDMAAEgNsO1yUsY4HwmppP8TE/ZmX4mcO30YwIAmtsHoQ==\n";
  std::string error;
  const std::optional<IntervalLog> log = read_interval_log(js, &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->header.start_time, 1'700'000'000.0);
  EXPECT_FALSE(log->header.base_time);
  ASSERT_EQ(log->intervals.size(), 1u);
  EXPECT_EQ(log->intervals[0].tag, "js");
  EXPECT_EQ(log->intervals[0].length, 1.5);
  EXPECT_EQ(log->intervals[0].logged_max, 3000.0);
  EXPECT_EQ(log->intervals[0].histogram.total_count(), 10u);
  // 0.000 is more than a year before StartTime: timestamps are relative to it.
  EXPECT_EQ(effective_base_time(*log), 1'700'000'000.0);
}

TEST(HdrIntervalLog, AbsoluteTimestampsWithoutBaseTime) {
  const std::string text = "#[StartTime: 1700000000.000 (seconds since epoch), x]\r\n"
                           "1700000001.000,1.000,0.000," + encode_hdr_base64(HdrHistogram{}) + "\r\n";
  const std::optional<IntervalLog> log = read_interval_log(text);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->intervals.size(), 1u);
  EXPECT_EQ(effective_base_time(*log), 0.0);
  EXPECT_EQ(effective_base_time(IntervalLog{}), 0.0);
}

TEST(HdrIntervalLog, RejectsMalformedLinesWithTheirNumber) {
  const std::string h = encode_hdr_base64(HdrHistogram{});
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"#[StartTime: soon]\n", "line 1: StartTime is not a number"},
      {"#c\n#[BaseTime: ]\n", "line 2: BaseTime is not a number"},
      {"0.000,1.000,0.000\n", "line 1: expected StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram"},
      {"\n0.000,1.000,0.000," + h + ",extra\n",
       "line 2: expected StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram"},
      {"x,1.000,0.000," + h + "\n", "line 1: StartTimestamp is not a number"},
      {"0,1s,0.000," + h + "\n", "line 1: Interval_Length is not a number"},
      {"0,1,nan," + h + "\n", "line 1: Interval_Max is not a number"},
      {"Tag=abc\n", "line 1: tag without fields"},
      {"0,1,0,HISTFAAA\n", "line 1: histogram: compressed encoding shorter than its 8-byte header"},
      {"0,1,0,@@@@\n", "line 1: histogram: histogram is not valid base64"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(read_interval_log(c.text, &error)) << c.text;
    EXPECT_EQ(error, c.error);
  }
}

TEST(HdrIntervalLog, EmptyTextIsAnEmptyLog) {
  const std::optional<IntervalLog> log = read_interval_log("");
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->intervals.empty());
  EXPECT_FALSE(log->header.start_time);
}

}  // namespace
}  // namespace facteur::load
