#include "harness/engine/case_run.hpp"

#include <cctype>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include "harness/engine/drain_step.hpp"
#include "harness/engine/http_steps.hpp"
#include "harness/engine/ftp_steps.hpp"
#include "harness/engine/matcher.hpp"
#include "harness/engine/imap_steps.hpp"
#include "harness/engine/pop3_steps.hpp"
#include "harness/engine/smtp_steps.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::Step;
using scenario::StepKind;

bool Capabilities::has(const std::string& item) const {
  std::string upper;
  for (char c : item) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return items.count(upper) > 0;
}

std::string missing_requirement(const scenario::Scenario& s, const Capabilities& caps, const scenario::Vars& vars,
                                bool plaintext_impossible) {
  for (const auto& req : s.requires_) {
    if (req.rfind("var:", 0) == 0) {
      const auto it = vars.find(req.substr(4));
      if (it == vars.end() || it->second.empty()) return "variable '" + req.substr(4) + "' is not set";
      continue;
    }
    if (req == "plaintext") {
      // The case checks what a server does before TLS: not on an implicit-TLS target or under --starttls.
      if (plaintext_impossible) return "the case needs a session that starts in plain text";
      continue;
    }
    if (caps.probed && !caps.has(req)) return "the target does not announce " + req;
  }
  return {};
}

namespace {
// Each case draws its own ${@uuid}/${@hex}/${@seq} values: the run's seed mixed with the case id
// (FNV-1a), so two cases of one run never share a "random" tag, and a run stays reproducible.
std::uint64_t case_seed(std::uint64_t run_seed, const std::string& id) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ULL;
  return run_seed ^ h;
}
}  // namespace

CaseRun::CaseRun(const scenario::Scenario& s, const RunSettings& settings)
    : scenario_(s), settings_(settings), templates_(case_seed(settings.seed, s.id)),
      case_deadline_(net::Clock::now() + (s.timeout_ms > 0 ? std::chrono::milliseconds(s.timeout_ms)
                                                              : settings.case_timeout)) {
  vars_ = s.vars;
  for (const auto& [k, v] : settings.vars) vars_[k] = v;
  vars_["target"] = settings.target.display();
  vars_["host"] = settings.target.host;
  vars_["port"] = std::to_string(settings.target.port);
  // Every variable named like a password is a secret, whatever the protocol (password, imap_password, …).
  for (const auto& [name, value] : vars_) {
    if (name.find("password") != std::string::npos || name.find("secret") != std::string::npos) {
      transcript_.add_secret(value);
    }
  }
  if (!settings.record_dir.empty()) recorder_.emplace(settings.record_dir, s.id);
}

report::StopKind stop_kind(net::FailureKind kind) {
  switch (kind) {
    case net::FailureKind::connect: return report::StopKind::connect;
    case net::FailureKind::tls: return report::StopKind::tls;
    case net::FailureKind::timeout: return report::StopKind::timeout;
    default: return report::StopKind::io;
  }
}

void CaseRun::fail(const Step& step, std::string message, std::string expected, std::string actual,
                   report::StopKind kind) {
  (void)step;
  throw CaseStop{report::Outcome::fail, std::move(message), std::move(expected), std::move(actual), kind};
}

void CaseRun::error(const Step& step, std::string message, report::StopKind kind) {
  (void)step;
  throw CaseStop{report::Outcome::error, std::move(message), {}, {}, kind};
}

void CaseRun::skip(std::string message) {
  throw CaseStop{report::Outcome::skip, std::move(message), {}, {}, report::StopKind::none};
}

std::string CaseRun::expand(const std::string& text) {
  try {
    return scenario::expand(text, vars_, templates_);
  } catch (const scenario::TemplateError& e) {
    throw CaseStop{report::Outcome::error, std::string("scenario: ") + e.what(), {}, {}, report::StopKind::scenario};
  }
}

scenario::ExpectSet status_is(const char* first, const char* second) {
  scenario::Expectation e;
  e.codes.emplace_back(first);
  if (second) e.codes.emplace_back(second);
  scenario::ExpectSet set;
  set.any_of.push_back(std::move(e));
  return set;
}

scenario::MessageSpec expand_message(CaseRun& run, scenario::MessageSpec m) {
  m.from = run.expand(m.from);
  m.to = run.expand(m.to);
  m.subject = run.expand(m.subject);
  m.body = run.expand(m.body);
  m.message_id = run.expand(m.message_id);
  for (auto& [name, value] : m.headers) value = run.expand(value);
  return m;
}

net::Deadline CaseRun::reply_deadline() const {
  return std::min(case_deadline_, net::Clock::now() + settings_.reply_timeout);
}

Session& CaseRun::session(const std::string& name) {
  auto it = sessions_.find(name);
  if (it == sessions_.end() || !it->second.conn) {
    throw CaseStop{report::Outcome::error, "scenario: session '" + name + "' is used before its connect step", {}, {},
                   report::StopKind::scenario};
  }
  return it->second;
}

asio::awaitable<bool> CaseRun::send(Session& s, std::string_view bytes, SendOptions options) {
  if (!options.shown_budget) {
    transcript_.data(s.name, '>', bytes);
  } else if (*options.shown_budget > 0) {
    const std::size_t n = std::min(*options.shown_budget, bytes.size());
    transcript_.data(s.name, '>', bytes.substr(0, n));
    *options.shown_budget -= n;
  }
  auto r = co_await s.conn->write(bytes, reply_deadline());
  if (r) co_return true;
  transcript_.note(s.name, std::string(to_string(r.kind)) + ": " + r.detail);
  if (options.tolerant && (r.kind == net::FailureKind::closed || r.kind == net::FailureKind::io)) co_return false;
  throw CaseStop{r.kind == net::FailureKind::tls ? report::Outcome::error : report::Outcome::fail,
                 std::string(to_string(r.kind)) + ": " + r.detail, {}, {}, stop_kind(r.kind)};
}

asio::awaitable<void> CaseRun::send_secret(Session& s, std::string_view bytes, std::string shown) {
  transcript_.redacted(s.name, '>', std::move(shown));
  auto r = co_await s.conn->write(bytes, reply_deadline());
  if (!r) throw CaseStop{report::Outcome::fail, std::string(to_string(r.kind)) + ": " + r.detail, {}, {}, stop_kind(r.kind)};
}

asio::awaitable<ReplyFacts> CaseRun::read_reply(Session& s, const char* what) {
  // One deadline for the whole reply, not per read: a server trickling a byte at a time cannot
  // stretch a reply past --reply-timeout.
  const net::Deadline deadline = reply_deadline();
  for (;;) {
    if (!s.rx.empty()) {
      FramedReply framed = frame_smtp_reply(s.rx, settings_.limits);
      if (framed.status == FramedReply::Status::complete) {
        transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, framed.consumed));
        s.rx.erase(0, framed.consumed);
        co_return framed.facts;
      }
      if (framed.status == FramedReply::Status::error) {
        transcript_.data(s.name, '<', s.rx.substr(0, std::min<std::size_t>(s.rx.size(), 4096)));
        throw CaseStop{report::Outcome::fail, "malformed reply: " + framed.error, "a well-formed reply",
                       printable(s.rx.substr(0, 200)), report::StopKind::malformed};
      }
    }
    if (s.closed) {
      if (!s.rx.empty()) transcript_.data(s.name, '<', s.rx);
      transcript_.note(s.name, "connection closed by the server");
      ReplyFacts closed;
      closed.closed = true;
      co_return closed;
    }
    if (!co_await read_more(s, deadline, what)) s.closed = true;
  }
}

asio::awaitable<net::IoResult> CaseRun::receive(Session& s, net::Deadline deadline) {
  s.incoming.clear();
  net::IoResult r = co_await s.conn->read_some(s.incoming, settings_.max_read, deadline);
  s.rx += s.incoming;
  if (recorder_) {
    if (const std::string failed = recorder_->append(s.name, s.incoming); !failed.empty()) {
      transcript_.note(s.name, "record: " + failed);
    }
  }
  co_return r;
}

asio::awaitable<bool> CaseRun::read_more(Session& s, net::Deadline deadline, const char* what, bool timeout_ok) {
  auto r = co_await receive(s, deadline);
  if (r.kind == net::FailureKind::closed) {
    s.closed = true;
    co_return false;
  }
  if (r) co_return true;
  if (r.kind == net::FailureKind::timeout && timeout_ok && net::Clock::now() < case_deadline_) co_return false;
  transcript_.note(s.name, std::string(to_string(r.kind)) + ": " + r.detail);
  if (net::Clock::now() >= case_deadline_) {
    throw CaseStop{report::Outcome::error, fmt::format("deadline: the case ran past its {} ms limit",
                                                       scenario_.timeout_ms > 0 ? scenario_.timeout_ms
                                                                                : settings_.case_timeout.count()),
                   {}, {}, report::StopKind::timeout};
  }
  if (r.kind == net::FailureKind::timeout) {
    throw CaseStop{report::Outcome::fail, fmt::format("no {} within {} ms", what, settings_.reply_timeout.count()),
                   std::string("a ") + what, "nothing", report::StopKind::timeout};
  }
  throw CaseStop{r.kind == net::FailureKind::tls ? report::Outcome::error : report::Outcome::fail,
                 std::string(to_string(r.kind)) + ": " + r.detail, {}, {}, stop_kind(r.kind)};
}

std::function<std::string(const std::string&)> CaseRun::expander() {
  return [this](const std::string& text) { return expand(text); };
}

void CaseRun::verify(const Step& step, const ReplyFacts& reply, const std::optional<scenario::ExpectSet>& set,
                     const std::optional<scenario::ExpectSet>& fallback, const std::string& what) {
  const auto& expect = set ? set : fallback;
  if (!expect) {
    if (reply.closed) fail(step, what + ": the server closed the connection", "a reply", reply.summary());
    return;
  }
  MatchResult m = match(*expect, reply, vars_, expander());
  if (!m.ok) fail(step, what + ": " + m.why, expect->describe(), reply.summary());
}

asio::awaitable<bool> CaseRun::wait_for_close(Session& s) {
  const net::Deadline deadline = reply_deadline();
  while (!s.closed) {
    auto r = co_await receive(s, deadline);
    if (r.kind == net::FailureKind::closed) s.closed = true;
    else if (!r) co_return false;
  }
  if (!s.rx.empty()) transcript_.data(s.name, '<', s.rx);
  transcript_.note(s.name, "connection closed by the server");
  co_return true;
}

asio::awaitable<void> CaseRun::start_tls(Session& s, bool after_starttls) {
  const auto deadline = std::min(case_deadline_, net::Clock::now() + settings_.reply_timeout);
  const std::string cache_key = s.url.host + ":" + std::to_string(s.url.port);
  if (settings_.tls_sessions) {
    if (auto it = settings_.tls_sessions->sessions.find(cache_key); it != settings_.tls_sessions->sessions.end()) {
      s.conn->resume_tls_session(it->second);
    }
  }
  const auto started = std::chrono::steady_clock::now();
  auto r = co_await s.conn->start_tls(s.url.host, deadline);
  const bool resumed = r && s.conn->tls_info().resumed;
  if (settings_.observer) {
    // Full and resumed handshakes cost differently: each has its own metric.
    settings_.observer->on_step(std::string(to_string(s.url.protocol)) + (resumed ? ".tls-resumed" : ".tls"),
                                std::chrono::steady_clock::now() - started, !r);
  }
  if (!r) {
    transcript_.note(s.name, "tls: " + r.detail);
    s.conn->close();
    s.closed = true;
    const bool certificate = r.detail.find("(certificate:") != std::string::npos;
    if (after_starttls && !certificate) {
      // The server agreed to start TLS (SMTP 220, IMAP OK, POP3 +OK), so the failed handshake is its fault.
      const char* agreed = s.url.protocol == Protocol::imap   ? "OK to STARTTLS (RFC 9051 §6.2.1)"
                           : s.url.protocol == Protocol::pop3 ? "+OK to STLS (RFC 2595 §4)"
                           : s.url.protocol == Protocol::ftp  ? "234 to AUTH TLS (RFC 4217 §4)"
                                                              : "220 to STARTTLS (RFC 3207 §4)";
      throw CaseStop{report::Outcome::fail,
                     std::string("the server said ") + agreed + " but the TLS handshake failed: " + r.detail,
                     "a TLS handshake", r.detail, report::StopKind::tls};
    }
    throw CaseStop{report::Outcome::error, "tls: " + r.detail, {}, {}, report::StopKind::tls};
  }
  const auto info = s.conn->tls_info();
  transcript_.note(s.name, fmt::format("TLS established: {} {}{}{}", info.version, info.cipher,
                                       info.peer_subject.empty() ? "" : ", peer " + info.peer_subject,
                                       info.resumed ? " (session resumed)" : ""));
}

asio::awaitable<void> CaseRun::connect(const Step& step) {
  std::string url_text = step.text;
  if (url_text.empty()) {
    auto it = scenario_.sessions.find(step.session);
    url_text = it != scenario_.sessions.end() ? it->second : "";
  }
  TargetUrl url = settings_.target;
  if (!url_text.empty()) {
    std::string err;
    auto parsed = parse_target_url(expand(url_text), &err);
    if (!parsed) error(step, "scenario: " + err);
    url = *parsed;
  }
  co_await open_session(step, step.session, url);
}

asio::awaitable<void> CaseRun::open_session(const Step& step, const std::string& name, TargetUrl url) {
  Session& s = sessions_[name];
  s.name = name;
  s.url = url;
  s.rx.clear();
  s.closed = false;
  s.extensions.reset();
  s.dialect.reset();
  s.conn = std::make_unique<net::Connection>(co_await asio::this_coro::executor, settings_.tls);
  if (recorder_) recorder_->open(name, url.protocol);
  transcript_.note(s.name, "connect " + url.display());
  const auto deadline = std::min(case_deadline_, net::Clock::now() + settings_.connect_timeout);
  auto r = co_await s.conn->connect(url.host, url.port, deadline);
  if (!r) {
    transcript_.note(s.name, "connect: " + r.detail);
    throw CaseStop{report::Outcome::error, "connect: " + r.detail, {}, {}, report::StopKind::connect};
  }
  if (url.implicit_tls) co_await start_tls(s);
  switch (url.protocol) {
    case Protocol::imap:
      co_await imap_greeting(*this, step, s);
      break;
    case Protocol::pop3:
      co_await pop3_greeting(*this, step, s);
      break;
    case Protocol::http:
      break;  // no greeting: the client speaks first
    case Protocol::ftp:
      co_await ftp_greeting(*this, step, s);
      break;
    default: {
      ReplyFacts greeting = co_await read_reply(s, "greeting");
      scenario::ExpectSet fallback;
      scenario::Expectation e;
      e.codes = {"220"};
      fallback.any_of.push_back(e);
      verify(step, greeting, step.expect, fallback, "greeting");
      if (settings_.starttls && !url.implicit_tls) co_await upgrade_session(*this, step, s);
    }
  }
}

asio::awaitable<void> CaseRun::silence(const Step& step) {
  Session& s = session(step.session);
  const auto until = net::Clock::now() + std::chrono::milliseconds(step.ms);
  if (s.rx.empty() && !s.closed) {
    auto r = co_await receive(s, std::min(until, case_deadline_));
    if (r.kind == net::FailureKind::closed) s.closed = true;
  }
  if (!s.rx.empty()) {
    transcript_.data(s.name, '<', s.rx);
    fail(step, fmt::format("the server sent {} octets when it should have stayed silent", s.rx.size()),
         fmt::format("no data for {} ms", step.ms), printable(s.rx.substr(0, 200)));
  }
}

std::string CaseRun::step_metric(const Step& step) const {
  std::string name;
  if (step.kind == StepKind::send || step.kind == StepKind::raw || step.kind == StepKind::imap ||
      step.kind == StepKind::pop3 || step.kind == StepKind::http || step.kind == StepKind::ftp) {
    for (char c : step.text) {
      if (!std::isalpha(static_cast<unsigned char>(c))) break;
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (name.empty()) name = to_string(step.kind);
  Protocol protocol = scenario_.protocol;  // a cross-protocol scenario times each step under its session's protocol
  if (const auto it = sessions_.find(step.session); it != sessions_.end() && it->second.conn) protocol = it->second.url.protocol;
  else if (const auto p = scenario_.session_protocols.find(step.session); p != scenario_.session_protocols.end()) protocol = p->second;
  return std::string(to_string(protocol)) + "." + name;
}

asio::awaitable<void> CaseRun::run_step(const Step& step) {
  StepObserver* observer = settings_.observer;
  if (!observer || step.kind == StepKind::loop || step.kind == StepKind::set || step.kind == StepKind::sleep) {
    co_await dispatch_step(step);
    co_return;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    co_await dispatch_step(step);
  } catch (...) {
    observer->on_step(step_metric(step), std::chrono::steady_clock::now() - start, true);
    throw;
  }
  observer->on_step(step_metric(step), std::chrono::steady_clock::now() - start, false);
}

asio::awaitable<void> CaseRun::dispatch_step(const Step& step) {
  switch (step.kind) {
    case StepKind::connect:
      co_await connect(step);
      break;
    case StepKind::send:
    case StepKind::raw:
    case StepKind::expect: {
      Session& s = session(step.session);
      if (s.url.protocol == Protocol::imap) {
        co_await run_imap_step(*this, step);
        break;
      }
      if (s.url.protocol == Protocol::pop3) {
        co_await run_pop3_step(*this, step);
        break;
      }
      if (s.url.protocol == Protocol::http) {
        co_await run_http_step(*this, step);
        break;
      }
      if (s.url.protocol == Protocol::ftp) {
        co_await run_ftp_step(*this, step);
        break;
      }
      if (step.kind != StepKind::expect) {
        const std::string bytes = step.kind == StepKind::send ? expand(step.text) + "\r\n" : expand(step.text);
        co_await send(s, bytes);
      }
      const int replies = step.kind == StepKind::raw ? step.replies : 1;
      for (int i = 0; i < replies; ++i) {
        const ReplyFacts reply = co_await read_reply(s);
        verify(step, reply, step.expect, std::nullopt, "reply");
      }
      break;
    }
    case StepKind::silence:
      co_await silence(step);
      break;
    case StepKind::drain:
      co_await run_drain(*this, step);
      break;
    case StepKind::close: {
      Session& s = session(step.session);
      transcript_.note(s.name, "client closes the connection");
      s.conn->close();
      s.closed = true;
      break;
    }
    case StepKind::sleep: {
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(step.ms));
      co_await timer.async_wait(asio::use_awaitable);
      break;
    }
    case StepKind::loop:
      for (int i = 0; i < step.count; ++i) {
        vars_["loop_index"] = std::to_string(i);
        co_await run_steps(step.steps);
      }
      break;
    case StepKind::set:
      for (const auto& [k, v] : step.assignments) vars_[k] = expand(v);
      break;
    case StepKind::mailbox:
      co_await mailbox(step);
      break;
    case StepKind::fixture:
      co_await run_fixture(*this, step);
      break;
    default: {
      Session& s = session(step.session);
      if (s.url.protocol == Protocol::imap) co_await run_imap_step(*this, step);
      else if (s.url.protocol == Protocol::pop3) co_await run_pop3_step(*this, step);
      else if (s.url.protocol == Protocol::http) co_await run_http_step(*this, step);
      else if (s.url.protocol == Protocol::ftp) co_await run_ftp_step(*this, step);
      else co_await run_smtp_step(*this, step);
      break;
    }
  }
}

asio::awaitable<void> CaseRun::run_steps(const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    if (&steps == &scenario_.steps) ++step_index_;
    co_await run_step(step);
  }
}

asio::awaitable<void> CaseRun::run() { co_await run_steps(scenario_.steps); }

report::CaseResult CaseRun::finish(std::optional<CaseStop> stop) {
  for (auto& [name, s] : sessions_) {
    if (!s.conn) continue;
    // Kept at the end of the case rather than after the handshake: a TLS 1.3 server sends its
    // session tickets after the handshake, with its first data.
    if (settings_.tls_sessions && s.conn->tls_active()) {
      if (net::TlsSession session = s.conn->tls_session(); session && SSL_SESSION_is_resumable(session.get())) {
        settings_.tls_sessions->sessions[s.url.host + ":" + std::to_string(s.url.port)] = std::move(session);
      }
    }
    s.conn->close();
  }
  report::CaseResult r;
  r.id = scenario_.id;
  r.title = scenario_.title;
  r.protocol = to_string(scenario_.protocol);
  r.file = scenario_.file;
  for (const auto& ref : scenario_.spec) r.spec.push_back({ref.rfc, ref.section, to_string(ref.level)});
  r.level = to_string(scenario_.level());
  r.tags = scenario_.tags;
  r.duration_ms = transcript_.elapsed_ms();
  if (stop) {
    r.outcome = stop->outcome;
    // Verdicts quote the server, and a server may echo a password: scrubbed like the transcript.
    r.message = transcript_.redact_text(stop->message);
    r.expected = transcript_.redact_text(stop->expected);
    r.actual = transcript_.redact_text(stop->actual);
    r.step = step_index_;
    r.stop = stop->kind;
    if (r.outcome == report::Outcome::fail && scenario_.level() != scenario::Level::must && !settings_.strict) {
      r.outcome = report::Outcome::warn;
    }
  }
  if (r.outcome != report::Outcome::pass || settings_.keep_transcripts) r.transcript = transcript_.lines();
  return r;
}

report::CaseResult CaseRun::interrupt(const std::string& why) {
  const std::string message = fmt::format("{} after {:.0f} ms (step {})", why, transcript_.elapsed_ms(), step_index_);
  for (const auto& [name, s] : sessions_) {
    if (!s.rx.empty()) transcript_.data(name, '<', std::string_view(s.rx).substr(0, 4096));
  }
  return finish(CaseStop{report::Outcome::error, message, {}, {}, report::StopKind::interrupted});
}

namespace {
// Points the runner's slot at the case while it runs (see run_case).
struct LiveSlot {
  CaseRun** slot;
  LiveSlot(CaseRun** s, CaseRun* run) : slot(s) {
    if (slot) *slot = run;
  }
  ~LiveSlot() {
    if (slot) *slot = nullptr;
  }
  LiveSlot(const LiveSlot&) = delete;
  LiveSlot& operator=(const LiveSlot&) = delete;
};
}  // namespace

asio::awaitable<report::CaseResult> run_case(const scenario::Scenario& s, const RunSettings& settings,
                                             const Capabilities& caps, CaseRun** live) {
  CaseRun run(s, settings);
  const LiveSlot slot(live, &run);
  scenario::Vars merged = s.vars;
  for (const auto& [k, v] : settings.vars) merged[k] = v;
  const bool tls_from_start = settings.target.implicit_tls || settings.starttls;
  if (std::string missing = missing_requirement(s, caps, merged, tls_from_start); !missing.empty()) {
    co_return run.finish(CaseStop{report::Outcome::skip, missing, {}, {}, report::StopKind::none});
  }
  std::optional<CaseStop> stop;
  try {
    co_await run.run();
  } catch (CaseStop& e) {
    stop = std::move(e);
  }
  co_return run.finish(std::move(stop));
}

}  // namespace facteur::engine
