// Renderers of a RunResult. Each is a pure function: result in, text out.
#pragma once

#include <string>

#include "reports/result.hpp"

namespace facteur::report {

std::string render_json(const RunResult&);      // result.json: to_json in document order, 2-space
std::string render_junit(const RunResult&);     // JUnit XML, one testsuite per protocol
std::string render_markdown(const RunResult&);  // for CI job summaries
std::string render_html(const RunResult&);      // one self-contained page
struct TerminalStyle { bool color = false; bool verbose = false; };
std::string render_terminal(const RunResult&, TerminalStyle style = {});  // final summary

// Writes result.json, junit.xml, summary.md and report.html into `dir` (created if needed);
// returns the paths written. Throws std::runtime_error on I/O failure.
struct WrittenReports { std::string json, junit, markdown, html; };
WrittenReports write_reports(const RunResult&, const std::string& dir);

}  // namespace facteur::report
