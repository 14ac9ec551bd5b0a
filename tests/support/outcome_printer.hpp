// How tests show a case's result: GoogleTest prints report::Outcome by name ("fail") instead of as
// raw bytes, and a failed assertion can quote the verdict with its transcript. Found by ADL from any
// test namespace.
#pragma once

#include <ostream>
#include <string>

#include "reports/result.hpp"

namespace facteur::report {

inline void PrintTo(Outcome outcome, std::ostream* os) { *os << to_string(outcome); }

// "fail: <message> [expected: …] [actual: …]" and then the transcript, one line each.
inline std::string text_of(const CaseResult& r) {
  std::string out = std::string(to_string(r.outcome)) + ": " + r.message + " [expected: " + r.expected +
                    "] [actual: " + r.actual + "]";
  for (const auto& line : r.transcript) out += "\n  " + std::string(1, line.dir) + " " + line.text;
  return out;
}

// Whether a transcript line holds `needle`.
inline bool transcript_has(const CaseResult& r, const std::string& needle) {
  for (const auto& line : r.transcript) {
    if (line.text.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace facteur::report
