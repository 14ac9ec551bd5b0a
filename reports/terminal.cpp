// The summary printed at the end of a run. Server text is escaped (Escape::line) so a reply can
// never move the cursor or recolour the terminal. The last line is a contract with CI tools that
// parse it: exactly "N passed, N failed" or "N passed, N failed, N skipped", never coloured.
#include <string>

#include <fmt/format.h>

#include "reports/case_view.hpp"
#include "reports/escape.hpp"
#include "reports/render.hpp"

namespace facteur::report {
namespace {

std::string one_line(std::string_view s) { return detail::escape(s, detail::Escape::line); }

const char* ansi_color(Verdict v) {
  switch (v) {
    case Verdict::passed: return "\x1b[32m";     // green
    case Verdict::failed:
    case Verdict::errored:
    case Verdict::stale: return "\x1b[1;31m";    // bold red
    case Verdict::warned: return "\x1b[33m";     // yellow
    case Verdict::skipped: return "\x1b[2m";     // dim
    case Verdict::baselined: return "\x1b[36m";  // cyan
  }
  return "";
}
constexpr const char* kReset = "\x1b[0m";

// "    expected: 250" with continuation lines aligned under the value.
std::string labelled_block(std::string_view name, std::string_view value) {
  const std::string prefix = fmt::format("    {:<9} ", std::string(name) + ":");
  const std::string indent(prefix.size(), ' ');
  std::string out = prefix;
  for (const char c : detail::escape(value, detail::Escape::text)) {
    out += c;
    if (c == '\n') out += indent;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out + "\n";
}

std::string case_lines(const CaseResult& c, Verdict v, const TerminalStyle& style) {
  std::string message = v == Verdict::stale ? kStaleMessage : c.message;
  if (v == Verdict::baselined) message += fmt::format(" (baseline: {})", c.baseline_reason.value_or(""));
  std::string out = style.color ? fmt::format("{}{}{} {}", ansi_color(v), label(v), kReset, one_line(c.id))
                                : fmt::format("{} {}", label(v), one_line(c.id));
  if (!message.empty()) out += " — " + one_line(message);
  out += "\n";
  if (v == Verdict::failed || v == Verdict::errored || v == Verdict::warned) {
    if (!c.expected.empty()) out += labelled_block("expected", c.expected);
    if (!c.actual.empty()) out += labelled_block("actual", c.actual);
  }
  return out;
}

}  // namespace

std::string render_terminal(const RunResult& r, TerminalStyle style) {
  const Tally t = tally(r);
  std::string out;
  for (const CaseResult& c : r.cases) {
    const Verdict v = verdict_of(c);
    if (v == Verdict::passed && !style.verbose) continue;
    out += case_lines(c, v, style);
  }
  if (r.interrupted) out += "interrupted: the results are partial\n";
  if (r.exit_code() == 3) out += "target unreachable: every case failed to connect or negotiate TLS\n";

  // Every case is in exactly one of: passed, failed (fail, error, stale), skipped, warned,
  // baselined. The last two are shown on their own line so the final one stays parseable.
  std::string extra;
  if (t.warned > 0) extra += fmt::format("{} warned", t.warned);
  if (t.baselined > 0) extra += fmt::format("{}{} baselined", extra.empty() ? "" : ", ", t.baselined);
  if (!extra.empty()) out += extra + "\n";

  out += fmt::format("{} passed, {} failed", t.passed, t.failures());
  if (t.skipped > 0) out += fmt::format(", {} skipped", t.skipped);
  out += "\n";
  return out;
}

}  // namespace facteur::report
