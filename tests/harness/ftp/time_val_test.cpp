// RFC 3659 §2.3 time-val: the forms of RFC 3659 §3.4 and §7.7, each field's range and its message,
// seconds since the epoch, and parse(str()) == t.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "harness/ftp/time_val.hpp"

namespace facteur::ftp {
namespace {

TimeVal ok(std::string_view text) {
  const Parsed<TimeVal> t = parse_time_val(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.error;
  return t.value;
}

TEST(TimeVal, Fields) {
  const TimeVal t = ok("19980615100045.014");  // RFC 3659 §3.4
  EXPECT_EQ(t.year, 1998);
  EXPECT_EQ(t.month, 6);
  EXPECT_EQ(t.day, 15);
  EXPECT_EQ(t.hour, 10);
  EXPECT_EQ(t.minute, 0);
  EXPECT_EQ(t.second, 45);
  EXPECT_EQ(t.fraction, "014");
  EXPECT_EQ(t.nanoseconds(), 14000000u);
  const TimeVal whole = ok("20260101120000");
  EXPECT_EQ(whole.fraction, "");
  EXPECT_EQ(whole.nanoseconds(), 0u);
}

TEST(TimeVal, Fraction) {
  EXPECT_EQ(ok("20260101120000.5").nanoseconds(), 500000000u);
  EXPECT_EQ(ok("20260101120000.123456789").nanoseconds(), 123456789u);
  EXPECT_EQ(ok("20260101120000.1234567891234").nanoseconds(), 123456789u);  // precision kept, not used
  EXPECT_EQ(ok("20260101120000.1234567891234").fraction, "1234567891234");
  EXPECT_EQ(ok("20260101120000.000").fraction, "000");  // the server's precision, not added to
}

TEST(TimeVal, Ranges) {
  EXPECT_EQ(ok("10000101000000").year, 1000);
  EXPECT_EQ(ok("99991231235959").year, 9999);
  EXPECT_EQ(ok("20240229000000").day, 29);  // leap year
  EXPECT_EQ(ok("20000229000000").day, 29);  // divisible by 400
  EXPECT_EQ(ok("20161231235960").second, 60);  // a leap second
}

TEST(TimeVal, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "time-val \"\": does not start with 14 digits YYYYMMDDHHMMSS"},
      {"2026010112000", "time-val \"2026010112000\": does not start with 14 digits YYYYMMDDHHMMSS"},
      {"2026-01-01 12:00:00", "time-val \"2026-01-01 12:00:00\": does not start with 14 digits YYYYMMDDHHMMSS"},
      {" 20260101120000", "time-val \" 20260101120000\": does not start with 14 digits YYYYMMDDHHMMSS"},
      // The year 2000 bug of old servers: "19" then years since 1900.
      {"191000101120000", "time-val \"191000101120000\": 14 digits must be followed by nothing or by \".\" and digits"},
      {"20260101120000.", "time-val \"20260101120000.\": 14 digits must be followed by nothing or by \".\" and digits"},
      {"20260101120000 ", "time-val \"20260101120000 \": 14 digits must be followed by nothing or by \".\" and digits"},
      {"20260101120000.5Z", "time-val \"20260101120000.5Z\": 14 digits must be followed by nothing or by \".\" and digits"},
      {"20260101120000\r\n", "time-val \"20260101120000\\r\\n\": 14 digits must be followed by nothing or by \".\" and digits"},
      {"09990101000000", "time-val \"09990101000000\": year 0999 is not in 1000..9999"},
      {"20260001000000", "time-val \"20260001000000\": month 00 is not in 01..12"},
      {"20261301000000", "time-val \"20261301000000\": month 13 is not in 01..12"},
      {"20260100000000", "time-val \"20260100000000\": day 00 is not in 01..31 for 2026-01"},
      {"20260431000000", "time-val \"20260431000000\": day 31 is not in 01..30 for 2026-04"},
      {"20250229000000", "time-val \"20250229000000\": day 29 is not in 01..28 for 2025-02"},
      {"19000229000000", "time-val \"19000229000000\": day 29 is not in 01..28 for 1900-02"},
      {"20260101240000", "time-val \"20260101240000\": hour 24 is not in 00..23"},
      {"20260101126000", "time-val \"20260101126000\": minute 60 is not in 00..59"},
      {"20260101120061", "time-val \"20260101120061\": second 61 is not in 00..60"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(parse_time_val(text).error, message) << text;
}

TEST(TimeVal, UnixSeconds) {
  EXPECT_EQ(ok("19700101000000").unix_seconds(), 0);
  EXPECT_EQ(ok("20000101000000").unix_seconds(), 946684800);
  EXPECT_EQ(ok("20260101120000").unix_seconds(), 1767268800);
  EXPECT_EQ(ok("20240229235959").unix_seconds(), 1709251199);
  EXPECT_EQ(ok("20240301000000").unix_seconds(), 1709251200);
  EXPECT_EQ(ok("10000101000000").unix_seconds(), -30610224000);
  EXPECT_EQ(ok("99991231235959").unix_seconds(), 253402300799);
  EXPECT_EQ(ok("19691231235959").unix_seconds(), -1);
}

TEST(TimeVal, RoundTrip) {
  for (std::string_view text : {"19980615100045.014", "20260101120000", "10000101000000.0", "99991231235960.999999"}) {
    const TimeVal t = ok(text);
    EXPECT_EQ(t.str(), text);
    EXPECT_EQ(ok(t.str()), t);
  }
  // Every day of a leap year and of a common one: str, parse, and one day's seconds apart.
  for (const int year : {2024, 2025}) {
    std::int64_t previous = 0;
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        TimeVal t;
        t.year = year;
        t.month = month;
        t.day = day;
        const Parsed<TimeVal> back = parse_time_val(t.str());
        if (!back.ok()) continue;  // the 30th of February and such
        EXPECT_EQ(back.value, t);
        if (previous != 0) {
          EXPECT_EQ(t.unix_seconds() - previous, 86400) << t.str();
        }
        previous = t.unix_seconds();
      }
    }
    EXPECT_EQ(previous, ok(std::to_string(year) + "1231000000").unix_seconds());
  }
}

}  // namespace
}  // namespace facteur::ftp
