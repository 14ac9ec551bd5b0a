#include "harness/engine/smtp_steps.hpp"

#include <fmt/format.h>

#include "harness/sasl/mechanism.hpp"
#include "harness/smtp/dot_stuffing.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::ExpectSet;
using scenario::Step;
using scenario::StepKind;

FramedReply frame_smtp_reply(std::string_view buffer, const smtp::ReplyLimits& limits) {
  FramedReply out;
  smtp::ReplyParse p = smtp::parse_reply(buffer, limits);
  if (p.status == smtp::ParseStatus::need_more) return out;
  if (p.status == smtp::ParseStatus::error) {
    out.status = FramedReply::Status::error;
    out.error = p.error;
    return out;
  }
  out.status = FramedReply::Status::complete;
  out.consumed = p.consumed;
  out.facts.status = std::to_string(p.reply.code);
  if (p.reply.enhanced) out.facts.enhanced = p.reply.enhanced->str();
  out.facts.lines = p.reply.lines;
  if (p.reply.klass() == 2) out.facts.extensions = smtp::parse_ehlo(p.reply, &out.facts.extensions_error);
  return out;
}

namespace {


std::string command_with_params(std::string command, const std::vector<std::string>& params, CaseRun& run) {
  for (const auto& p : params) command += " " + run.expand(p);
  return command;
}


// Message-ID header value of a built message, for capture_message_id.
std::string message_id_of(const std::string& message) {
  const auto at = message.find("Message-ID: ");
  if (at == std::string::npos) return {};
  const auto end = message.find("\r\n", at);
  return message.substr(at + 12, end - at - 12);
}

void note_body(CaseRun& run, Session& s, const std::string& wire) {
  std::size_t lines = 0;
  for (char c : wire) lines += c == '\n';
  run.transcript_.note(s.name, fmt::format("message body: {} octets, {} lines", wire.size(), lines));
}

asio::awaitable<void> ehlo(CaseRun& run, const Step& step, Session& s, const char* verb) {
  std::string domain = step.text.empty() ? "client.facteur.test" : run.expand(step.text);
  const std::string line = fmt::format("{} {}\r\n", verb, domain);
  co_await run.send(s, line);
  ReplyFacts reply = co_await run.read_reply(s);
  run.verify(step, reply, step.expect, status_is("250"), verb);
  if (reply.status == "250") {
    s.extensions = verb == std::string("EHLO") && reply.extensions ? reply.extensions : std::nullopt;
  }
}

asio::awaitable<void> starttls(CaseRun& run, const Step& step, Session& s) {
  if (s.conn->tls_active()) {
    if (step.if_offered) co_return;
    if (run.settings_.starttls) run.skip("the case tests STARTTLS itself; --starttls upgraded the session already");
    run.fail(step, "STARTTLS requested on a connection that is already TLS");
  }
  const bool offered = s.extensions && s.extensions->has("STARTTLS");
  if (!offered && step.if_offered) {
    run.transcript_.note(s.name, "STARTTLS not announced: continuing in plain text as the scenario allows");
    co_return;
  }
  std::string wire = "STARTTLS\r\n";
  for (const auto& line : step.after_starttls) wire += run.expand(line) + "\r\n";
  co_await run.send(s, wire);
  ReplyFacts reply = co_await run.read_reply(s);
  // RFC 3207 §4: 220 means go ahead; anything else and a scenario that requires TLS must stop here,
  // never continue in plain text.
  run.verify(step, reply, step.expect_intermediate ? step.expect_intermediate : step.expect, status_is("220"),
             "STARTTLS");
  if (reply.status != "220") {
    if (step.required) run.fail(step, "STARTTLS refused; the session stops rather than continue in plain text",
                                "220", reply.summary());
    co_return;
  }
  if (!s.rx.empty()) {
    // Bytes after the 220 but before the handshake: the server answered pipelined commands in plain text.
    run.transcript_.data(s.name, '<', s.rx);
    run.fail(step, "the server sent data after its 220 to STARTTLS, before the TLS handshake",
             "nothing before the handshake (RFC 3207 §4.2)", printable(s.rx.substr(0, 200)), report::StopKind::excess);
  }
  co_await run.start_tls(s, true);
  s.extensions.reset();  // RFC 3207 §4.2: the client must forget what it learnt before TLS
}

asio::awaitable<void> auth(CaseRun& run, const Step& step, Session& s) {
  const std::string mech_name = run.expand(step.mechanism);
  if (!s.extensions) run.fail(step, "AUTH before a successful EHLO");
  bool announced = false;
  for (const auto& m : s.extensions->auth_mechanisms()) announced = announced || m == mech_name;
  if (!announced) run.skip("the server does not announce AUTH " + mech_name);
  sasl::Credentials cred;
  cred.authcid = run.expand(step.user);
  cred.password = run.expand(step.password);
  cred.token = cred.password;
  run.transcript_.add_secret(cred.password);
  auto mech = sasl::make_mechanism(mech_name, cred);
  if (!mech) run.error(step, "scenario: facteur has no SASL mechanism " + mech_name);

  std::string command = "AUTH " + mech_name;
  if (step.initial_response && !step.cancel) {
    if (auto ir = mech->initial_response()) {
      // RFC 4954 §4: an empty initial response is sent as "=".
      command += " " + (ir->empty() ? std::string("=") : sasl::base64_encode(*ir));
    }
  } else if (!step.initial_response) {
    (void)mech->initial_response();
  }
  // (Named locals, not temporaries, around co_await: GCC 12 destroys such temporaries twice.)
  const std::string wire = command + "\r\n";
  const std::string shown = command.size() > 5 + mech_name.size() ? "AUTH " + mech_name + " <redacted>" : command;
  co_await run.send_secret(s, wire, shown);
  for (int round = 0;; ++round) {
    ReplyFacts reply = co_await run.read_reply(s);
    if (reply.status != "334") {
      if (reply.status == "235") {
        if (auto why = mech->verify_success(""); !why.empty() && !mech->server_verified()) {
          run.fail(step, "SASL: " + why);
        }
      }
      run.verify(step, reply, step.expect, step.cancel ? status_is("501") : status_is("235"), "AUTH");
      co_return;
    }
    if (round > 10) run.fail(step, "SASL exchange did not end after 10 challenges");
    if (step.cancel) {
      co_await run.send(s, "*\r\n");  // RFC 4954 §4: "*" cancels the exchange
      continue;
    }
    const std::string challenge_b64 = reply.lines.empty() ? "" : reply.lines.front();
    auto challenge = sasl::base64_decode(challenge_b64);
    if (!challenge) run.fail(step, "SASL challenge is not valid base64", "base64 text after 334", challenge_b64);
    sasl::StepResult answer = mech->step(*challenge);
    if (!answer.ok) run.fail(step, "SASL: " + answer.error);
    const std::string response = sasl::base64_encode(answer.response) + "\r\n";
    const std::string shown_response = "<redacted SASL response>";
    co_await run.send_secret(s, response, shown_response);
  }
}

asio::awaitable<void> data(CaseRun& run, const Step& step, Session& s) {
  co_await run.send(s, "DATA\r\n");
  ReplyFacts start = co_await run.read_reply(s);
  run.verify(step, start, step.expect_intermediate, status_is("354"), "DATA");
  if (start.status.empty() || start.status[0] != '3') co_return;  // rejected as the scenario expected
  std::string wire;
  if (step.has_raw_body) {
    wire = run.expand(step.raw_body);  // sent exactly as written, no transparency
  } else {
    const std::string message = scenario::build_message(expand_message(run, *step.message));
    if (!step.capture_message_id.empty()) run.vars_[step.capture_message_id] = message_id_of(message);
    wire = smtp::dot_stuff(message);
  }
  note_body(run, s, wire);
  auto r = co_await s.conn->write(wire, run.reply_deadline());
  if (!r) run.fail(step, std::string("sending the message: ") + r.detail);
  const ReplyFacts end = co_await run.read_reply(s);
  run.verify(step, end, step.expect, status_is("250"), "end of data");
}

asio::awaitable<void> bdat(CaseRun& run, const Step& step, Session& s) {
  const std::string message = scenario::build_message(expand_message(run, *step.message));
  if (!step.capture_message_id.empty()) run.vars_[step.capture_message_id] = message_id_of(message);
  const std::size_t chunk = step.chunk_size ? step.chunk_size : std::max<std::size_t>(message.size(), 1);
  std::size_t offset = 0;
  do {
    const std::size_t n = std::min(chunk, message.size() - offset);
    const bool last = offset + n == message.size();
    const std::string command = fmt::format("BDAT {}{}\r\n", n, last ? " LAST" : "");
    run.transcript_.data(s.name, '>', command);
    run.transcript_.note(s.name, fmt::format("chunk: {} octets", n));
    const std::string chunk_wire = command + message.substr(offset, n);
    auto r = co_await s.conn->write(chunk_wire, run.reply_deadline());
    if (!r) run.fail(step, std::string("sending BDAT: ") + r.detail);
    const ReplyFacts reply = co_await run.read_reply(s);
    run.verify(step, reply, last ? step.expect : std::nullopt, status_is("250"), last ? "BDAT LAST" : "BDAT");
    offset += n;
  } while (offset < message.size());
}

asio::awaitable<void> pipeline(CaseRun& run, const Step& step, Session& s) {
  // RFC 2920 §3.1: the group goes out in one write; replies come back in order.
  std::string wire;
  for (const auto& line : step.params) wire += run.expand(line) + "\r\n";
  co_await run.send(s, wire);
  for (std::size_t i = 0; i < step.params.size(); ++i) {
    const ReplyFacts reply = co_await run.read_reply(s);
    run.verify(step, reply, step.pipeline_expect[i], std::nullopt,
               fmt::format("pipelined command {} ({})", i + 1, step.params[i].substr(0, step.params[i].find(' '))));
  }
}

asio::awaitable<void> quit(CaseRun& run, const Step& step, Session& s) {
  co_await run.send(s, "QUIT\r\n");
  const ReplyFacts bye = co_await run.read_reply(s);
  run.verify(step, bye, step.expect, status_is("221"), "QUIT");
  // RFC 5321 §4.1.1.10: the receiver closes the channel after its 221.
  // Anything the server still sends is read and shown; what matters is that it closes in time.
  const bool closed = co_await run.wait_for_close(s);
  if (!closed) {
    run.fail(step, "the server did not close the connection after 221", "connection closed (RFC 5321 §4.1.1.10)",
             s.rx.empty() ? "still open" : "still open, sent " + printable(s.rx.substr(0, 200)));
  }
}

}  // namespace

asio::awaitable<void> upgrade_session(CaseRun& run, const Step& step, Session& s) {
  co_await run.send(s, "EHLO client.facteur.test\r\n");
  ReplyFacts ehlo_reply = co_await run.read_reply(s);
  run.verify(step, ehlo_reply, std::nullopt, status_is("250"), "EHLO before --starttls");
  if (!ehlo_reply.extensions || !ehlo_reply.extensions->has("STARTTLS")) {
    run.error(step, "tls: --starttls was asked for, but the server does not announce STARTTLS",
                  report::StopKind::tls);
  }
  co_await run.send(s, "STARTTLS\r\n");
  ReplyFacts go = co_await run.read_reply(s);
  if (go.status != "220") run.error(step, "tls: STARTTLS refused: " + go.summary(), report::StopKind::tls);
  co_await run.start_tls(s);
  s.extensions.reset();
}

asio::awaitable<void> run_smtp_step(CaseRun& run, const Step& step) {
  Session& s = run.session(step.session);
  switch (step.kind) {
    case StepKind::ehlo: co_await ehlo(run, step, s, "EHLO"); break;
    case StepKind::helo: co_await ehlo(run, step, s, "HELO"); break;
    case StepKind::starttls: co_await starttls(run, step, s); break;
    case StepKind::auth: co_await auth(run, step, s); break;
    case StepKind::mail: {
      const std::string line = command_with_params("MAIL FROM:<" + run.expand(step.text) + ">", step.params, run) + "\r\n";
      co_await run.send(s, line);
      const ReplyFacts reply = co_await run.read_reply(s);
      run.verify(step, reply, step.expect, status_is("250"), "MAIL");
      break;
    }
    case StepKind::rcpt: {
      const std::string line = command_with_params("RCPT TO:<" + run.expand(step.text) + ">", step.params, run) + "\r\n";
      co_await run.send(s, line);
      const ReplyFacts reply = co_await run.read_reply(s);
      run.verify(step, reply, step.expect, status_is("250", "251"), "RCPT");
      break;
    }
    case StepKind::data: co_await data(run, step, s); break;
    case StepKind::bdat: co_await bdat(run, step, s); break;
    case StepKind::pipeline: co_await pipeline(run, step, s); break;
    case StepKind::quit: co_await quit(run, step, s); break;
    default: run.error(step, std::string("scenario: step '") + to_string(step.kind) + "' is not an SMTP action");
  }
}

}  // namespace facteur::engine
