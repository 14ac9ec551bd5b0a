// RFC 3659 §2.3 time-val: "YYYYMMDDHHMMSS" and an optional "." with fractions of a second, in UTC.
// MDTM's 213 reply and the modify / create facts of MLSx entries carry one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/ftp/parsed.hpp"

namespace facteur::ftp {

struct TimeVal {
  int year = 1000;  // 1000..9999
  int month = 1;    // 1..12
  int day = 1;      // 1..the days of that month (Gregorian, leap years counted)
  int hour = 0;     // 0..23
  int minute = 0;   // 0..59
  int second = 0;   // 0..60 (60 only at a leap second; not checked against the leap second table)
  // The digits after the ".", as sent: the server's precision, which RFC 3659 §2.3 forbids a
  // client to add to. "" when none.
  std::string fraction;

  // Seconds since 1970-01-01T00:00:00Z, the fraction left out (a leap second counts as the next).
  std::int64_t unix_seconds() const;
  // The fraction as nanoseconds (digits past the ninth dropped).
  std::uint32_t nanoseconds() const;
  std::string str() const;  // back to time-val: parse_time_val(t.str()) == t
  friend bool operator==(const TimeVal&, const TimeVal&) = default;
};

// time-val = 14DIGIT [ "." 1*DIGIT ], nothing before or after, each field in its range.
Parsed<TimeVal> parse_time_val(std::string_view text);

}  // namespace facteur::ftp
