// A run with every kind of case, and server text that tries to break every renderer.
#pragma once

#include <string>

#include "reports/result.hpp"

namespace facteur::report::testing {

// Server bytes no renderer may pass through raw: markup, a CDATA terminator, C0 controls, an ANSI
// escape sequence, and bytes that are not UTF-8.
inline const std::string kNastyText = "250 <b>ok</b> & \"quoted\" ]]> \x01\x7f \x1b[31mred \xff\xfe end";

inline CaseResult make_case(std::string id, Outcome outcome) {
  CaseResult c;
  c.protocol = id.substr(0, id.find('/'));
  c.id = std::move(id);
  c.title = "title of " + c.id;
  c.file = "scenarios/" + c.protocol + "/case.json";
  c.spec = {{"5321", "4.1.1.5", "MUST"}};
  c.level = "MUST";
  c.tags = {"core"};
  c.outcome = outcome;
  c.duration_ms = 12.5;
  return c;
}

inline RunResult sample_run() {
  RunResult r;
  r.tool_version = "0.1.0";
  r.command = "run";
  r.target = "smtp://mx.lab:25";
  r.started_at = "2024-05-01T10:00:00Z";
  r.duration_ms = 1234.5;
  r.strict = false;
  r.baseline_file = "baseline.json";
  r.environment = {{"host", "mx.lab"}, {"greeting", "220 mx <ESMTP> \x02 ready"}};

  r.cases.push_back(make_case("smtp/5321/4.1.1.1/ehlo-greets", Outcome::pass));

  CaseResult fail = make_case("smtp/5321/4.1.1.5/rset-clears-transaction", Outcome::fail);
  fail.message = "RSET did not clear | the `transaction`";
  fail.expected = "503 <bad sequence>";
  fail.actual = kNastyText;
  fail.step = 3;
  fail.transcript = {{0.1, "main", '<', "220 mx.lab ESMTP"},
                     {1.25, "main", '>', "RSET"},
                     {2.5, "main", '<', kNastyText},
                     {3.0, "main", '*', "close"}};
  r.cases.push_back(fail);

  CaseResult warn = make_case("smtp/5321/4.5.3.1/line-length", Outcome::warn);
  warn.spec = {{"5321", "4.5.3.1", "SHOULD"}};
  warn.level = "SHOULD";
  warn.message = "accepted a 1001-octet line";
  warn.expected = "500";
  warn.actual = "250";
  r.cases.push_back(warn);

  CaseResult skip = make_case("imap/9051/6.2.1/starttls", Outcome::skip);
  skip.message = "server lacks STARTTLS";
  r.cases.push_back(skip);

  CaseResult error = make_case("pop3/1939/5/stat", Outcome::error);
  error.message = "deadline: no reply in 5000 ms";
  r.cases.push_back(error);

  CaseResult baselined = make_case("smtp/5321/4.1.4/helo-twice", Outcome::fail);
  baselined.message = "second HELO rejected";
  baselined.baseline_reason = "known bug #12";
  r.cases.push_back(baselined);

  CaseResult stale = make_case("smtp/5321/3.3/mail-from-null", Outcome::pass);
  stale.baseline_reason = "fixed upstream?";
  stale.baseline_stale = true;
  r.cases.push_back(stale);
  return r;
}

}  // namespace facteur::report::testing
