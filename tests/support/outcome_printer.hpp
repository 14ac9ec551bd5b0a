// Lets GoogleTest print report::Outcome by name ("fail") instead of as raw bytes.
#pragma once

#include <ostream>

#include "reports/result.hpp"

namespace facteur::report {

inline void PrintTo(Outcome outcome, std::ostream* os) { *os << to_string(outcome); }

}  // namespace facteur::report
