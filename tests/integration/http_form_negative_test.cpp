// Every contact-form case of scenarios/http-form that a form handler can get wrong is proven able
// to fail: it runs against the fake form of tests/support/fake_http_form.hpp, first well behaved
// (it must pass: the positive control), then with one misbehaviour (it must FAIL, not error, with
// a message saying what went wrong). Run with --strict semantics, so SHOULD-level cases fail too.
// The end-to-end cases mail through the lab's Postfix and read the lab's IMAP (label integration,
// lab fixture); FACTEUR_LAB_DIR (default /tmp/facteur-lab) gives vars.json.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
  // A seed per run, so that each run's ${@hex} tags differ: a mail left by the positive control
  // (or an earlier row of the same case) must not satisfy the misbehaving run's mailbox checks.
  static std::atomic<std::uint64_t> runs{0};
  settings.seed = ++runs;
  return testing::run_case_sync(s, settings);
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

    // The mail the form sends (through the lab's Postfix, read back over IMAP or in the Maildir).
    {"mail_not_sent", "5322/3.6-form-mail-delivered.json", with(&M::mail_not_sent), "no delivered message contains",
     true},
    {"visitor_as_from", "5322/3.6-form-mail-delivered.json", with(&M::visitor_as_from),
     "no untagged response matches '* SEARCH $n'", true},
    {"latin1_mail", "5322/3.6-utf8-subject-and-text-delivered.json", with(&M::latin1_reencoding),
     "no untagged response matches '* SEARCH $n'", true},
    {"drops_attachment", "7578/4.2-multipart-file-attachment-accepted.json", with(&M::drops_attachment),
     "the delivered message lacks 'Content-Disposition: attachment", true},
    {"empty_attachment", "7578/4.2-multipart-file-attachment-accepted.json", with(&M::empty_attachment),
     R"(lacks '\x0AZmlsZSBjb250ZW50)", true},
    {"raw_utf8_headers", "5322/3.6-utf8-subject-and-text-delivered.json", with(&M::raw_utf8_headers),
     "the delivered message contains 'Subject: Grüße", true},

    // Reading the form.
    {"no_boundary_as_empty_form", "7578/4.1-multipart-without-boundary-400.json",
     with(&M::multipart_unreadable_as_empty), "reply code 403 is not acceptable"},
    {"no_boundary_guessed", "7578/4.1-multipart-without-boundary-400.json", with(&M::multipart_boundary_from_body),
     "reply code 303 is not acceptable"},
    {"wrong_boundary_as_empty_form", "7578/4.1-multipart-wrong-boundary-400.json",
     with(&M::multipart_unreadable_as_empty), "reply code 403 is not acceptable"},
    {"wrong_boundary_guessed", "7578/4.1-multipart-wrong-boundary-400.json", with(&M::multipart_boundary_from_body),
     "reply code 303 is not acceptable"},
    {"latin1_echo", "7578/5.1-utf8-values-preserved.json", with(&M::latin1_reencoding), "text does not match"},
    {"arrays_accepted", "9110/15.5.1-duplicate-field-names.json", with(&M::arrays_accepted),
     "reply code 303 is not acceptable"},
    {"crash_on_duplicate_field", "9110/15.5.1-duplicate-field-names.json", with(&M::crash_on_duplicate_field),
     "reply code 500 is not acceptable"},
    {"no_email_check", "9110/15.5.1-invalid-email-400.json", with(&M::no_email_check),
     "reply code 303 is not acceptable"},
    {"email_needs_only_an_at", "9110/15.5.1-invalid-email-400.json", with(&M::email_needs_only_an_at),
     "reply code 303 is not acceptable"},
    {"lenient_urldecoding", "9110/15.5.1-malformed-urlencoding-400.json", with(&M::lenient_urldecoding),
     "reply code 303 is not acceptable"},
    {"ok_instead_of_see_other", "9110/15.4.4-post-303-see-other-then-get.json", with(&M::ok_instead_of_see_other),
     "reply code 200 is not acceptable"},
    {"found_instead_of_see_other", "9110/15.4.4-post-303-see-other-then-get.json",
     with(&M::found_instead_of_see_other), "reply code 302 is not acceptable"},

    // Responses without content.
    {"answers_417_to_expect", "9110/10.1.1-expect-continue-100-then-content.json", with(&M::answers_417_to_expect),
     "reply code 417 is not acceptable"},
    {"never_sends_100", "9110/10.1.1-expect-continue-100-then-content.json", with(&M::never_sends_100),
     "no response within"},
    {"body_after_204", "9110/15.3.5-no-content-204-has-no-body.json", with(&M::body_after_204),
     "malformed HTTP response"},
    {"chunked_204", "9110/15.3.5-no-content-204-has-no-body.json", with(&M::chunked_204),
     "unexpected Transfer-Encoding header field"},
    {"body_with_head", "9110/9.3.2-head-has-no-content.json", with(&M::body_with_head), "malformed HTTP response"},

    // Message framing (RFC 9112).
    {"accept_duplicate_host", "9112/3.2-duplicate-host-400.json", with(&M::accept_duplicate_host),
     "reply code 200 is not acceptable"},
    {"accept_missing_host", "9112/3.2-missing-host-400.json", with(&M::accept_missing_host),
     "reply code 200 is not acceptable"},
    {"accept_space_before_colon", "9112/5.1-space-before-colon-400.json", with(&M::accept_space_before_colon),
     "reply code 200 is not acceptable"},
    // Read by the length, the echo shows 3 octets: neither the 400 nor the 200 of the whole body.
    {"content_length_over_chunked", "9112/6.1-chunked-with-content-length.json",
     with(&M::content_length_over_chunked), "reply code 200 is not acceptable"},
    {"no_close_after_te_and_cl", "9112/6.1-chunked-with-content-length.json", with(&M::no_close_after_te_and_cl),
     "no close of the connection within"},
    {"first_content_length_wins", "9112/6.3-conflicting-content-lengths-400.json",
     with(&M::first_content_length_wins), "reply code 200 is not acceptable"},
    {"no_close_after_conflicting_lengths", "9112/6.3-conflicting-content-lengths-400.json",
     with(&M::no_close_after_framing_error), "no close of the connection within"},
    {"body_runs_past_content_length", "9112/6.3-content-length-delimits-the-body.json",
     with(&M::body_runs_past_content_length), "text does not match"},
    {"drops_request_behind_a_body", "9112/6.3-content-length-delimits-the-body.json",
     with(&M::drops_pipelined_requests), "no response within"},
    {"lenient_content_length", "9112/6.3-invalid-content-length-400.json", with(&M::lenient_content_length),
     "reply code 200 is not acceptable"},
    {"no_close_after_invalid_length", "9112/6.3-invalid-content-length-400.json",
     with(&M::no_close_after_framing_error), "no close of the connection within"},
    {"lenient_chunk_size", "9112/7.1-bad-chunk-size-400.json", with(&M::lenient_chunk_size),
     "reply code 200 is not acceptable"},
    {"no_close_after_bad_chunk_size", "9112/7.1-bad-chunk-size-400.json", with(&M::no_close_after_framing_error),
     "expected the server to close the connection"},
    {"chunked_form_411", "9112/7.1-chunked-form-is-sent.json", with(&M::chunked_411),
     "reply code 411 is not acceptable"},
    {"chunked_form_dropped", "9112/7.1-chunked-form-is-sent.json", with(&M::chunked_body_dropped),
     "reply code 403 is not acceptable"},
    {"chunked_body_411", "9112/7.1-chunked-request-body.json", with(&M::chunked_411),
     "reply code 411 is not acceptable"},
    {"chunked_body_dropped", "9112/7.1-chunked-request-body.json", with(&M::chunked_body_dropped),
     "text does not match"},
    {"pipelined_out_of_order", "9112/9.3.2-pipelined-responses-in-order.json", with(&M::pipelined_out_of_order),
     "reply code 200 is not acceptable"},
    {"drops_pipelined_requests", "9112/9.3.2-pipelined-responses-in-order.json", with(&M::drops_pipelined_requests),
     "no response within"},
    {"ignores_connection_close", "9112/9.6-connection-close-honoured.json", with(&M::ignores_connection_close),
     "no close of the connection within"},
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

// Every case of the suite has at least one row above, and every row names a case: a new case
// without a negative fails here (as tests/harness/engine/negative_smtp_test.cpp does for SMTP).
std::vector<std::string> scenario_files() {
  const fs::path root = fs::path(FACTEUR_SOURCE_DIR) / "scenarios/http-form";
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      out.push_back(entry.path().lexically_relative(root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(HttpFormNegativeTable, EveryScenarioHasANegative) {
  const auto files = scenario_files();
  ASSERT_FALSE(files.empty()) << "no scenario under scenarios/http-form";
  std::string missing;
  for (const auto& file : files) {
    const bool listed = std::any_of(std::begin(kNegatives), std::end(kNegatives),
                                    [&](const Negative& n) { return file == n.scenario; });
    if (!listed) missing += "\n  " + file;
  }
  EXPECT_EQ(missing, "") << "scenario(s) without a negative in tests/integration/http_form_negative_test.cpp";
}

TEST(HttpFormNegativeTable, EveryRowNamesAScenario) {
  const auto files = scenario_files();
  std::string stale;
  for (const Negative& n : kNegatives) {
    if (std::find(files.begin(), files.end(), n.scenario) == files.end()) stale += "\n  " + std::string(n.scenario);
  }
  EXPECT_EQ(stale, "") << "rows whose scenario no longer exists";
}

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

// The well-behaved fake frames requests as the lab's nginx does: an echo read by Content-Length
// and by chunks, two requests in one write answered in order, HEAD without content, a duplicate
// Host refused and the connection closed.
TEST(FakeHttpForm, FramesRequestsLikeNginx) {
  FakeHttpForm form(FakeFormConfig{});
  const auto s = testing::inline_scenario(R"({
    "facteur": 1, "id": "test/fake-form-framing", "title": "t", "protocol": "http",
    "spec": [{"rfc": "9112", "section": "6.3", "level": "MUST"}],
    "steps": [{"connect": true},
      {"http": "POST /echo.php", "body": "abc", "expect": {"code": 200, "text": "\"body_length\": 3,"}},
      {"http": "POST /echo.php", "chunked": true, "expect_continue": true, "form": {"a": "b c"},
       "expect": {"code": 200, "text": "\"a\": \"b c\"[^]*\"body_length\": 5,"}},
      {"raw": "GET /204 HTTP/1.1\r\nHost: h\r\n\r\nGET /thanks.php HTTP/1.1\r\nHost: h\r\n\r\n", "expect": 204},
      {"expect": {"code": 200, "text": "Thank you"}},
      {"http": "HEAD /contact.php", "expect": {"code": 200, "headers": {"Content-Length": "^[1-9]"}}},
      {"http": "GET /204", "expect": 204},
      {"raw": "GET /204 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "expect": 400},
      {"expect": {"closed": true}}]})");
  auto settings = testing::local_settings("http", form.port());
  settings.reply_timeout = std::chrono::milliseconds(5000);  // a busy machine
  settings.case_timeout = std::chrono::milliseconds(20000);
  const auto r = testing::run_case_sync(s, settings);
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
}

}  // namespace
}  // namespace facteur::test
