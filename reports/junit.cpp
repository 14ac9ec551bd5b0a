// JUnit XML in the dialect CI servers read (Jenkins, GitLab, GitHub test reporters): one
// <testsuite> per protocol, one <testcase> per case, classname = the case id without its last
// segment with dots for slashes, so CI trees follow the RFC layout (smtp > 5321 > 4.1.1.5).
//
// Mapping: fail → <failure type="LEVEL">, error → <error>, skip → <skipped>, warn → a passing case
// whose <system-out> explains the SHOULD-level deviation, baselined → <skipped message="baselined:
// …">, stale baseline entry → <failure>. Counts follow the same mapping, so the totals CI shows
// agree with the terminal's "N passed, N failed".
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "reports/case_view.hpp"
#include "reports/escape.hpp"
#include "reports/render.hpp"

namespace facteur::report {
namespace {

using detail::Escape;

std::string attr(std::string_view s) { return detail::escape(s, Escape::xml_attribute); }
std::string text(std::string_view s) { return detail::escape(s, Escape::xml_text); }
std::string seconds(double ms) { return fmt::format("{:.3f}", ms / 1000); }

struct JunitCounts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time_ms = 0;
  void add(const CaseResult& c) {
    ++tests;
    time_ms += c.duration_ms;
    switch (verdict_of(c)) {
      case Verdict::failed:
      case Verdict::stale: ++failures; break;
      case Verdict::errored: ++errors; break;
      case Verdict::skipped:
      case Verdict::baselined: ++skipped; break;
      case Verdict::passed:
      case Verdict::warned: break;
    }
  }
  std::string attributes() const {
    return fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}")", tests, failures, errors, skipped);
  }
};

std::string classname(const CaseResult& c) {
  const auto slash = c.id.rfind('/');
  std::string name = slash == std::string::npos ? c.protocol : c.id.substr(0, slash);
  for (char& ch : name) {
    if (ch == '/') ch = '.';
  }
  return name;
}

std::string testcase_name(const CaseResult& c) {
  const auto slash = c.id.rfind('/');
  return slash == std::string::npos ? c.id : c.id.substr(slash + 1);
}

std::string suite_name(const CaseResult& c) { return c.protocol.empty() ? "unknown" : c.protocol; }

// The body of a <failure>, <error> or <system-out>: everything needed to understand the case
// without opening another file.
std::string details(const CaseResult& c) {
  std::string out;
  if (!c.message.empty()) out += c.message + "\n";
  if (!c.expected.empty()) out += "expected: " + c.expected + "\n";
  if (!c.actual.empty()) out += "actual:   " + c.actual + "\n";
  if (!c.spec.empty()) out += "spec:     " + spec_text(c) + "\n";
  if (!c.file.empty()) out += "file:     " + c.file + "\n";
  if (c.step >= 0) out += fmt::format("step:     {}\n", c.step);
  if (!c.transcript.empty()) {
    out += "\ntranscript:\n";
    for (const TranscriptLine& line : c.transcript) out += transcript_line_text(line) + "\n";
  }
  return out;
}

void append_testcase(std::string& out, const CaseResult& c) {
  out += fmt::format(R"(    <testcase classname="{}" name="{}" time="{}")", attr(classname(c)),
                     attr(testcase_name(c)), seconds(c.duration_ms));
  if (!c.file.empty()) out += fmt::format(R"( file="{}")", attr(c.file));
  const Verdict v = verdict_of(c);
  if (v == Verdict::passed && c.transcript.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  switch (v) {
    case Verdict::failed:
      out += fmt::format(R"(      <failure message="{}" type="{}">{}</failure>)", attr(c.message),
                         attr(c.level.empty() ? "fail" : c.level), text(details(c)));
      break;
    case Verdict::errored:
      out += fmt::format(R"(      <error message="{}" type="error">{}</error>)", attr(c.message), text(details(c)));
      break;
    case Verdict::stale:
      out += fmt::format(R"(      <failure message="{}" type="stale-baseline">{}</failure>)", attr(kStaleMessage),
                         text("baseline reason: " + c.baseline_reason.value_or("") + "\n"));
      break;
    case Verdict::skipped:
      out += fmt::format(R"(      <skipped message="{}"/>)", attr(c.message));
      break;
    case Verdict::baselined:
      out += fmt::format(R"(      <skipped message="{}">{}</skipped>)",
                         attr("baselined: " + c.baseline_reason.value_or("")),
                         text(fmt::format("{} (excused by the baseline)\n{}", to_string(c.outcome), details(c))));
      break;
    case Verdict::warned:
      out += fmt::format("      <system-out>{}</system-out>",
                         text(fmt::format("{}-level deviation, reported as a warning (a failure under --strict)\n{}",
                                          c.level.empty() ? "SHOULD" : c.level, details(c))));
      break;
    case Verdict::passed:
      out += fmt::format("      <system-out>{}</system-out>", text(details(c)));
      break;
  }
  out += "\n    </testcase>\n";
}

void append_properties(std::string& out, const RunResult& r) {
  std::vector<std::pair<std::string, std::string>> props = {
      {"target", r.target},
      {"command", r.command},
      {"tool_version", r.tool_version},
      {"strict", r.strict ? "true" : "false"},
      {"interrupted", r.interrupted ? "true" : "false"},
  };
  if (!r.baseline_file.empty()) props.emplace_back("baseline_file", r.baseline_file);
  for (const auto& [key, value] : r.environment) props.emplace_back("environment." + key, value);
  out += "    <properties>\n";
  for (const auto& [name, value] : props) {
    out += fmt::format(R"(      <property name="{}" value="{}"/>)", attr(name), attr(value)) + "\n";
  }
  out += "    </properties>\n";
}

}  // namespace

std::string render_junit(const RunResult& r) {
  // Suites in order of first appearance, which is the order the runner ran them in.
  std::vector<std::string> suites;
  for (const CaseResult& c : r.cases) {
    if (std::find(suites.begin(), suites.end(), suite_name(c)) == suites.end()) suites.push_back(suite_name(c));
  }
  JunitCounts all;
  for (const CaseResult& c : r.cases) all.add(c);

  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)" "\n";
  out += fmt::format(R"(<testsuites name="facteur" {} time="{}">)", all.attributes(),
                     seconds(r.duration_ms)) + "\n";
  for (const std::string& suite : suites) {
    JunitCounts counts;
    for (const CaseResult& c : r.cases) {
      if (suite_name(c) == suite) counts.add(c);
    }
    out += fmt::format(R"(  <testsuite name="{}" {} time="{}" timestamp="{}">)", attr(suite), counts.attributes(),
                       seconds(counts.time_ms), attr(r.started_at)) + "\n";
    append_properties(out, r);
    for (const CaseResult& c : r.cases) {
      if (suite_name(c) == suite) append_testcase(out, c);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace facteur::report
