// Markdown for CI job summaries (GitHub $GITHUB_STEP_SUMMARY, GitLab MR notes). Short by design:
// a headline, a table of the cases that did not pass, and collapsed details for the ones that
// need attention. Job summaries are size-limited, so details and transcripts are capped; the
// full story is in report.html and result.json.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "reports/case_view.hpp"
#include "reports/escape.hpp"
#include "reports/render.hpp"

namespace facteur::report {
namespace {

using detail::Escape;

constexpr int kMaxDetailedCases = 50;
constexpr std::size_t kTranscriptHead = 10;   // lines kept from the start (greeting, capabilities)
constexpr std::size_t kTranscriptTail = 20;   // and from the end, where the failure is
constexpr std::size_t kMaxLineBytes = 400;

// Text inside a table cell or a paragraph: one line, control bytes visible, and the characters
// Markdown or inline HTML would interpret backslash-escaped (CommonMark allows a backslash before
// any ASCII punctuation; '|' must be escaped inside GFM tables even in code spans).
std::string md(std::string_view s) {
  std::string out;
  for (const char c : detail::escape(s, Escape::line)) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~': case '&': case '#': case '!':
        out += '\\';
        break;
      default:
        break;
    }
    out += c;
  }
  return out;
}

std::string html(std::string_view s) { return detail::escape(s, Escape::html); }

// A fenced code block whose fence is longer than any backtick run in the content (CommonMark
// §4.5), so server text can never close it early.
std::string code_block(const std::string& content) {
  std::size_t longest = 0, run = 0;
  for (const char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + "text\n" + content + (content.empty() || content.back() == '\n' ? "" : "\n") + fence + "\n";
}

std::string capped_line(std::string_view line) {
  const std::string_view kept = detail::truncate_utf8(line, kMaxLineBytes);
  std::string out = detail::escape(kept, Escape::line);
  if (kept.size() < line.size()) out += fmt::format(" … ({} more bytes)", line.size() - kept.size());
  return out;
}

std::string capped_transcript(const std::vector<TranscriptLine>& lines) {
  std::string out;
  const bool cut = lines.size() > kTranscriptHead + kTranscriptTail;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (cut && i == kTranscriptHead) {
      const std::size_t omitted = lines.size() - kTranscriptHead - kTranscriptTail;
      out += fmt::format("… {} more lines\n", omitted);
      i += omitted - 1;
      continue;
    }
    out += capped_line(transcript_line_text(lines[i])) + "\n";
  }
  return out;
}

std::string case_details(const CaseResult& c) {
  const Verdict v = verdict_of(c);
  std::string out = fmt::format("<details><summary>{} {}{}</summary>\n\n", label(v), html(c.id),
                                c.message.empty() ? "" : " — " + html(detail::escape(c.message, Escape::line)));
  std::string body;
  if (!c.spec.empty()) body += "spec:     " + spec_text(c) + "\n";
  if (!c.file.empty()) body += "file:     " + c.file + "\n";
  if (c.step >= 0) body += fmt::format("step:     {}\n", c.step);
  if (!c.expected.empty()) body += "expected: " + c.expected + "\n";
  if (!c.actual.empty()) body += "actual:   " + c.actual + "\n";
  if (!c.transcript.empty()) body += "\n" + capped_transcript(c.transcript);
  // Transcript lines are escaped already; escaping is idempotent on escaped text.
  out += code_block(detail::escape(body, Escape::text));
  out += "\n</details>\n\n";
  return out;
}

std::string headline(const RunResult& r, const Tally& t) {
  const int code = r.exit_code();
  const char* mark = code == 0 ? "✅" : code == 130 ? "⚠️" : "❌";
  std::string counts = fmt::format("{} passed, {} failed", t.passed, t.failures());
  if (t.skipped > 0) counts += fmt::format(", {} skipped", t.skipped);
  if (t.warned > 0) counts += fmt::format(", {} warned", t.warned);
  if (t.baselined > 0) counts += fmt::format(", {} baselined", t.baselined);
  return fmt::format("## {} facteur {}: {}\n\n", mark, run_verdict(r), counts);
}

std::string run_facts(const RunResult& r, const Tally& t) {
  std::string out = fmt::format("{} cases against {} in {}", t.total, md(r.target), duration_text(r.duration_ms));
  if (!r.tool_version.empty()) out += " · facteur " + md(r.tool_version);
  if (r.strict) out += " · strict";
  if (!r.baseline_file.empty()) out += " · baseline " + md(r.baseline_file);
  if (!r.started_at.empty()) out += " · started " + md(r.started_at);
  out += "\n\n";
  if (r.interrupted) out += "**Interrupted: the results are partial.**\n\n";
  if (r.exit_code() == 3) out += "**Target unreachable: every case failed to connect or negotiate TLS.**\n\n";
  return out;
}

}  // namespace

std::string render_markdown(const RunResult& r) {
  const Tally t = tally(r);
  std::string out = headline(r, t) + run_facts(r, t);

  if (t.total == 0) {
    out += "No cases ran.\n";
    return out;
  }
  if (t.passed == t.total) {
    out += fmt::format("All {} cases passed.\n", t.total);
    return out;
  }
  out += "| Outcome | Case | Level | Message |\n|---|---|---|---|\n";
  for (const CaseResult& c : r.cases) {
    const Verdict v = verdict_of(c);
    if (v == Verdict::passed) continue;
    std::string message = v == Verdict::stale ? kStaleMessage : c.message;
    if (v == Verdict::baselined) message = fmt::format("{} (baseline: {})", message, c.baseline_reason.value_or(""));
    out += fmt::format("| {} | {} | {} | {} |\n", label(v), md(c.id), md(c.level), md(message));
  }
  out += "\n";

  int detailed = 0, not_detailed = 0;
  for (const CaseResult& c : r.cases) {
    const Verdict v = verdict_of(c);
    if (v != Verdict::failed && v != Verdict::errored && v != Verdict::warned) continue;
    if (detailed == kMaxDetailedCases) {
      ++not_detailed;
      continue;
    }
    if (detailed++ == 0) out += "### Details\n\n";
    out += case_details(c);
  }
  if (not_detailed > 0) out += fmt::format("… {} more cases: see report.html.\n", not_detailed);
  return out;
}

}  // namespace facteur::report
