// One self-contained HTML page: no external resources, no script. Rows can be filtered by
// outcome with CSS alone (a checkbox per verdict, `:checked ~ table` selectors). Every piece of
// data goes through escape(): server replies can contain markup, control bytes, anything.
#include <string>

#include <fmt/format.h>

#include "reports/case_view.hpp"
#include "reports/escape.hpp"
#include "reports/render.hpp"

namespace facteur::report {
namespace {

std::string h(std::string_view s) { return detail::escape(s, detail::Escape::html); }

// CSS class of a verdict: "v-failed", …
const char* css_class(Verdict v) {
  switch (v) {
    case Verdict::passed: return "v-passed";
    case Verdict::failed: return "v-failed";
    case Verdict::errored: return "v-errored";
    case Verdict::warned: return "v-warned";
    case Verdict::skipped: return "v-skipped";
    case Verdict::baselined: return "v-baselined";
    case Verdict::stale: return "v-stale";
  }
  return "";
}

constexpr Verdict kAllVerdicts[] = {Verdict::failed,  Verdict::errored,   Verdict::stale, Verdict::warned,
                                    Verdict::skipped, Verdict::baselined, Verdict::passed};

constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid #d0d7de; }
header.run-passed { background: #dafbe1; } header.run-failed, header.run-unreachable { background: #ffebe9; }
header.run-interrupted { background: #fff8c5; }
h1 { font-size: 22px; margin: 0 0 4px; }
.counts { font-size: 16px; margin: 0 0 8px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
main { padding: 16px 24px; }
.filters label { margin-right: 12px; cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #d0d7de; }
td.outcome { font-weight: 700; white-space: nowrap; }
tr.v-passed td.outcome { color: #1a7f37; }
tr.v-failed, tr.v-errored, tr.v-stale { background: #ffebe9; }
tr.v-failed td.outcome, tr.v-errored td.outcome, tr.v-stale td.outcome { color: #cf222e; }
tr.v-warned { background: #fff8c5; } tr.v-warned td.outcome { color: #9a6700; }
tr.v-skipped td.outcome { color: #656d76; }
tr.v-baselined { background: #ddf4ff; } tr.v-baselined td.outcome { color: #0969da; }
summary { cursor: pointer; } code { font-size: 13px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.message { margin: 4px 0; }
)css";

std::string filter_css() {
  std::string css;
  for (const Verdict v : kAllVerdicts) {
    css += fmt::format("#show-{0}:not(:checked) ~ table tr.{0} {{ display: none; }}\n", css_class(v));
  }
  return css;
}

std::string header(const RunResult& r, const Tally& t) {
  std::string counts = fmt::format("{} passed, {} failed", t.passed, t.failures());
  if (t.skipped > 0) counts += fmt::format(", {} skipped", t.skipped);
  if (t.warned > 0) counts += fmt::format(", {} warned", t.warned);
  if (t.baselined > 0) counts += fmt::format(", {} baselined", t.baselined);
  std::string verdict = run_verdict(r);
  std::string css = "run-" + verdict;
  for (char& c : css) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);

  std::string out = fmt::format("<header class=\"{}\">\n<h1>facteur {}</h1>\n<p class=\"counts\">{}</p>\n",
                                css, h(verdict), h(counts));
  if (r.interrupted) out += "<p><strong>Interrupted: the results are partial.</strong></p>\n";
  out += "<dl class=\"facts\">\n";
  const auto fact = [&](std::string_view name, std::string_view value) {
    if (!value.empty()) out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", h(name), h(value));
  };
  fact("target", r.target);
  fact("command", r.command);
  fact("started", r.started_at);
  fact("duration", duration_text(r.duration_ms));
  fact("cases", std::to_string(t.total));
  fact("strict", r.strict ? "yes" : "no");
  fact("baseline", r.baseline_file);
  fact("facteur", r.tool_version);
  for (const auto& [key, value] : r.environment) fact(key, value);
  out += "</dl>\n</header>\n";
  return out;
}

std::string pre(std::string_view title, std::string_view content) {
  return fmt::format("<div>{}</div><pre>{}</pre>\n", h(title), h(content));
}

std::string case_row(const CaseResult& c) {
  const Verdict v = verdict_of(c);
  std::string body;
  std::string message = v == Verdict::stale ? kStaleMessage : c.message;
  if (!message.empty()) body += fmt::format("<p class=\"message\">{}</p>\n", h(message));
  if (c.baseline_reason) body += fmt::format("<p>baseline: {}</p>\n", h(*c.baseline_reason));
  std::string facts;
  if (!c.spec.empty()) facts += "spec: " + spec_text(c) + "\n";
  if (!c.file.empty()) facts += "file: " + c.file + "\n";
  if (c.step >= 0) facts += fmt::format("step: {}\n", c.step);
  if (!c.tags.empty()) {
    facts += "tags:";
    for (const std::string& tag : c.tags) facts += " " + tag;
    facts += "\n";
  }
  if (!facts.empty()) body += pre("case", facts);
  if (!c.expected.empty()) body += pre("expected", c.expected);
  if (!c.actual.empty()) body += pre("actual", c.actual);
  if (!c.transcript.empty()) {
    std::string lines;
    for (const TranscriptLine& line : c.transcript) {
      lines += detail::escape(transcript_line_text(line), detail::Escape::line) + "\n";
    }
    body += pre("transcript", lines);
  }
  const std::string summary = fmt::format("<code>{}</code>{}", h(c.id), c.title.empty() ? "" : " — " + h(c.title));
  // Cases that need attention open by default.
  const bool open = counts_as_failure(v) || v == Verdict::warned;
  return fmt::format(
      "<tr class=\"{}\"><td class=\"outcome\">{}</td><td><details{}><summary>{}</summary>\n{}</details></td>"
      "<td>{}</td><td>{}</td></tr>\n",
      css_class(v), label(v), open ? " open" : "", summary, body, h(c.level), h(duration_text(c.duration_ms)));
}

}  // namespace

std::string render_html(const RunResult& r) {
  const Tally t = tally(r);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>facteur {} — {}</title>\n", h(run_verdict(r)), h(r.target));
  out += fmt::format("<style>{}{}</style>\n</head>\n<body>\n", kStyle, filter_css());
  out += header(r, t);
  out += "<main>\n<div class=\"filters\">show:</div>\n";
  // The checkboxes must be siblings placed before the table for the `~` selectors to reach it.
  for (const Verdict v : kAllVerdicts) {
    if (t.of(v) == 0) continue;
    out += fmt::format(
        "<input type=\"checkbox\" id=\"show-{0}\" checked><label for=\"show-{0}\">{1} ({2})</label>\n",
        css_class(v), label(v), t.of(v));
  }
  out += "<table>\n<thead><tr><th>Outcome</th><th>Case</th><th>Level</th><th>Time</th></tr></thead>\n<tbody>\n";
  for (const CaseResult& c : r.cases) out += case_row(c);
  out += "</tbody>\n</table>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace facteur::report
