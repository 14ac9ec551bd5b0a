// HdrHistogram interval log writer and reader (format in hdr_interval_log.hpp).
#include "harness/load/hdr_interval_log.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "harness/load/hdr_codec.hpp"

namespace facteur::load {
namespace {

constexpr std::string_view version_line = "#[Histogram log format version 1.3]";
constexpr std::string_view start_time_prefix = "#[StartTime: ";
constexpr std::string_view base_time_prefix = "#[BaseTime: ";
constexpr std::string_view legend =
    R"("StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram")";
constexpr std::string_view tag_prefix = "Tag=";
constexpr double seconds_per_year = 365.0 * 24 * 3600;

// "%.3f" without the locale: timestamps and maxima are written with millisecond/thousandth precision.
std::string fixed3(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, 3);
  if (ec != std::errc{}) return "0.000";  // only for magnitudes no log carries (> 10^60)
  return std::string(buffer.data(), end);
}

// The date the Java writer appends for people ("Tue Nov 14 22:13:20 UTC 2023"), in UTC and
// without the C locale's say.
std::string human_date(double seconds) {
  static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto whole = static_cast<std::time_t>(std::floor(seconds));
  std::tm utc{};
  if (!std::isfinite(seconds) || gmtime_r(&whole, &utc) == nullptr) return "?";
  std::array<char, 64> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "%s %s %02d %02d:%02d:%02d UTC %d",
                              days[static_cast<std::size_t>(utc.tm_wday)],
                              months[static_cast<std::size_t>(utc.tm_mon)], utc.tm_mday, utc.tm_hour,
                              utc.tm_min, utc.tm_sec, utc.tm_year + 1900);
  return std::string(buffer.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
}

bool valid_tag(std::string_view tag) {
  for (const char c : tag) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
  }
  return true;
}

// A whole field as a finite double ("1.500", "12", "1e3"); nothing else.
std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// The number that opens a "#[StartTime: 123.456 (seconds since epoch)…" comment.
std::optional<double> parse_time_comment(std::string_view rest) {
  const std::size_t end = rest.find_first_of(" ]");
  return parse_number(rest.substr(0, end));
}

// Splits `line` at commas into exactly `n` fields.
bool split_fields(std::string_view line, std::array<std::string_view, 4>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t comma = line.find(',');
    const bool last = i + 1 == fields.size();
    if (last != (comma == std::string_view::npos)) return false;
    fields[i] = line.substr(0, comma);
    if (!last) line.remove_prefix(comma + 1);
  }
  return true;
}

std::string parse_interval(std::string_view line, IntervalLog& log) {
  std::string tag;
  if (line.starts_with(tag_prefix)) {
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) return "tag without fields";
    tag = line.substr(tag_prefix.size(), comma - tag_prefix.size());
    line.remove_prefix(comma + 1);
  }
  std::array<std::string_view, 4> fields;
  if (!split_fields(line, fields)) {
    return "expected StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram";
  }
  const std::optional<double> start = parse_number(fields[0]);
  const std::optional<double> length = parse_number(fields[1]);
  const std::optional<double> max = parse_number(fields[2]);
  if (!start) return "StartTimestamp is not a number";
  if (!length) return "Interval_Length is not a number";
  if (!max) return "Interval_Max is not a number";
  std::string why;
  std::optional<HdrHistogram> histogram = decode_hdr_base64(fields[3], &why);
  if (!histogram) return "histogram: " + why;
  log.intervals.push_back(LogInterval{std::move(tag), *start, *length, *max, std::move(*histogram)});
  return {};
}

}  // namespace

std::string format_log_header(const IntervalLogHeader& header) {
  std::string out(version_line);
  out += '\n';
  if (header.start_time) {
    out += start_time_prefix;
    out += fixed3(*header.start_time) + " (seconds since epoch), " + human_date(*header.start_time) + "]\n";
  }
  if (header.base_time) {
    out += base_time_prefix;
    out += fixed3(*header.base_time) + " (seconds since epoch)]\n";
  }
  out += legend;
  out += '\n';
  return out;
}

std::string format_log_interval(std::string_view tag, double start, double length, const HdrHistogram& histogram,
                                double max_value_unit_ratio) {
  if (!valid_tag(tag)) {
    throw std::invalid_argument("interval log tag \"" + std::string(tag) +
                                "\" contains a comma, whitespace or a line break");
  }
  if (!(max_value_unit_ratio > 0)) throw std::invalid_argument("interval log max value unit ratio must be > 0");
  std::string out;
  if (!tag.empty()) {
    out += tag_prefix;
    out += tag;
    out += ',';
  }
  out += fixed3(start) + ',' + fixed3(length) + ',' +
         fixed3(static_cast<double>(histogram.max()) / max_value_unit_ratio) + ',' +
         encode_hdr_base64(histogram) + '\n';
  return out;
}

std::string format_log_interval(const LogInterval& interval, double max_value_unit_ratio) {
  return format_log_interval(interval.tag, interval.start, interval.length, interval.histogram, max_value_unit_ratio);
}

std::string write_interval_log(const IntervalLog& log, double max_value_unit_ratio) {
  std::string out = format_log_header(log.header);
  for (const LogInterval& interval : log.intervals) out += format_log_interval(interval, max_value_unit_ratio);
  return out;
}

std::optional<IntervalLog> read_interval_log(std::string_view text, std::string* error) {
  IntervalLog log;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);

    std::string problem;
    if (line.empty() || line.starts_with(legend.substr(0, 16))) {
      continue;  // blank, or the legend ("StartTimestamp",…)
    } else if (line.starts_with(start_time_prefix)) {
      log.header.start_time = parse_time_comment(line.substr(start_time_prefix.size()));
      if (!log.header.start_time) problem = "StartTime is not a number";
    } else if (line.starts_with(base_time_prefix)) {
      log.header.base_time = parse_time_comment(line.substr(base_time_prefix.size()));
      if (!log.header.base_time) problem = "BaseTime is not a number";
    } else if (line.starts_with('#')) {
      continue;  // other comments, the format version among them
    } else {
      problem = parse_interval(line, log);
    }
    if (!problem.empty()) {
      if (error) *error = "line " + std::to_string(line_number) + ": " + problem;
      return std::nullopt;
    }
  }
  return log;
}

double effective_base_time(const IntervalLog& log) {
  if (log.header.base_time) return *log.header.base_time;
  if (!log.header.start_time || log.intervals.empty()) return 0;
  const double start_time = *log.header.start_time;
  return log.intervals.front().start < start_time - seconds_per_year ? start_time : 0;
}

}  // namespace facteur::load
