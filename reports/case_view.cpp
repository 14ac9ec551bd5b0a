#include "reports/case_view.hpp"

#include <fmt/format.h>

namespace facteur::report {

Verdict verdict_of(const CaseResult& c) {
  const bool listed = c.baseline_reason.has_value();
  switch (c.outcome) {
    case Outcome::pass: return c.baseline_stale ? Verdict::stale : Verdict::passed;
    case Outcome::fail: return listed ? Verdict::baselined : Verdict::failed;
    case Outcome::error: return listed ? Verdict::baselined : Verdict::errored;
    case Outcome::warn: return listed ? Verdict::baselined : Verdict::warned;
    case Outcome::skip: return Verdict::skipped;
  }
  return Verdict::failed;
}

const char* label(Verdict v) {
  switch (v) {
    case Verdict::passed: return "PASS";
    case Verdict::failed: return "FAIL";
    case Verdict::errored: return "ERROR";
    case Verdict::warned: return "WARN";
    case Verdict::skipped: return "SKIP";
    case Verdict::baselined: return "BASELINED";
    case Verdict::stale: return "STALE";
  }
  return "?";
}

Tally tally(const RunResult& r) {
  Tally t;
  for (const CaseResult& c : r.cases) {
    ++t.total;
    switch (verdict_of(c)) {
      case Verdict::passed: ++t.passed; break;
      case Verdict::failed: ++t.failed; break;
      case Verdict::errored: ++t.errored; break;
      case Verdict::warned: ++t.warned; break;
      case Verdict::skipped: ++t.skipped; break;
      case Verdict::baselined: ++t.baselined; break;
      case Verdict::stale: ++t.stale; break;
    }
  }
  return t;
}

int Tally::of(Verdict v) const {
  switch (v) {
    case Verdict::passed: return passed;
    case Verdict::failed: return failed;
    case Verdict::errored: return errored;
    case Verdict::warned: return warned;
    case Verdict::skipped: return skipped;
    case Verdict::baselined: return baselined;
    case Verdict::stale: return stale;
  }
  return 0;
}

const char* run_verdict(const RunResult& r) {
  switch (r.exit_code()) {
    case 0: return "PASSED";
    case 3: return "UNREACHABLE";
    case 130: return "INTERRUPTED";
    default: return "FAILED";
  }
}

std::string transcript_line_text(const TranscriptLine& line) {
  return fmt::format("[{:8.1f} ms] {} {} {}", line.t_ms, line.session, line.dir, line.text);
}

std::string spec_text(const CaseResult& c) {
  std::string out;
  for (const SpecRef& ref : c.spec) {
    if (!out.empty()) out += ", ";
    out += fmt::format("RFC {} §{} ({})", ref.rfc, ref.section, ref.level);
  }
  return out;
}

std::string duration_text(double ms) {
  if (ms < 1000) return fmt::format("{:.0f} ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f} s", ms / 1000);
  const auto seconds = static_cast<long long>(ms / 1000);
  return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
}

}  // namespace facteur::report
