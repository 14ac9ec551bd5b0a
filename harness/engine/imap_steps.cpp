#include "harness/engine/imap_steps.hpp"

#include <set>

#include <fmt/format.h>

#include "harness/core/base64.hpp"
#include "harness/engine/imap_session.hpp"
#include "harness/engine/matcher.hpp"
#include "harness/sasl/mechanism.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::ExpectSet;
using scenario::Step;
using scenario::StepKind;

namespace {

// IMAP quoted string (RFC 9051 §4.3); callers keep CR/LF out of it.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string detail_upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string verb_of(const std::string& command) {
  std::string upper;
  for (char c : command) {
    if (c == ' ') {
      if (upper == "UID") {
        upper += ' ';
        continue;
      }
      break;
    }
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return upper;
}

asio::awaitable<void> starttls(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  if (s.conn->tls_active()) {
    if (step.if_offered) co_return;
    if (run.settings_.starttls) run.skip("the case tests STARTTLS itself; --starttls upgraded the session already");
    run.fail(step, "STARTTLS requested on a connection that is already TLS");
  }
  if (step.if_offered && st.caps_known && !st.has("STARTTLS")) {
    run.transcript_.note(s.name, "STARTTLS not announced: continuing in plain text as the scenario allows");
    co_return;
  }
  const std::string command1 = "STARTTLS";
  ReplyFacts reply = co_await imap_command(run, step, s, command1);
  run.verify(step, reply, step.expect_intermediate ? step.expect_intermediate : step.expect, status_is("OK"),
             "STARTTLS");
  if (reply.status != "OK") {
    if (step.required) {
      run.fail(step, "STARTTLS refused; the session stops rather than continue in plain text", "OK",
               reply.summary());
    }
    co_return;
  }
  if (!s.rx.empty()) {
    run.transcript_.data(s.name, '<', s.rx);
    run.fail(step, "the server sent data after its OK to STARTTLS, before the TLS handshake",
             "nothing before the handshake (RFC 9051 §6.2.1)", printable(s.rx.substr(0, 200)));
  }
  co_await run.start_tls(s, true);
  st.forget_capabilities();  // RFC 9051 §6.2.1: what was learnt before TLS is discarded
}

asio::awaitable<void> login(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  const std::string user = run.expand(step.user);
  const std::string password = run.expand(step.password);
  run.transcript_.add_secret(password);
  if (user.find_first_of("\r\n") != std::string::npos || password.find_first_of("\r\n") != std::string::npos) {
    run.error(step, "scenario: LOGIN arguments cannot hold CR or LF");
  }
  const std::string tag = st.new_tag();
  const std::string wire = tag + " LOGIN " + quoted(user) + " " + quoted(password) + "\r\n";
  const std::string shown = tag + " LOGIN " + quoted(user) + " <redacted>";
  st.invariants.on_command(tag, "LOGIN");
  co_await run.send_secret(s, wire, shown);
  ReplyFacts reply = co_await imap_complete(run, step, s, tag);
  run.verify(step, reply, step.expect, status_is("OK"), "LOGIN");
}

asio::awaitable<void> authenticate(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  const std::string mech_name = run.expand(step.mechanism);
  if (st.caps_known && !st.has("AUTH=" + mech_name)) run.skip("the server does not announce AUTH=" + mech_name);
  sasl::Credentials cred;
  cred.authcid = run.expand(step.user);
  cred.password = run.expand(step.password);
  cred.token = cred.password;
  run.transcript_.add_secret(cred.password);
  auto mech = sasl::make_mechanism(mech_name, cred);
  if (!mech) run.error(step, "scenario: facteur has no SASL mechanism " + mech_name);
  const std::string tag = st.new_tag();
  std::string command = tag + " AUTHENTICATE " + mech_name;
  std::string shown = command;
  // RFC 4959: an initial response on the command line only when SASL-IR is announced.
  if (step.initial_response && !step.cancel && st.has("SASL-IR")) {
    if (auto ir = mech->initial_response()) {
      command += " " + (ir->empty() ? std::string("=") : base64_encode(*ir));
      shown += " <redacted>";
    }
  }
  st.invariants.on_command(tag, "AUTHENTICATE " + mech_name);
  const std::string wire = command + "\r\n";
  co_await run.send_secret(s, wire, shown);
  ReplyFacts facts;
  for (int round = 0;; ++round) {
    std::optional<imap::Response> r = co_await imap_read(run, s, "AUTHENTICATE reply");
    if (!r) {
      facts.closed = true;
      break;
    }
    if (r->kind == imap::Response::Kind::untagged) {
      st.untagged.push_back(std::move(*r));
      continue;
    }
    if (r->kind == imap::Response::Kind::tagged) {
      if (r->tag != tag) run.fail(step, "completion for tag " + r->tag + " while authenticating under " + tag);
      facts = completion(st, std::move(*r));
      break;
    }
    if (round > 10) run.fail(step, "SASL exchange did not end after 10 challenges");
    if (step.cancel) {
      co_await run.send(s, "*\r\n");  // RFC 9051 §6.2.2: "*" cancels; the server answers BAD
      continue;
    }
    const std::string challenge_b64 = r->text;
    auto challenge = base64_decode(challenge_b64);
    if (!challenge) run.fail(step, "SASL challenge is not valid base64", "base64 text after +", challenge_b64);
    sasl::StepResult answer = mech->step(*challenge);
    if (!answer.ok) run.fail(step, "SASL: " + answer.error);
    const std::string response = base64_encode(answer.response) + "\r\n";
    const std::string shown_response = "<redacted SASL response>";
    co_await run.send_secret(s, response, shown_response);
  }
  if (facts.status == "OK") {
    if (auto why = mech->verify_success(""); !why.empty() && !mech->server_verified()) run.fail(step, "SASL: " + why);
  }
  run.verify(step, facts, step.expect, step.cancel ? status_is("BAD", "NO") : status_is("OK"), "AUTHENTICATE");
}

asio::awaitable<void> logout(CaseRun& run, const Step& step, Session& s) {
  const std::string command2 = "LOGOUT";
  ReplyFacts reply = co_await imap_command(run, step, s, command2);
  ExpectSet fallback = status_is("OK");
  fallback.any_of.front().untagged.emplace_back("* BYE");
  run.verify(step, reply, step.expect, fallback, "LOGOUT");
  // RFC 9051 §6.1.3: the server sends BYE, completes LOGOUT, then closes the connection.
  if (!co_await run.wait_for_close(s)) {
    run.fail(step, "the server did not close the connection after LOGOUT", "connection closed (RFC 9051 §6.1.3)",
             "still open");
  }
}

asio::awaitable<void> append(CaseRun& run, const Step& step, Session& s) {
  std::string message;
  if (step.has_raw_body) {
    message = step.raw_body.find("${") != std::string::npos ? run.expand(step.raw_body) : step.raw_body;
  } else {
    message = scenario::build_message(expand_message(run, *step.message));
  }
  std::string command = "APPEND " + run.expand(step.text);
  if (!step.params.empty()) {
    std::string flags;
    for (const auto& f : step.params) flags += (flags.empty() ? "" : " ") + run.expand(f);
    command += " (" + flags + ")";
  }
  if (!step.date.empty()) command += " " + quoted(run.expand(step.date));
  command += " {}";
  std::vector<std::string> literals{message};
  ReplyFacts reply = co_await imap_command(run, step, s, command, &literals);
  run.verify(step, reply, step.expect, status_is("OK"), "APPEND");
}

asio::awaitable<void> idle(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  if (!st.idle_tag.empty()) run.error(step, "scenario: IDLE while the session is already idling");
  const std::string tag = st.new_tag();
  const std::string wire = tag + " IDLE\r\n";
  st.invariants.on_command(tag, "IDLE");
  co_await run.send(s, wire);
  // RFC 2177 §3: the server answers with a continuation request, then sends updates until DONE.
  for (;;) {
    std::optional<imap::Response> r = co_await imap_read(run, s, "IDLE continuation");
    if (!r) {
      ReplyFacts closed;
      closed.closed = true;
      run.verify(step, closed, step.expect, status_is("+"), "IDLE");
      co_return;
    }
    if (r->kind == imap::Response::Kind::untagged) {
      st.untagged.push_back(std::move(*r));
      continue;
    }
    if (r->kind == imap::Response::Kind::tagged) {
      ReplyFacts refused = completion(st, std::move(*r));
      run.verify(step, refused, step.expect, status_is("+"), "IDLE");
      co_return;
    }
    ReplyFacts go;
    go.status = "+";
    go.lines = {r->text};
    go.untagged = st.untagged;
    run.verify(step, go, step.expect, status_is("+"), "IDLE");
    st.idle_tag = tag;
    co_return;
  }
}

asio::awaitable<void> done(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  if (st.idle_tag.empty()) run.error(step, "scenario: DONE without IDLE");
  const std::string tag = st.idle_tag;
  st.idle_tag.clear();
  co_await run.send(s, "DONE\r\n");
  ReplyFacts reply = co_await imap_complete(run, step, s, tag);
  run.verify(step, reply, step.expect, status_is("OK"), "IDLE");
}

// Every line of sent bytes that starts like "tag SP command" is a command the server may complete:
// raw bytes can hold several (a pipeline, a fuzz input whose bare LF the server takes as a line end).
// A line that is literal data and only looks like a command leaves a pending entry that never completes.
void register_tags(ImapState& st, std::string_view bytes) {
  std::size_t start = 0;
  while (start < bytes.size()) {
    std::size_t eol = bytes.find_first_of("\r\n", start);
    if (eol == std::string_view::npos) eol = bytes.size();
    const std::string_view line = bytes.substr(start, eol - start);
    const std::size_t sp = line.find(' ');
    if (sp != std::string_view::npos && sp > 0 && line.substr(0, sp).find_first_of("(){%*\"\\]+") == std::string_view::npos) {
      st.invariants.on_command(line.substr(0, sp), line.substr(sp + 1));
    }
    start = eol + 1;
  }
}

// The generic steps on an IMAP session: send/raw read until a completion or continuation; expect
// waits until the untagged responses it lists have arrived (or the reply deadline passes).
asio::awaitable<void> generic(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  if (step.kind == StepKind::expect) {
    const net::Deadline deadline = run.reply_deadline();
    for (;;) {
      // Matched in place (swapped in and out, not copied) once per batch of responses, and never
      // past the deadline: a server flooding other updates would otherwise make this quadratic.
      ReplyFacts facts;
      facts.untagged.swap(st.untagged);
      scenario::Vars scratch = run.vars_;
      const bool matched = match(*step.expect, facts, scratch, run.expander()).ok;
      st.untagged.swap(facts.untagged);
      if (matched || s.closed || net::Clock::now() >= deadline) break;
      if (!co_await imap_wait(run, s, deadline)) break;
    }
    ReplyFacts facts;
    facts.untagged = std::move(st.untagged);
    st.untagged.clear();
    facts.closed = facts.untagged.empty() && s.closed;
    run.verify(step, facts, step.expect, std::nullopt, "untagged responses");
    co_return;
  }
  const std::string bytes = step.kind == StepKind::send ? run.expand(step.text) + "\r\n" : run.expand(step.text);
  register_tags(st, bytes);
  co_await run.send(s, bytes);
  if (step.kind == StepKind::raw && step.replies == 0) co_return;
  ReplyFacts facts = co_await imap_until_any_completion(run, s);
  run.verify(step, facts, step.expect, std::nullopt, "reply");
}

}  // namespace

asio::awaitable<void> imap_greeting(CaseRun& run, const Step& step, Session& s) {
  ImapState& st = imap_state(s);
  std::optional<imap::Response> r = co_await imap_read(run, s, "greeting");
  ReplyFacts facts;
  if (!r) {
    facts.closed = true;
  } else {
    facts.status = r->status.empty() ? r->name : r->status;
    facts.lines = {r->text};
    if (r->code == "CAPABILITY") {  // RFC 9051 §7.1: the greeting may carry the capability list
      std::set<std::string> caps;
      for (const auto& v : r->code_args) caps.insert(detail_upper(v.text));
      facts.capabilities = std::move(caps);
    }
    facts.untagged.push_back(*r);
  }
  st.untagged.clear();
  // RFC 9051 §7.1: the greeting is OK (not authenticated), PREAUTH (authenticated) or BYE (rejected).
  run.verify(step, facts, step.expect, status_is("OK", "PREAUTH"), "greeting");
  if (run.settings_.starttls && !s.url.implicit_tls && !facts.closed) {
    const std::string command3 = "CAPABILITY";
    ReplyFacts caps = co_await imap_command(run, step, s, command3);
    if (!st.has("STARTTLS")) run.error(step, "tls: --starttls was asked for, but the server does not announce STARTTLS",
                  report::StopKind::tls);
    const std::string command4 = "STARTTLS";
    ReplyFacts go = co_await imap_command(run, step, s, command4);
    if (go.status != "OK") run.error(step, "tls: STARTTLS refused: " + go.summary(), report::StopKind::tls);
    co_await run.start_tls(s);
    st.forget_capabilities();
  }
}

asio::awaitable<void> run_imap_step(CaseRun& run, const Step& step) {
  Session& s = run.session(step.session);
  ImapState& st = imap_state(s);
  switch (step.kind) {
    case StepKind::imap: {
      const std::string text = run.expand(step.text);
      std::vector<std::string> literals;
      for (const auto& l : step.literals) literals.push_back(run.expand(l));
      const std::vector<std::string>* lits = literals.empty() ? nullptr : &literals;
      if (step.async) {
        const std::string tag = co_await imap_send_command(run, step, s, text, lits, step.tag);
        (void)tag;
        break;
      }
      ReplyFacts reply = co_await imap_command(run, step, s, text, lits);
      run.verify(step, reply, step.expect, status_is("OK"), verb_of(text));
      break;
    }
    case StepKind::await_tag: {
      auto it = st.async_tags.find(step.tag);
      if (it == st.async_tags.end()) run.error(step, "scenario: no async imap step is tagged '" + step.tag + "'");
      const std::string tag = it->second;
      st.async_tags.erase(it);
      ReplyFacts reply = co_await imap_complete(run, step, s, tag);
      run.verify(step, reply, step.expect, status_is("OK"), "completion of " + step.tag);
      break;
    }
    case StepKind::send:
    case StepKind::raw:
    case StepKind::expect: co_await generic(run, step, s); break;
    case StepKind::starttls: co_await starttls(run, step, s); break;
    case StepKind::login: co_await login(run, step, s); break;
    case StepKind::auth: co_await authenticate(run, step, s); break;
    case StepKind::logout: co_await logout(run, step, s); break;
    case StepKind::append: co_await append(run, step, s); break;
    case StepKind::idle: co_await idle(run, step, s); break;
    case StepKind::done: co_await done(run, step, s); break;
    default: run.error(step, std::string("scenario: step '") + to_string(step.kind) + "' is not an IMAP action");
  }
}

asio::awaitable<void> run_fixture(CaseRun& run, const Step& step) {
  std::string err;
  const std::string url_text = run.expand(step.url);
  auto url = parse_target_url(url_text, &err);
  if (!url || url->protocol != Protocol::imap) {
    run.skip("the fixture step needs an IMAP view of the mailbox (variable imap_url): " +
             (url ? url_text + " is not imap" : err));
  }
  const std::string name = "fixture";
  co_await run.open_session(step, name, *url);
  Session& s = run.session(name);
  Step quiet = step;  // the fixture's own commands use the default expectations
  quiet.expect.reset();
  quiet.kind = StepKind::login;
  co_await login(run, quiet, s);
  const std::string mailbox = quoted(run.expand(step.text));
  const std::string select = "SELECT " + mailbox;
  ReplyFacts selected = co_await imap_command(run, quiet, s, select);
  if (selected.status != "OK") run.error(step, "fixture: " + select + " failed: " + selected.summary());
  const std::string command5 = "STORE 1:* +FLAGS.SILENT (\\Deleted)";
  ReplyFacts cleared = co_await imap_command(run, quiet, s, command5);
  const std::string command6 = "EXPUNGE";
  ReplyFacts expunged = co_await imap_command(run, quiet, s, command6);
  if (expunged.status != "OK") run.error(step, "fixture: EXPUNGE failed: " + expunged.summary());
  for (std::size_t i = 0; i < step.fixture_files.size(); ++i) {
    std::vector<std::string> literals{step.fixture_files[i]};
    const std::string command = "APPEND " + mailbox + " {}";
    ReplyFacts appended = co_await imap_command(run, quiet, s, command, &literals);
    if (appended.status != "OK") run.error(step, "fixture: APPEND of " + step.params[i] + " failed: " + appended.summary());
  }
  const std::string command7 = "LOGOUT";
  ReplyFacts bye = co_await imap_command(run, quiet, s, command7);
  s.conn->close();
  s.closed = true;
  run.transcript_.note(name, fmt::format("fixture: {} holds {} messages", step.text, step.fixture_files.size()));
}

}  // namespace facteur::engine
