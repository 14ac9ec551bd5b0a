// Runs one scenario as a conformance case: sessions, steps, expectations, transcript, verdict.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "harness/engine/recorder.hpp"
#include "harness/engine/reply_facts.hpp"
#include "harness/engine/settings.hpp"
#include "harness/engine/transcript.hpp"
#include "harness/net/connection.hpp"
#include "harness/scenario/model.hpp"
#include "reports/result.hpp"

namespace facteur::engine {

// Which requirement of the scenario the target lacks ("" when none).
// "plaintext" is missing when every session starts in TLS (implicit TLS, or --starttls).
std::string missing_requirement(const scenario::Scenario& s, const Capabilities& caps,
                                const scenario::Vars& vars, bool plaintext_impossible);

class CaseRun;

// Runs one case. While it runs, `*live` (when given) points at it, so that a run stopped from
// outside (io_context::stop on SIGINT) can still end it with CaseRun::interrupt; it is reset to
// nullptr when the case ends or its coroutine frame is destroyed.
boost::asio::awaitable<report::CaseResult> run_case(const scenario::Scenario& scenario,
                                                    const RunSettings& settings,
                                                    const Capabilities& caps, CaseRun** live = nullptr);

// Why a case stops early. Thrown by steps, caught once per case.
struct CaseStop {
  report::Outcome outcome;
  std::string message, expected, actual;
  report::StopKind kind = report::StopKind::check;
};

// The kind of a failed read or write (connect, tls, timeout, io).
report::StopKind stop_kind(net::FailureKind kind);

// What a protocol dialect keeps about one session (IMAP tags and invariants, POP3 maildrop, …).
struct DialectState {
  virtual ~DialectState() = default;
};

struct Session {
  std::string name;
  TargetUrl url;
  std::unique_ptr<net::Connection> conn;
  std::string rx;                                  // received, not yet parsed
  std::string incoming;                            // the read in progress (rx stays whole meanwhile)
  std::optional<smtp::Extensions> extensions;      // from the latest EHLO
  std::unique_ptr<DialectState> dialect;           // IMAP / POP3 state
  bool closed = false;
};

// How CaseRun::send shows a write and what a failed write means.
struct SendOptions {
  std::size_t* shown_budget = nullptr;  // show at most this many octets (decremented); null: all
  bool tolerant = false;  // a closed or reset connection is not a stop: the server may have
                          // answered early and closed (RFC 9112 §9.5); the caller reads that answer
};

class CaseRun {
 public:
  CaseRun(const scenario::Scenario& s, const RunSettings& settings);
  boost::asio::awaitable<void> run();
  report::CaseResult finish(std::optional<CaseStop> stop);
  // Ends a case whose step was cut short from outside (the run was interrupted): outcome error,
  // "<why> after N ms (step K)", the transcript so far with what arrived and was not yet parsed.
  // Only once its io_context has stopped: the connections are closed, the coroutine not resumed.
  report::CaseResult interrupt(const std::string& why);

 private:
  boost::asio::awaitable<void> run_steps(const std::vector<scenario::Step>& steps);
  boost::asio::awaitable<void> run_step(const scenario::Step& step);      // timed for the observer
  boost::asio::awaitable<void> dispatch_step(const scenario::Step& step);
  std::string step_metric(const scenario::Step& step) const;
  boost::asio::awaitable<void> connect(const scenario::Step& step);
  boost::asio::awaitable<void> silence(const scenario::Step& step);
  boost::asio::awaitable<void> mailbox(const scenario::Step& step);

 public:  // used by the protocol step sets
  Session& session(const std::string& name);
  std::string expand(const std::string& text);
  net::Deadline reply_deadline() const;
  // One write. True when written; false only for a tolerated failure. Other failures stop the case.
  boost::asio::awaitable<bool> send(Session& s, std::string_view bytes, SendOptions options = {});
  boost::asio::awaitable<void> send_secret(Session& s, std::string_view bytes, std::string shown);
  // `what` names the awaited reply in a timeout message ("no greeting within 500 ms").
  boost::asio::awaitable<ReplyFacts> read_reply(Session& s, const char* what = "reply");
  // Reads once more into s.rx before `deadline`: false when the server closed the connection, or
  // (with `timeout_ok`) when the deadline passed. Other failures stop the case.
  boost::asio::awaitable<bool> read_more(Session& s, net::Deadline deadline, const char* what, bool timeout_ok = false);
  // The one way in for what a server sends: one read, appended to s.rx (and to the --record file).
  boost::asio::awaitable<net::IoResult> receive(Session& s, net::Deadline deadline);
  // Expands the templates in expectations (IMAP patterns, regular expressions with ${…}).
  std::function<std::string(const std::string&)> expander();
  // Opens a session on `url` (the step's session name): connect, TLS, the greeting.
  boost::asio::awaitable<void> open_session(const scenario::Step& step, const std::string& name, TargetUrl url);
  // Waits until the server closes the connection; false when it is still open at the deadline.
  boost::asio::awaitable<bool> wait_for_close(Session& s);
  // Checks `reply` against the step's expectations (or `fallback` when the step has none).
  void verify(const scenario::Step& step, const ReplyFacts& reply, const std::optional<scenario::ExpectSet>& set,
              const std::optional<scenario::ExpectSet>& fallback, const std::string& what);
  // `after_starttls`: the server said 220 to STARTTLS, so a failed handshake (other than a
  // certificate the user's settings reject) is the server's fault: fail, not error.
  boost::asio::awaitable<void> start_tls(Session& s, bool after_starttls = false);
  [[noreturn]] void fail(const scenario::Step& step, std::string message, std::string expected = {},
                         std::string actual = {}, report::StopKind kind = report::StopKind::check);
  [[noreturn]] void error(const scenario::Step& step, std::string message,
                          report::StopKind kind = report::StopKind::scenario);
  [[noreturn]] void skip(std::string message);

  const scenario::Scenario& scenario_;
  const RunSettings& settings_;
  scenario::Vars vars_;
  scenario::TemplateContext templates_;
  Transcript transcript_;
  std::map<std::string, Session> sessions_;
  net::Deadline case_deadline_;
  int step_index_ = -1;
  std::optional<Recorder> recorder_;  // --record
};

// The default expectation of a step: one of these statuses ("250", "OK", "+OK").
// (Two plain parameters, not an initializer_list: GCC 12 miscompiles those inside coroutines.)
scenario::ExpectSet status_is(const char* first, const char* second = nullptr);

// A scenario's message with its templates expanded (SMTP DATA/BDAT, IMAP APPEND).
scenario::MessageSpec expand_message(CaseRun& run, scenario::MessageSpec m);

}  // namespace facteur::engine
