#include "harness/engine/ftp_steps.hpp"

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/engine/ftp_data.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::ExpectSet;
using scenario::Step;
using scenario::StepKind;

FtpSession& ftp_session(Session& s) {
  if (!s.dialect) s.dialect = std::make_unique<FtpSession>();
  return static_cast<FtpSession&>(*s.dialect);
}

ReplyFacts ftp_facts(const ftp::Reply& reply) {
  ReplyFacts f;
  f.status = fmt::format("{:03d}", reply.code);
  f.lines = reply.lines;
  return f;
}

asio::awaitable<std::optional<ftp::Reply>> read_ftp_reply(CaseRun& run, Session& s, const char* what,
                                                         net::Deadline deadline, bool timeout_ok, bool* timed_out) {
  ftp::ReplyFramer framer;
  for (;;) {
    if (!s.rx.empty()) {
      ftp::ReplyParse p = framer.feed(s.rx);
      if (p.status == ftp::ParseStatus::complete) {
        if (p.consumed > 4096) {
          run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, 2048));
          run.transcript_.note(s.name, fmt::format("… reply of {} octets, {} lines", p.consumed, p.reply.line_count));
        } else {
          run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, p.consumed));
        }
        s.rx.erase(0, p.consumed);
        co_return std::move(p.reply);
      }
      if (p.status == ftp::ParseStatus::error) {
        run.transcript_.data(s.name, '<', s.rx.substr(0, std::min<std::size_t>(s.rx.size(), 4096)));
        throw CaseStop{report::Outcome::fail, "malformed FTP reply: " + p.error, "a reply per RFC 959 §4.2",
                       printable(s.rx.substr(0, 200)), report::StopKind::malformed};
      }
    }
    if (s.closed) {
      if (!s.rx.empty()) run.transcript_.data(s.name, '<', s.rx);
      run.transcript_.note(s.name, "connection closed by the server");
      co_return std::nullopt;
    }
    if (!co_await run.read_more(s, deadline, what, timeout_ok)) {
      if (!s.closed) {  // the deadline passed and the caller accepts that
        if (timed_out) *timed_out = true;
        co_return std::nullopt;
      }
    }
  }
}

asio::awaitable<ReplyFacts> ftp_exchange(CaseRun& run, Session& s, std::string command, std::string shown) {
  const std::string wire = command + "\r\n";
  if (!shown.empty()) co_await run.send_secret(s, wire, shown);
  else co_await run.send(s, wire);
  std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", run.reply_deadline());
  ReplyFacts facts;
  if (!r) {
    facts.closed = true;
    co_return facts;
  }
  ftp_session(s).state.observe(command, *r);
  co_return ftp_facts(*r);
}

namespace {

bool is_ccc(std::string_view command) { return ascii::iequal(command.substr(0, command.find(' ')), "CCC"); }

// PBSZ 0 then PROT P (RFC 4217 §9): what makes the data connections TLS.
asio::awaitable<void> protect(CaseRun& run, const Step& step, Session& s) {
  const std::string pbsz_line = "PBSZ 0";  // named: GCC 12 and temporaries in co_await
  ReplyFacts pbsz = co_await ftp_exchange(run, s, pbsz_line);
  run.verify(step, pbsz, std::nullopt, status_is("200"), "PBSZ 0 (RFC 4217 §9)");
  const std::string prot_line = "PROT P";
  ReplyFacts prot = co_await ftp_exchange(run, s, prot_line);
  run.verify(step, prot, std::nullopt, status_is("200"), "PROT P (RFC 4217 §9)");
}

asio::awaitable<void> auth_tls(CaseRun& run, const Step& step, Session& s) {
  FtpSession& fs = ftp_session(s);
  if (s.conn->tls_active()) {
    if (run.settings_.starttls) run.skip("the case tests AUTH TLS itself; --starttls upgraded the session already");
    run.fail(step, "AUTH TLS requested on a connection that is already TLS");
  }
  const std::string auth_line = "AUTH TLS";
  ReplyFacts reply = co_await ftp_exchange(run, s, auth_line);
  run.verify(step, reply, step.expect_intermediate ? step.expect_intermediate : step.expect, status_is("234"),
             "AUTH TLS");
  if (reply.status != "234") {
    if (step.required && !step.expect && !step.expect_intermediate) {
      run.fail(step, "AUTH TLS refused; the session stops rather than continue in plain text", "234", reply.summary());
    }
    co_return;
  }
  if (!s.rx.empty()) {
    run.transcript_.data(s.name, '<', s.rx);
    run.fail(step, "the server sent data after its 234 to AUTH TLS, before the TLS handshake",
             "nothing before the handshake (RFC 4217 §4)", printable(s.rx.substr(0, 200)));
  }
  co_await run.start_tls(s, true);
  fs.state.tls = true;
  if (!step.ftp || step.ftp->protect) co_await protect(run, step, s);
}

// RFC 4217 §5 (RFC 2228 §3, CCC): a server that accepts CCC answers 200, ends the TLS session on the
// control connection without closing the socket, and reads the next command in clear text. The data
// connections keep the protection PROT set (§5: no PBSZ or PROT after CCC), so they still resume
// the control connection's TLS session: it is kept before the TLS state goes.
asio::awaitable<void> clear_control_channel(CaseRun& run, const Step& step, Session& s, const ReplyFacts& reply) {
  FtpSession& fs = ftp_session(s);
  fs.cleared_session = s.conn->tls_session();
  const net::IoResult closed = co_await s.conn->end_tls(run.reply_deadline());
  if (!closed) {
    const std::string why = closed.kind == net::FailureKind::timeout
                                ? fmt::format("no TLS close_notify within {} ms", run.settings_.reply_timeout.count())
                                : closed.detail;
    run.transcript_.note(s.name, "TLS close after CCC: " + why);
    run.fail(step,
             "the server answered " + reply.status + " to CCC but did not end TLS on the control connection (RFC 4217 §5: "
             "TLS shutdown, then clear text): " + why,
             "the server's TLS close_notify", why, stop_kind(closed.kind));
  }
  run.transcript_.note(s.name, "TLS closed by CCC: the control connection is in clear text");
}

asio::awaitable<void> login(CaseRun& run, const Step& step, Session& s) {
  const std::string user = run.expand(step.user);
  const std::string password = run.expand(step.password);
  run.transcript_.add_secret(password);
  const std::string user_line = "USER " + user;
  ReplyFacts said = co_await ftp_exchange(run, s, user_line);
  // RFC 959 §5.4: USER answers 230 (no password needed), 331 (send PASS) or 332 (ACCT).
  if (said.status == "230") {
    run.verify(step, said, step.expect, status_is("230"), "USER");
    co_return;
  }
  if (said.status != "331") {
    run.verify(step, said, step.expect, status_is("230"), "USER");
    co_return;
  }
  const std::string pass_line = "PASS " + password;
  const std::string shown = "PASS <redacted>";
  ReplyFacts reply = co_await ftp_exchange(run, s, pass_line, shown);
  run.verify(step, reply, step.expect, status_is("230"), "PASS");
}

asio::awaitable<void> quit(CaseRun& run, const Step& step, Session& s) {
  const std::string quit_line = "QUIT";
  ReplyFacts bye = co_await ftp_exchange(run, s, quit_line);
  run.verify(step, bye, step.expect, status_is("221"), "QUIT");
  // RFC 959 §4.1.1: QUIT closes the control connection (after any transfer in progress).
  if (!bye.closed && !co_await run.wait_for_close(s)) {
    run.fail(step, "the server did not close the connection after QUIT", "connection closed (RFC 959 §4.1.1)",
             "still open");
  }
}

}  // namespace

asio::awaitable<void> ftp_greeting(CaseRun& run, const Step& step, Session& s) {
  FtpSession& fs = ftp_session(s);
  fs.state.tls = s.conn->tls_active();
  std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "greeting", run.reply_deadline());
  // RFC 959 §5.4: 120 (service ready in nnn minutes) is followed by 220 when ready.
  if (r && r->code == 120) {
    run.transcript_.note(s.name, "120: waiting for the 220");
    r = co_await read_ftp_reply(run, s, "220 after 120", run.reply_deadline());
  }
  ReplyFacts facts;
  if (!r) facts.closed = true;
  else facts = ftp_facts(*r);
  run.verify(step, facts, step.expect, status_is("220"), "greeting");
  if (run.settings_.starttls && !s.url.implicit_tls && !facts.closed) {
    const std::string auth_line = "AUTH TLS";
    ReplyFacts go = co_await ftp_exchange(run, s, auth_line);
    if (go.status != "234") {
      run.error(step, "tls: --starttls was asked for, but AUTH TLS failed: " + go.summary(), report::StopKind::tls);
    }
    co_await run.start_tls(s);
    fs.state.tls = true;
    const std::string pbsz_line = "PBSZ 0", prot_line = "PROT P";
    ReplyFacts pbsz = co_await ftp_exchange(run, s, pbsz_line);
    ReplyFacts prot = co_await ftp_exchange(run, s, prot_line);
    if (pbsz.status != "200" || prot.status != "200") {
      run.error(step, "tls: --starttls: PBSZ 0 / PROT P refused: " + pbsz.summary() + " / " + prot.summary(),
                report::StopKind::tls);
    }
  }
}

asio::awaitable<void> run_ftp_step(CaseRun& run, const Step& step) {
  Session& s = run.session(step.session);
  switch (step.kind) {
    case StepKind::send: {
      const std::string command = run.expand(step.text);
      ReplyFacts reply = co_await ftp_exchange(run, s, command);
      run.verify(step, reply, step.expect, std::nullopt, command.substr(0, command.find(' ')));
      if (is_ccc(command) && reply.status.starts_with("2") && s.conn->tls_active()) {
        co_await clear_control_channel(run, step, s, reply);
      }
      break;
    }
    case StepKind::raw: {
      const std::string bytes = run.expand(step.text);
      co_await run.send(s, bytes);
      for (int i = 0; i < step.replies; ++i) {
        std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", run.reply_deadline());
        ReplyFacts facts;
        if (r) facts = ftp_facts(*r);
        else facts.closed = true;
        run.verify(step, facts, step.expect, std::nullopt, "reply");
        if (!r) break;
      }
      break;
    }
    case StepKind::expect: {
      std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", run.reply_deadline());
      ReplyFacts facts;
      if (r) facts = ftp_facts(*r);
      else facts.closed = true;
      run.verify(step, facts, step.expect, std::nullopt, "reply");
      break;
    }
    case StepKind::login: co_await login(run, step, s); break;
    case StepKind::starttls: co_await auth_tls(run, step, s); break;
    case StepKind::quit: co_await quit(run, step, s); break;
    case StepKind::ftp: co_await run_ftp_transfer(run, step, s); break;
    default: run.error(step, std::string("scenario: step '") + to_string(step.kind) + "' is not an FTP action");
  }
}

}  // namespace facteur::engine
