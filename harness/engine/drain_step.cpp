// The drain step: reads every reply the server sends until it has been quiet for `quiet_ms`, or
// closes the connection. It is how a fuzz finding ends (harness/fuzz/): after bytes of unknown
// effect, the server must still answer (at least `min` replies before the reply deadline: fewer
// is a hang) with replies that parse and keep the session's invariants, and at most `max` of them
// (more shows that the server split a line where it should not have).
// A reply is an SMTP reply, a POP3 status line, or an IMAP completion or continuation request.
#include "harness/engine/drain_step.hpp"

#include <fmt/format.h>

#include "harness/engine/ftp_steps.hpp"
#include "harness/engine/imap_session.hpp"

namespace facteur::engine {
namespace asio = boost::asio;

namespace {

// POP3 responses do not say whether they are multi-line: that depends on the command, and after a
// fuzz input nobody knows which commands the server saw. So the drain reads lines: +OK and -ERR
// lines are replies, other lines are the body of a multi-line response (ended by "."), allowed
// only once a +OK came. Body lines are counted in the transcript, not copied.
struct Pop3Lines {
  bool seen_ok = false;
  std::size_t body_lines = 0;
};

asio::awaitable<bool> read_pop3_line(CaseRun& run, Session& s, int& replies, Pop3Lines& st) {
  const net::Deadline deadline = run.reply_deadline();
  std::size_t eol = std::string::npos;
  while ((eol = s.rx.find("\r\n")) == std::string::npos) {
    if (s.rx.size() > run.settings_.pop3_limits.max_line) {
      throw CaseStop{report::Outcome::fail, fmt::format("malformed POP3 response: a line longer than {} octets",
                                                        run.settings_.pop3_limits.max_line),
                     "a response per RFC 1939 §3", printable(s.rx.substr(0, 200)), report::StopKind::malformed};
    }
    if (s.closed) {
      if (!s.rx.empty()) run.transcript_.data(s.name, '<', s.rx);
      co_return false;
    }
    if (!co_await run.read_more(s, deadline, "reply")) s.closed = true;
  }
  const std::string line = s.rx.substr(0, eol);
  s.rx.erase(0, eol + 2);
  const bool status = line.rfind("+OK", 0) == 0 || line.rfind("-ERR", 0) == 0;
  if (status) {
    if (st.body_lines > 0) run.transcript_.note(s.name, fmt::format("… {} body lines", st.body_lines));
    st.body_lines = 0;
    run.transcript_.data(s.name, '<', line);
    st.seen_ok = st.seen_ok || line[0] == '+';
    ++replies;
  } else if (st.seen_ok) {
    ++st.body_lines;
  } else {
    run.transcript_.data(s.name, '<', line);
    throw CaseStop{report::Outcome::fail, "malformed POP3 response: a line that is neither +OK, -ERR nor a body line",
                   "a response per RFC 1939 §3", printable(line.substr(0, 200)), report::StopKind::malformed};
  }
  co_return true;
}

// One reply from bytes already buffered (waiting only to complete it); false when the server closed.
asio::awaitable<bool> read_one(CaseRun& run, Session& s, int& replies, Pop3Lines& pop3) {
  switch (s.url.protocol) {
    case Protocol::imap: {
      std::optional<imap::Response> r = co_await imap_read(run, s, "reply");
      if (!r) co_return false;
      if (r->kind != imap::Response::Kind::untagged) ++replies;
      co_return true;
    }
    case Protocol::pop3:
      co_return co_await read_pop3_line(run, s, replies, pop3);
    case Protocol::ftp: {
      std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", run.reply_deadline());
      if (!r) co_return false;
      ++replies;
      co_return true;
    }
    default: {
      const ReplyFacts reply = co_await run.read_reply(s);
      if (reply.closed) co_return false;
      ++replies;
      co_return true;
    }
  }
}

}  // namespace

asio::awaitable<void> run_drain(CaseRun& run, const scenario::Step& step) {
  Session& s = run.session(step.session);
  const net::Deadline deadline = run.reply_deadline();
  const int min = step.replies, max = step.count;
  int replies = 0;
  Pop3Lines pop3;
  for (;;) {
    if (s.rx.empty() && !s.closed) {
      // Before `min` replies, wait up to the reply deadline; after, only for the quiet period.
      const net::Deadline until =
          replies >= min ? std::min(deadline, net::Clock::now() + std::chrono::milliseconds(step.ms)) : deadline;
      if (!co_await run.read_more(s, until, "reply", true) && !s.closed) break;
    }
    if (s.rx.empty() && s.closed) {
      run.transcript_.note(s.name, "connection closed by the server");
      break;
    }
    if (!co_await read_one(run, s, replies, pop3)) break;
    if (replies > max) {
      run.fail(step, fmt::format("the server sent {} replies where at most {} were expected: it took one line "
                                 "for several",
                                 replies, max),
               fmt::format("at most {} replies", max), fmt::format("{} replies", replies), report::StopKind::excess);
    }
  }
  if (replies < min && !s.closed) {
    run.fail(step, fmt::format("hang: {} of {} replies within {} ms, the connection still open", replies, min,
                               run.settings_.reply_timeout.count()),
             fmt::format("{} replies or a closed connection", min), fmt::format("{} replies", replies),
             report::StopKind::timeout);
  }
  run.transcript_.note(s.name, fmt::format("drained {} replies{}", replies, s.closed ? ", then closed" : ""));
}

}  // namespace facteur::engine
