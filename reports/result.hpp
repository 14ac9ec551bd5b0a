// The run result: the one versioned document every report is rendered from (shared/STYLE.md §6).
// JSON is its source form ("facteur-result", schema_version 1); JUnit, Markdown, HTML and the
// terminal summary are pure renderers of it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace facteur::report {

inline constexpr int kResultSchemaVersion = 1;

// Why a case stopped early, by kind: the load summary counts errors by it and the fuzzer classifies
// findings by it (never by reading messages back). Not written to result.json.
enum class StopKind {
  none,       // the case ran to its end
  check,      // an expectation was not met
  scenario,   // the scenario cannot run as written (bad template, session used before connect, …)
  connect,    // the TCP connection could not be made
  tls,        // a TLS handshake failed
  timeout,    // no reply within the reply timeout, or the case deadline passed
  malformed,  // the server sent what the protocol's grammar rejects
  invariant,  // a session invariant (IMAP, POP3) broke
  excess,     // the server answered more than a conforming server would (a bare LF taken as a line end, …)
  io,         // the connection failed under a read or write
  interrupted,  // the run was stopped (SIGINT/SIGTERM)
};
const char* to_string(StopKind);

enum class Outcome {
  pass,   // every expectation met
  fail,   // an expectation of a MUST case (or any case under --strict) was not met
  warn,   // a SHOULD/MAY case was not met and --strict is off: shown, not counted as failure
  skip,   // a required capability is missing
  error,  // the case could not run (connect, TLS, deadline, bad scenario data)
};
const char* to_string(Outcome);
std::optional<Outcome> outcome_from_string(std::string_view);

struct SpecRef {
  std::string rfc;      // "5321"
  std::string section;  // "4.1.1.5"
  std::string level;    // "MUST" | "SHOULD" | "MAY"
};

struct TranscriptLine {
  double t_ms = 0;       // since the case started
  std::string session;   // scenario session name ("main")
  char dir = '>';        // '>' client to server, '<' server to client, '*' note (TLS, connect, close)
  std::string text;      // printable form: CRLF shown as-is stripped, secrets already redacted
};

struct CaseResult {
  std::string id;        // "smtp/5321/4.1.1.5/rset-clears-transaction"
  std::string title;
  std::string protocol;  // "smtp"
  std::string file;      // scenario file, relative to where it was loaded from
  std::vector<SpecRef> spec;
  std::string level;     // strongest level of the spec refs
  std::vector<std::string> tags;
  Outcome outcome = Outcome::pass;
  std::string message;   // one line: why it failed / was skipped / errored
  std::string expected;  // for failures: what was acceptable
  std::string actual;    // for failures: what came
  int step = -1;         // index of the failing step, -1 when not applicable
  StopKind stop = StopKind::none;  // why it stopped early (in memory only)
  double duration_ms = 0;
  std::optional<std::string> baseline_reason;  // set when the case is listed in the baseline
  bool baseline_stale = false;  // listed in the baseline but passed: the baseline must shrink
  std::vector<TranscriptLine> transcript;  // kept for non-pass outcomes (and all with --transcripts)
};

struct Summary {
  int total = 0, passed = 0, failed = 0, warned = 0, skipped = 0, errored = 0;
  int baselined = 0;        // failed/errored/warned cases excused by the baseline
  int baseline_stale = 0;   // baselined cases that passed
};

struct RunResult {
  int schema_version = kResultSchemaVersion;
  std::string tool = "facteur";
  std::string tool_version;
  std::string command;          // "run"
  std::string target;           // URL as given, without credentials
  std::string started_at;       // RFC 3339 UTC
  double duration_ms = 0;
  bool strict = false;
  bool interrupted = false;     // stopped by a signal: results are partial
  std::string baseline_file;
  std::map<std::string, std::string> environment;  // free-form facts: host, server greeting, …
  std::vector<CaseResult> cases;
  // facteur load only (null otherwise): executor, metrics with their histograms, intervals,
  // thresholds (harness/load/metrics.hpp gives its "metrics" form). Kept as JSON: the renderers show
  // it; `facteur report merge` reads it back.
  nlohmann::json load;

  Summary summary() const;      // computed from cases, never stored by hand
  // Process exit code the run maps to (see README "Exit codes"): 0 ok, 1 failures (including stale
  // baseline entries), 3 target unreachable (every case errored on connect).
  int exit_code() const;
};

nlohmann::json to_json(const RunResult&);
// Throws std::runtime_error with a JSON path when the document is not a v1 result.
RunResult result_from_json(const nlohmann::json&);

}  // namespace facteur::report
