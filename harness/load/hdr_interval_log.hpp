// The HdrHistogram interval log: the text format that HdrHistogram's HistogramLogWriter/Reader
// (Java, JS, C) and tools such as HistogramLogProcessor exchange. One histogram per line:
//
//   #[Histogram log format version 1.3]
//   #[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]
//   #[BaseTime: 1700000000.000 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   0.000,1.000,12.543,HISTFAAAAC...            (untagged)
//   Tag=smtp.send,0.000,1.000,9.871,HISTFAAA…  (tagged)
//
// Timestamps are seconds with millisecond precision, relative to BaseTime when one is given.
// Interval_Max is the interval's max() divided by a unit ratio (facteur records µs; the default
// ratio 1000 writes it in ms, as the Java writer's default does for ns). The histogram column is the
// base64 compressed V2 encoding (hdr_codec.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/load/hdr_histogram.hpp"

namespace facteur::load {

inline constexpr double default_max_value_unit_ratio = 1000.0;  // µs samples → ms in Interval_Max

struct IntervalLogHeader {
  std::optional<double> start_time;  // seconds since the epoch: "#[StartTime: …]"
  std::optional<double> base_time;   // seconds since the epoch: "#[BaseTime: …]"
};

struct LogInterval {
  std::string tag;     // empty: untagged. No ',', whitespace or line breaks.
  double start = 0;    // seconds; relative to the base time when the log has one
  double length = 0;   // seconds
  double logged_max = 0;  // Interval_Max as read (0 on the writing side: computed from histogram)
  HdrHistogram histogram;
};

struct IntervalLog {
  IntervalLogHeader header;
  std::vector<LogInterval> intervals;
};

// The version comment, the StartTime and BaseTime comments (each when set) and the column legend.
std::string format_log_header(const IntervalLogHeader& header);
// One interval line, '\n'-terminated. Throws std::invalid_argument for a tag the format cannot
// carry (a configuration mistake: tags come from the scenario, not from the wire).
std::string format_log_interval(const LogInterval& interval,
                                double max_value_unit_ratio = default_max_value_unit_ratio);
// The same line from its parts, for a writer whose histogram lives elsewhere (a load run writes
// each metric's interval where it lies instead of copying 188 KiB into a LogInterval).
std::string format_log_interval(std::string_view tag, double start, double length, const HdrHistogram& histogram,
                                double max_value_unit_ratio = default_max_value_unit_ratio);
// The whole log: header, then each interval in order.
std::string write_interval_log(const IntervalLog& log,
                               double max_value_unit_ratio = default_max_value_unit_ratio);

// Reads a log: comment lines ('#'), the legend and blank lines are skipped (the StartTime and
// BaseTime comments are parsed); CRLF and LF both end lines. Returns nullopt with
// "line N: reason" in `error` for a malformed interval line or an undecodable histogram.
std::optional<IntervalLog> read_interval_log(std::string_view text, std::string* error = nullptr);

// What the interval start timestamps are relative to, in seconds since the epoch: BaseTime when
// given; otherwise HdrHistogram's readers' rule on the first interval: a timestamp more than a year
// before StartTime means the timestamps are relative to StartTime, else they are absolute (base 0).
double effective_base_time(const IntervalLog& log);

}  // namespace facteur::load
