#include "harness/engine/pop3_steps.hpp"

#include <set>

#include <openssl/evp.h>

#include <fmt/format.h>

#include "harness/core/base64.hpp"
#include "harness/pop3/capa.hpp"
#include "harness/pop3/maildrop.hpp"
#include "harness/pop3/response.hpp"
#include "harness/sasl/mechanism.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::ExpectSet;
using scenario::Step;
using scenario::StepKind;

namespace {

struct Pop3State : DialectState {
  std::string greeting;                 // for APOP's timestamp
  std::optional<pop3::Capabilities> capa;
  pop3::MaildropTracker maildrop;
};

Pop3State& pop3_state(Session& s) {
  if (!s.dialect) s.dialect = std::make_unique<Pop3State>();
  return static_cast<Pop3State&>(*s.dialect);
}

ReplyFacts facts_of(const pop3::Response& r) {
  ReplyFacts f;
  switch (r.kind) {
    case pop3::Response::Kind::ok: f.status = "+OK"; break;
    case pop3::Response::Kind::err: f.status = "-ERR"; break;
    case pop3::Response::Kind::continuation: f.status = "+"; break;
  }
  f.lines = {r.text};
  f.body = r.lines;
  f.body_lines = r.line_count;
  f.has_body = r.multiline;
  return f;
}

// Reads one response; nullopt when the server closed the connection first. A long body is
// transcribed by its first lines and its size.
asio::awaitable<std::optional<pop3::Response>> read_response(CaseRun& run, Session& s, bool multiline,
                                                             const char* what) {
  pop3::ResponseFramer framer(multiline, run.settings_.pop3_limits);
  const net::Deadline deadline = run.reply_deadline();
  for (;;) {
    if (!s.rx.empty()) {
      pop3::ParseResult p = framer.feed(s.rx);
      if (p.status == pop3::ParseStatus::complete) {
        if (p.consumed > 4096) {
          run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, 1024));
          run.transcript_.note(s.name, fmt::format("… response of {} octets, {} lines", p.consumed,
                                                   p.response.line_count));
        } else {
          run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, p.consumed));
        }
        s.rx.erase(0, p.consumed);
        co_return std::move(p.response);
      }
      if (p.status == pop3::ParseStatus::error) {
        run.transcript_.data(s.name, '<', s.rx.substr(0, std::min<std::size_t>(s.rx.size(), 4096)));
        throw CaseStop{report::Outcome::fail, "malformed POP3 response: " + p.error, "a response per RFC 1939 §3",
                       printable(s.rx.substr(0, 200)), report::StopKind::malformed};
      }
    }
    if (s.closed) {
      if (!s.rx.empty()) run.transcript_.data(s.name, '<', s.rx);
      run.transcript_.note(s.name, "connection closed by the server");
      co_return std::nullopt;
    }
    if (!co_await run.read_more(s, deadline, what)) s.closed = true;
  }
}

// Sends one command line and reads its response, checking the maildrop invariants.
asio::awaitable<ReplyFacts> exchange(CaseRun& run, const Step& step, Session& s, const std::string& command,
                                     std::optional<bool> multiline = std::nullopt, bool secret = false,
                                     std::string_view shown_view = {}) {
  Pop3State& st = pop3_state(s);
  const std::string wire = command + "\r\n";
  const std::string shown(shown_view);
  if (secret) co_await run.send_secret(s, wire, shown);
  else co_await run.send(s, wire);
  const bool multi = multiline.value_or(pop3::multiline_command(command));
  std::optional<pop3::Response> r = co_await read_response(run, s, multi, "reply");
  ReplyFacts facts;
  if (!r) {
    facts.closed = true;
    co_return facts;
  }
  if (auto v = st.maildrop.observe(secret ? shown : command, *r)) {
    run.fail(step, "POP3 invariant " + v->rule + ": " + v->message, v->expected, v->actual, report::StopKind::invariant);
  }
  if (r->kind == pop3::Response::Kind::ok && multi && command.size() >= 4 &&
      (command.compare(0, 4, "CAPA") == 0 || command.compare(0, 4, "capa") == 0)) {
    st.capa = pop3::parse_capa(*r);
  }
  facts = facts_of(*r);
  if (st.capa && r->kind == pop3::Response::Kind::ok && multi &&
      (command.compare(0, 4, "CAPA") == 0 || command.compare(0, 4, "capa") == 0)) {
    // CAPA's tags (and SASL mechanisms as AUTH=X) for present/absent expectations.
    std::set<std::string> caps;
    for (const auto& [tag, params] : st.capa->tags) caps.insert(tag);
    for (const auto& mech : st.capa->sasl_mechanisms()) caps.insert("AUTH=" + mech);
    facts.capabilities = std::move(caps);
  }
  co_return facts;
}

std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

asio::awaitable<void> login(CaseRun& run, const Step& step, Session& s) {
  Pop3State& st = pop3_state(s);
  const std::string user = run.expand(step.user);
  const std::string password = run.expand(step.password);
  run.transcript_.add_secret(password);
  if (step.apop) {
    // RFC 1939 §7: APOP name digest, the digest being MD5 of the greeting's timestamp and the secret.
    const auto open = st.greeting.find('<');
    const auto close = st.greeting.find('>', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) {
      run.skip("the greeting has no APOP timestamp, so the server does not offer APOP");
    }
    const std::string stamp = st.greeting.substr(open, close - open + 1);
    const std::string command = "APOP " + user + " " + md5_hex(stamp + password);
    const std::string shown = "APOP " + user + " <redacted>";
    ReplyFacts reply = co_await exchange(run, step, s, command, false, true, shown);
    run.verify(step, reply, step.expect, status_is("+OK"), "APOP");
    co_return;
  }
  const std::string user_line = "USER " + user;
  ReplyFacts said = co_await exchange(run, step, s, user_line, false);
  if (said.status != "+OK") {
    run.verify(step, said, step.expect, status_is("+OK"), "USER");
    co_return;
  }
  const std::string pass_line = "PASS " + password;
  const std::string shown = "PASS <redacted>";
  ReplyFacts reply = co_await exchange(run, step, s, pass_line, false, true, shown);
  run.verify(step, reply, step.expect, status_is("+OK"), "PASS");
}

asio::awaitable<void> auth(CaseRun& run, const Step& step, Session& s) {
  Pop3State& st = pop3_state(s);
  const std::string mech_name = run.expand(step.mechanism);
  if (st.capa && !st.capa->sasl_mechanisms().empty()) {
    bool announced = false;
    for (const auto& m : st.capa->sasl_mechanisms()) announced = announced || m == mech_name;
    if (!announced) run.skip("the server does not announce SASL " + mech_name);
  }
  sasl::Credentials cred;
  cred.authcid = run.expand(step.user);
  cred.password = run.expand(step.password);
  cred.token = cred.password;
  run.transcript_.add_secret(cred.password);
  auto mech = sasl::make_mechanism(mech_name, cred);
  if (!mech) run.error(step, "scenario: facteur has no SASL mechanism " + mech_name);
  std::string command = "AUTH " + mech_name;
  std::string shown = command;
  // RFC 5034 §4: an initial response may follow the mechanism ("=" when empty).
  if (step.initial_response && !step.cancel) {
    if (auto ir = mech->initial_response()) {
      command += " " + (ir->empty() ? std::string("=") : base64_encode(*ir));
      shown += " <redacted>";
    }
  }
  const std::string wire = command + "\r\n";
  co_await run.send_secret(s, wire, shown);
  ReplyFacts facts;
  for (int round = 0;; ++round) {
    std::optional<pop3::Response> r = co_await read_response(run, s, false, "AUTH reply");
    if (!r) {
      facts.closed = true;
      break;
    }
    if (r->kind != pop3::Response::Kind::continuation) {
      facts = facts_of(*r);
      (void)st.maildrop.observe(shown, *r);
      break;
    }
    if (round > 10) run.fail(step, "SASL exchange did not end after 10 challenges");
    if (step.cancel) {
      co_await run.send(s, "*\r\n");  // RFC 5034 §4: "*" cancels; the server answers -ERR
      continue;
    }
    auto challenge = base64_decode(r->text);
    if (!challenge) run.fail(step, "SASL challenge is not valid base64", "base64 text after +", r->text);
    sasl::StepResult answer = mech->step(*challenge);
    if (!answer.ok) run.fail(step, "SASL: " + answer.error);
    const std::string response = base64_encode(answer.response) + "\r\n";
    const std::string shown_response = "<redacted SASL response>";
    co_await run.send_secret(s, response, shown_response);
  }
  if (facts.status == "+OK") {
    if (auto why = mech->verify_success(""); !why.empty() && !mech->server_verified()) run.fail(step, "SASL: " + why);
  }
  run.verify(step, facts, step.expect, step.cancel ? status_is("-ERR") : status_is("+OK"), "AUTH");
}

asio::awaitable<void> stls(CaseRun& run, const Step& step, Session& s) {
  Pop3State& st = pop3_state(s);
  if (s.conn->tls_active()) {
    if (step.if_offered) co_return;
    if (run.settings_.starttls) run.skip("the case tests STLS itself; --starttls upgraded the session already");
    run.fail(step, "STLS requested on a connection that is already TLS");
  }
  if (step.if_offered && st.capa && !st.capa->has("STLS")) {
    run.transcript_.note(s.name, "STLS not announced: continuing in plain text as the scenario allows");
    co_return;
  }
  const std::string command1 = "STLS";
  ReplyFacts reply = co_await exchange(run, step, s, command1, false);
  run.verify(step, reply, step.expect_intermediate ? step.expect_intermediate : step.expect, status_is("+OK"), "STLS");
  if (reply.status != "+OK") {
    if (step.required) {
      run.fail(step, "STLS refused; the session stops rather than continue in plain text", "+OK", reply.summary());
    }
    co_return;
  }
  if (!s.rx.empty()) {
    run.transcript_.data(s.name, '<', s.rx);
    run.fail(step, "the server sent data after its +OK to STLS, before the TLS handshake",
             "nothing before the handshake (RFC 2595 §4)", printable(s.rx.substr(0, 200)));
  }
  co_await run.start_tls(s, true);
  st.capa.reset();  // RFC 2595 §4: the client must discard what it learnt before TLS
}

asio::awaitable<void> quit(CaseRun& run, const Step& step, Session& s) {
  const std::string command2 = "QUIT";
  ReplyFacts bye = co_await exchange(run, step, s, command2, false);
  run.verify(step, bye, step.expect, status_is("+OK"), "QUIT");
  // RFC 1939 §6: after QUIT's response the server closes the connection.
  if (!co_await run.wait_for_close(s)) {
    run.fail(step, "the server did not close the connection after QUIT", "connection closed (RFC 1939 §6)",
             "still open");
  }
}

}  // namespace

asio::awaitable<void> pop3_greeting(CaseRun& run, const Step& step, Session& s) {
  Pop3State& st = pop3_state(s);
  std::optional<pop3::Response> r = co_await read_response(run, s, false, "greeting");
  ReplyFacts facts;
  if (!r) facts.closed = true;
  else facts = facts_of(*r);
  if (r) st.greeting = r->text;
  run.verify(step, facts, step.expect, status_is("+OK"), "greeting");
  if (run.settings_.starttls && !s.url.implicit_tls && !facts.closed) {
    const std::string command3 = "STLS";
    ReplyFacts go = co_await exchange(run, step, s, command3, false);
    if (go.status != "+OK") run.error(step, "tls: --starttls was asked for, but STLS failed: " + go.summary(),
                                     report::StopKind::tls);
    co_await run.start_tls(s);
  }
}

asio::awaitable<void> run_pop3_step(CaseRun& run, const Step& step) {
  Session& s = run.session(step.session);
  switch (step.kind) {
    case StepKind::pop3:
    case StepKind::send: {
      const std::string command = run.expand(step.text);
      ReplyFacts reply = co_await exchange(run, step, s, command, step.multiline);
      std::optional<ExpectSet> fallback;
      if (step.kind == StepKind::pop3) fallback = status_is("+OK");
      run.verify(step, reply, step.expect, fallback, command.substr(0, command.find(' ')));
      break;
    }
    case StepKind::raw: {
      const std::string bytes = run.expand(step.text);
      co_await run.send(s, bytes);
      for (int i = 0; i < step.replies; ++i) {
        std::optional<pop3::Response> r = co_await read_response(run, s, step.multiline.value_or(false), "reply");
        ReplyFacts facts;
        if (r) facts = facts_of(*r);
        else facts.closed = true;
        run.verify(step, facts, step.expect, std::nullopt, "reply");
        if (!r) break;
      }
      break;
    }
    case StepKind::expect: {
      std::optional<pop3::Response> r = co_await read_response(run, s, step.multiline.value_or(false), "reply");
      ReplyFacts facts;
      if (r) facts = facts_of(*r);
      else facts.closed = true;
      run.verify(step, facts, step.expect, std::nullopt, "reply");
      break;
    }
    case StepKind::login: co_await login(run, step, s); break;
    case StepKind::auth: co_await auth(run, step, s); break;
    case StepKind::starttls: co_await stls(run, step, s); break;
    case StepKind::quit: co_await quit(run, step, s); break;
    default: run.error(step, std::string("scenario: step '") + to_string(step.kind) + "' is not a POP3 action");
  }
}

}  // namespace facteur::engine
