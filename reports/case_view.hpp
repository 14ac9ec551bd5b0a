// How a case is presented: the one place that decides which bucket a case falls in once the
// baseline is taken into account, shared by every renderer so they never disagree.
#pragma once

#include <string>

#include "reports/result.hpp"

namespace facteur::report {

// Each case is in exactly one bucket; the buckets add up to the number of cases.
enum class Verdict {
  passed,     // pass, not a stale baseline entry
  failed,     // fail, not in the baseline
  errored,    // error, not in the baseline
  warned,     // warn, not in the baseline
  skipped,    // skip (a baseline entry does not change a skip)
  baselined,  // fail, error or warn excused by the baseline
  stale,      // pass, but listed in the baseline: the baseline must shrink
};
Verdict verdict_of(const CaseResult&);
const char* label(Verdict);  // "PASS", "FAIL", "ERROR", "WARN", "SKIP", "BASELINED", "STALE"
// The verdicts that make the run fail (exit code 1).
inline bool counts_as_failure(Verdict v) {
  return v == Verdict::failed || v == Verdict::errored || v == Verdict::stale;
}

struct Tally {
  int total = 0, passed = 0, failed = 0, errored = 0, warned = 0, skipped = 0, baselined = 0,
      stale = 0;
  int failures() const { return failed + errored + stale; }  // what "N failed" reports
  int of(Verdict) const;
};
Tally tally(const RunResult&);

// The run as one word, from its exit code: "PASSED", "FAILED", "UNREACHABLE", "INTERRUPTED".
const char* run_verdict(const RunResult&);

// Shown for a stale baseline entry wherever a message would be.
inline constexpr const char* kStaleMessage =
    "baselined case now passes: remove it from the baseline";

// Raw (unescaped) text shared by the renderers.
std::string transcript_line_text(const TranscriptLine&);  // "[   12.3 ms] main > EHLO x"
std::string spec_text(const CaseResult&);                 // "RFC 5321 §4.1.1.5 (MUST), …"
std::string duration_text(double ms);                     // "850 ms", "12.3 s"

}  // namespace facteur::report
