#include "harness/scenario/rfc5322_date.hpp"

#include <array>

#include <fmt/format.h>

namespace facteur::scenario {

std::string rfc5322_date(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> day_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(when);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss time{floor<seconds>(when - day)};
  // date-time = [ day-of-week "," ] date time; zone "+0000" (RFC 5322 §3.3)
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", day_names[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()), month_names[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), time.hours().count(), time.minutes().count(),
                     time.seconds().count());
}

}  // namespace facteur::scenario
