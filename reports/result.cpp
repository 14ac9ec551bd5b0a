#include "reports/result.hpp"

#include <algorithm>
#include <string_view>

#include "reports/case_view.hpp"

namespace facteur::report {

const char* to_string(StopKind kind) {
  switch (kind) {
    case StopKind::none: return "none";
    case StopKind::check: return "check";
    case StopKind::scenario: return "scenario";
    case StopKind::connect: return "connect";
    case StopKind::tls: return "tls";
    case StopKind::timeout: return "timeout";
    case StopKind::malformed: return "malformed";
    case StopKind::invariant: return "invariant";
    case StopKind::excess: return "excess";
    case StopKind::io: return "io";
    case StopKind::interrupted: return "interrupted";
  }
  return "none";
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::warn: return "warn";
    case Outcome::skip: return "skip";
    case Outcome::error: return "error";
  }
  return "?";
}

std::optional<Outcome> outcome_from_string(std::string_view text) {
  for (const Outcome o : {Outcome::pass, Outcome::fail, Outcome::warn, Outcome::skip, Outcome::error}) {
    if (text == to_string(o)) return o;
  }
  return std::nullopt;
}

// Counts by outcome, whatever the baseline says; `baselined` and `baseline_stale` say how many of
// them the baseline excuses or no longer needs to.
Summary RunResult::summary() const {
  Summary s;
  for (const CaseResult& c : cases) {
    ++s.total;
    switch (c.outcome) {
      case Outcome::pass: ++s.passed; break;
      case Outcome::fail: ++s.failed; break;
      case Outcome::warn: ++s.warned; break;
      case Outcome::skip: ++s.skipped; break;
      case Outcome::error: ++s.errored; break;
    }
    const Verdict v = verdict_of(c);
    if (v == Verdict::baselined) ++s.baselined;
    if (v == Verdict::stale) ++s.baseline_stale;
  }
  return s;
}

namespace {

// A case that could not even reach the server: the engine prefixes such errors "connect:" (TCP,
// DNS) or "tls:" (implicit TLS or STARTTLS handshake).
bool is_unreachable_error(const CaseResult& c) {
  if (c.outcome != Outcome::error) return false;
  const std::string_view message = c.message;
  return message.starts_with("connect:") || message.starts_with("tls:");
}

}  // namespace

// Exit codes, first match wins:
//   130  the run was interrupted by a signal (128 + SIGINT, the shell convention): results are
//        partial, so neither success nor a verdict on the server can be claimed.
//   3    target unreachable: at least one case ran and every case that was not skipped is an error
//        whose message starts with "connect:" or "tls:" (cases skipped for a missing variable do not
//        hide an unreachable target). Nothing about the server was tested; this is an environment
//        problem, told apart from failures so CI can retry or page someone else.
//   1    at least one fail or error not excused by the baseline, or at least one stale baseline
//        entry (a baselined case that now passes: the baseline must shrink, or it rots).
//   0    otherwise. warn never fails a run: the runner already turns SHOULD-level cases into fail
//        under --strict, so a warn is by definition not a failure. Skips never fail a run either.
int RunResult::exit_code() const {
  if (interrupted) return 130;
  const bool any_unreachable = std::any_of(cases.begin(), cases.end(), is_unreachable_error);
  const bool rest_skipped = std::all_of(cases.begin(), cases.end(), [](const CaseResult& c) {
    return c.outcome == Outcome::skip || is_unreachable_error(c);
  });
  if (any_unreachable && rest_skipped) return 3;
  const bool failed = std::any_of(cases.begin(), cases.end(), [](const CaseResult& c) {
    return counts_as_failure(verdict_of(c));
  });
  return failed ? 1 : 0;
}

}  // namespace facteur::report
