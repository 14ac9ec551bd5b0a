// RFC 3659 §2.3 time-val.
#include "harness/ftp/time_val.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"

namespace facteur::ftp {
namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// Days from 1970-01-01 to year-month-day (Gregorian): the days of the whole years since 0001-01-01
// (365 each, plus the leap days of every 4th year but not the 100th unless the 400th), of the whole
// months of this year, and of this month, less the 719162 days from 0001-01-01 to 1970-01-01.
std::int64_t days_from_epoch(int year, int month, int day) {
  static constexpr int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const std::int64_t y = year - 1;
  const std::int64_t whole_years = y * 365 + y / 4 - y / 100 + y / 400;
  const int months = before_month[month - 1] + (month > 2 && leap(year) ? 1 : 0);
  return whole_years + months + day - 1 - 719162;
}

int two_digits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

std::int64_t TimeVal::unix_seconds() const {
  return days_from_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::uint32_t TimeVal::nanoseconds() const {
  std::uint32_t nanos = 0;
  for (std::size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < fraction.size() ? static_cast<std::uint32_t>(fraction[i] - '0') : 0);
  return nanos;
}

std::string TimeVal::str() const {
  std::string text = fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", year, month, day, hour, minute, second);
  if (!fraction.empty()) text += "." + fraction;
  return text;
}

Parsed<TimeVal> parse_time_val(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Failure{fmt::format("time-val \"{}\": {}", ascii::printable(text), why)};
  };
  const std::string_view whole = text.substr(0, 14);
  if (whole.size() < 14 || !std::all_of(whole.begin(), whole.end(), ascii::is_digit)) {
    return bad("does not start with 14 digits YYYYMMDDHHMMSS");
  }
  TimeVal t;
  if (text.size() > 14) {
    const std::string_view rest = text.substr(15);
    if (text[14] != '.' || rest.empty() || !std::all_of(rest.begin(), rest.end(), ascii::is_digit)) {
      return bad("14 digits must be followed by nothing or by \".\" and digits");
    }
    t.fraction = std::string(rest);
  }
  t.year = two_digits(text, 0) * 100 + two_digits(text, 2);
  t.month = two_digits(text, 4);
  t.day = two_digits(text, 6);
  t.hour = two_digits(text, 8);
  t.minute = two_digits(text, 10);
  t.second = two_digits(text, 12);
  if (t.year < 1000) return bad(fmt::format("year {:04} is not in 1000..9999", t.year));
  if (t.month < 1 || t.month > 12) return bad(fmt::format("month {:02} is not in 01..12", t.month));
  if (t.day < 1 || t.day > days_in_month(t.year, t.month)) {
    return bad(fmt::format("day {:02} is not in 01..{} for {:04}-{:02}", t.day, days_in_month(t.year, t.month),
                           t.year, t.month));
  }
  if (t.hour > 23) return bad(fmt::format("hour {:02} is not in 00..23", t.hour));
  if (t.minute > 59) return bad(fmt::format("minute {:02} is not in 00..59", t.minute));
  if (t.second > 60) return bad(fmt::format("second {:02} is not in 00..60", t.second));
  return t;
}

}  // namespace facteur::ftp
