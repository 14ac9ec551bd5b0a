// Dates as RFC 5322 §3.3 writes them: "Thu, 26 Nov 2026 06:10:00 +0000" (always UTC).
#pragma once

#include <chrono>
#include <string>

namespace facteur::scenario {

std::string rfc5322_date(std::chrono::system_clock::time_point when);
inline std::string rfc5322_date_now() { return rfc5322_date(std::chrono::system_clock::now()); }

}  // namespace facteur::scenario
