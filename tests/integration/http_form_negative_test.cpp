// Every contact-form case of scenarios/http-form that a form handler can get wrong is proven able
// to fail: it runs against the fake form of tests/support/fake_http_form.hpp, first well behaved
// (it must pass: the positive control), then with one misbehaviour (it must FAIL, not error, with
// a message saying what went wrong). Run with --strict semantics, so SHOULD-level cases fail too.
// The end-to-end cases mail through the lab's Postfix and read the lab's IMAP (label integration,
// lab fixture); FACTEUR_LAB_DIR (default /tmp/facteur-lab) gives vars.json.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/scenario/loader.hpp"
#include "tests/support/fake_http_form.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::test {
namespace {
namespace fs = std::filesystem;
using report::Outcome;
using testing::FakeFormConfig;
using testing::FakeFormMisbehaviour;
using testing::FakeHttpForm;
using M = FakeFormMisbehaviour;

scenario::Vars lab_vars() {
  const char* dir = std::getenv("FACTEUR_LAB_DIR");
  const fs::path file = fs::path(dir && *dir ? dir : "/tmp/facteur-lab") / "vars.json";
  scenario::Vars vars;
  std::ifstream in(file);
  if (!in) return vars;
  const auto j = nlohmann::json::parse(in);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) vars[it.key()] = it.value().get<std::string>();
  }
  return vars;
}

scenario::Scenario load(const std::string& name) {
  const fs::path file = fs::path(FACTEUR_SOURCE_DIR) / "scenarios/http-form" / name;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return scenario::parse_scenario(text.str(), file.string());
}

report::CaseResult run(const scenario::Scenario& s, FakeHttpForm& form, const scenario::Vars& vars) {
  auto settings = testing::local_settings("http", form.port());
  settings.strict = true;
  settings.vars = vars;
  settings.reply_timeout = std::chrono::milliseconds(5000);
  settings.case_timeout = std::chrono::milliseconds(60000);
  return testing::run_case_sync(s, settings);
}

std::string text_of(const report::CaseResult& r) {
  std::string out = std::string(report::to_string(r.outcome)) + ": " + r.message;
  for (const auto& line : r.transcript) out += "\n  " + std::string(1, line.dir) + " " + line.text;
  return out;
}

struct Negative {
  const char* name;       // what the server does wrong
  const char* scenario;   // file under scenarios/http-form
  M bad;
  const char* why;        // substring of the failure message
  bool mails = false;     // needs the lab (SMTP delivery, IMAP)
};

M with(bool M::*flag) {
  M m;
  m.*flag = true;
  return m;
}

const Negative kNegatives[] = {
    {"ok_for_missing_field", "9110/15.5.1-missing-required-field-400.json", with(&M::ok_for_missing_fields),
     "reply code 200 is not acceptable"},
    {"ok_for_blank_field", "9110/15.5.1-empty-and-blank-fields.json", with(&M::ok_for_missing_fields),
     "reply code 200 is not acceptable"},
    {"ok_for_delete", "9110/15.5.6-wrong-method-405-with-allow.json", with(&M::ok_for_any_method),
     "reply code 200 is not acceptable"},
    {"no_allow", "9110/15.5.6-wrong-method-405-with-allow.json", with(&M::no_allow), "no Allow header field"},
    {"accept_oversize", "9110/15.5.14-oversize-body-413.json", with(&M::accept_oversize),
     "reply code 303 is not acceptable"},
    {"accept_text_plain", "9110/15.5.16-unknown-content-type-415.json", with(&M::accept_any_type),
     "reply code 303 is not acceptable"},
    {"no_csrf_check", "9110/15.5.4-csrf-token-required.json", with(&M::no_csrf_check),
     "reply code 303 is not acceptable"},
    {"no_csrf_cookie_binding", "9110/15.5.4-csrf-needs-the-session-cookie.json", with(&M::no_csrf_check),
     "reply code 303 is not acceptable"},
    {"header_injection_subject", "5322/3.6-header-injection-in-subject.json", with(&M::header_injection),
     "no untagged response matches '* SEARCH'", true},
    {"header_injection_name", "5322/3.6-header-injection-in-name.json", with(&M::header_injection),
     "no untagged response matches '* SEARCH'", true},
    {"no_allow_on_trace", "9110/15.5.6-trace-405-with-allow.json", with(&M::no_allow), "no Allow header field"},
    {"ok_for_trace", "9110/15.5.6-trace-405-with-allow.json", with(&M::ok_for_any_method),
     "reply code 200 is not acceptable"},
    {"accept_unlabelled", "9110/15.5.16-missing-content-type-415.json", with(&M::accept_any_type),
     "reply code 303 is not acceptable"},
    // The case posts no token: a server that takes the 2 MiB answers what it thinks of the form (403).
    {"accept_oversize_after_continue", "9110/10.1.1-expect-continue-oversize-final-status.json",
     with(&M::accept_oversize), "reply code 403 is not acceptable"},
};

class HttpFormNegative : public ::testing::TestWithParam<Negative> {};

TEST_P(HttpFormNegative, PassesWhenRightFailsWhenWrong) {
  const Negative& n = GetParam();
  scenario::Vars vars = lab_vars();
  if (n.mails && vars.count("form_maildir") == 0) GTEST_SKIP() << "needs the lab (vars.json)";
  if (!vars.count("form_max_body")) vars["form_max_body"] = "1048576";
  const scenario::Scenario s = load(n.scenario);
  FakeFormConfig good;
  FakeFormConfig wrong;
  wrong.bad = n.bad;
  if (n.mails) {
    const auto& url = vars["smtp_url"];  // smtp://127.0.0.1:2525
    good.smtp_port = wrong.smtp_port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    good.rcpt = wrong.rcpt = vars["form_rcpt"];
  }
  {
    FakeHttpForm form(good);
    const auto r = run(s, form, vars);
    ASSERT_EQ(r.outcome, Outcome::pass) << "positive control: " << text_of(r);
  }
  FakeHttpForm form(wrong);
  const auto r = run(s, form, vars);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, ::testing::HasSubstr(n.why)) << text_of(r);
}

INSTANTIATE_TEST_SUITE_P(Cases, HttpFormNegative, ::testing::ValuesIn(kNegatives),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// The misbehaviours are what they claim to be, without any scenario (no lab).
TEST(FakeHttpForm, ServesTheFormAndRefusesWhatTheLabRefuses) {
  FakeHttpForm form(FakeFormConfig{});
  const auto s = testing::inline_scenario(R"({
    "facteur": 1, "id": "test/fake-form", "title": "t", "protocol": "http",
    "spec": [{"rfc": "9110", "section": "15.5.6", "level": "MUST"}],
    "steps": [{"connect": true},
      {"http": "GET /contact.php", "fields": {"t": "csrf_token"}, "expect": {"code": 200, "headers": {"Set-Cookie": "^sid="}}},
      {"http": "POST /contact.php", "form": {"csrf_token": "${t}", "name": "n", "email": "a@b.example", "message": "m"}, "expect": 303},
      {"http": "POST /contact.php", "form": {"csrf_token": "x", "name": "n", "email": "a@b.example", "message": "m"}, "expect": 403},
      {"http": "POST /contact.php", "body": "x", "expect": 415},
      {"http": "DELETE /contact.php", "expect": {"code": 405, "headers": {"Allow": "POST"}}}]})");
  auto settings = testing::local_settings("http", form.port());
  const auto r = testing::run_case_sync(s, settings);
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
}

}  // namespace
}  // namespace facteur::test
