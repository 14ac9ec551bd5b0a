#include "harness/engine/imap_session.hpp"

#include <fmt/format.h>

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::Step;

std::string ImapState::new_tag() { return fmt::format("F{:03}", next_tag++); }

bool ImapState::has(const std::string& capability) const {
  std::string upper;
  for (char c : capability) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return caps.count(upper) > 0;
}

void ImapState::forget_capabilities() {
  caps.clear();
  caps_known = false;
}

void ImapState::learn(const imap::Response& r) {
  const std::vector<imap::Value>* list = nullptr;
  if (r.kind == imap::Response::Kind::untagged && r.name == "CAPABILITY") list = &r.data;
  else if (r.code == "CAPABILITY") list = &r.code_args;
  if (!list) return;
  caps.clear();
  for (const auto& v : *list) {
    std::string upper;
    for (char c : v.text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    caps.insert(upper);
  }
  caps_known = true;
}

ImapState& imap_state(Session& s) {
  if (!s.dialect) s.dialect = std::make_unique<ImapState>();
  return static_cast<ImapState&>(*s.dialect);
}

void remember_early(ImapState& st, imap::Response tagged) {
  // (The tag is copied before the response moves: in `early[r.tag] = completion(std::move(r))` the
  // right side runs first and the key would be read from a moved-from response.)
  const std::string tag = tagged.tag;
  st.early[tag] = completion(st, std::move(tagged));
}

ReplyFacts completion(ImapState& st, imap::Response tagged) {
  ReplyFacts facts;
  facts.status = tagged.status;
  facts.lines = {tagged.text};
  facts.untagged = std::move(st.untagged);
  st.untagged.clear();
  facts.tagged = std::move(tagged);
  // The capabilities this exchange announced (CAPABILITY data or a [CAPABILITY] code), for
  // "present"/"absent" expectations.
  std::set<std::string> caps;
  bool any = false;
  auto take_caps = [&](const imap::Response& r) {
    const std::vector<imap::Value>* list = nullptr;
    if (r.kind == imap::Response::Kind::untagged && r.name == "CAPABILITY") list = &r.data;
    else if (r.code == "CAPABILITY") list = &r.code_args;
    if (!list) return;
    any = true;
    for (const auto& v : *list) {
      std::string upper;
      for (char c : v.text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      caps.insert(upper);
    }
  };
  for (const auto& r : facts.untagged) take_caps(r);
  take_caps(*facts.tagged);
  if (any) facts.capabilities = std::move(caps);
  return facts;
}

namespace {

// One response off the front of s.rx, if complete. Transcribes it; a literal's octets are shown
// only when short (a message body is summarised by its size).
std::optional<imap::Response> take(CaseRun& run, Session& s) {
  if (s.rx.empty()) return std::nullopt;
  imap::ParseResult p = imap::parse_response(s.rx, run.settings_.imap_limits);
  if (p.status == imap::ParseStatus::need_more) return std::nullopt;
  if (p.status == imap::ParseStatus::error) {
    run.transcript_.data(s.name, '<', s.rx.substr(0, std::min<std::size_t>(s.rx.size(), 4096)));
    throw CaseStop{report::Outcome::fail, "malformed IMAP response: " + p.error, "a response per RFC 9051 §7",
                   printable(s.rx.substr(0, 200)), report::StopKind::malformed};
  }
  if (p.response.literal_octets > 2048) {
    const std::string_view wire(s.rx.data(), p.consumed);
    run.transcript_.data(s.name, '<', wire.substr(0, 512));
    run.transcript_.note(s.name, fmt::format("… response of {} octets ({} in literals)", p.consumed,
                                             p.response.literal_octets));
  } else {
    run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, p.consumed));
  }
  s.rx.erase(0, p.consumed);
  return std::move(p.response);
}

void check_invariants(CaseRun& run, Session& s, ImapState& st, const imap::Response& r) {
  // Untagged responses are kept until their command completes: bounded, so a server that never
  // completes cannot make memory grow without end.
  if (st.untagged.size() >= run.settings_.max_untagged) {
    throw CaseStop{report::Outcome::fail,
                   fmt::format("more than {} untagged responses before a completion", run.settings_.max_untagged),
                   "a tagged completion", fmt::format("{} untagged responses and counting", st.untagged.size()),
                   report::StopKind::excess};
  }
  st.learn(r);
  if (auto v = st.invariants.on_response(r)) {
    throw CaseStop{report::Outcome::fail, "IMAP invariant " + v->rule + ": " + v->message, v->expected, v->actual,
                   report::StopKind::invariant};
  }
  (void)run;
  (void)s;
}

}  // namespace

asio::awaitable<std::optional<imap::Response>> imap_read(CaseRun& run, Session& s, const char* what) {
  ImapState& st = imap_state(s);
  // One deadline for the whole response: a server trickling bytes cannot stretch it.
  const net::Deadline deadline = run.reply_deadline();
  for (;;) {
    if (auto r = take(run, s)) {
      check_invariants(run, s, st, *r);
      co_return r;
    }
    if (s.closed) {
      if (!s.rx.empty()) run.transcript_.data(s.name, '<', s.rx);
      run.transcript_.note(s.name, "connection closed by the server");
      co_return std::nullopt;
    }
    if (!co_await run.read_more(s, deadline, what)) s.closed = true;
  }
}

asio::awaitable<bool> imap_wait(CaseRun& run, Session& s, net::Deadline deadline) {
  ImapState& st = imap_state(s);
  for (;;) {
    // Every response already received, not just one: the caller matches once per batch.
    bool any = false;
    while (auto r = take(run, s)) {
      check_invariants(run, s, st, *r);
      if (r->kind == imap::Response::Kind::untagged) {
        st.untagged.push_back(std::move(*r));
      } else if (r->kind == imap::Response::Kind::tagged) {
        remember_early(st, std::move(*r));
      }
      any = true;
    }
    if (any) co_return true;
    if (s.closed) co_return false;
    if (!co_await run.read_more(s, deadline, "untagged response", true)) co_return false;
  }
}

asio::awaitable<std::string> imap_send_command(CaseRun& run, const Step& step, Session& s, const std::string& command,
                                               const std::vector<std::string>* literals, std::string_view label) {
  ImapState& st = imap_state(s);
  const std::string tag = st.new_tag();
  if (!label.empty()) st.async_tags[std::string(label)] = tag;
  st.invariants.on_command(tag, command);
  std::string pending = tag + " ";
  std::size_t from = 0;
  std::size_t index = 0;
  for (auto hole = command.find("{}"); literals && hole != std::string::npos; hole = command.find("{}", from)) {
    const std::string octets = (*literals)[index++];
    // RFC 7888: {n+} needs no continuation; LITERAL- allows it up to 4096 octets only.
    bool plus = step.literal_mode == "plus" || (step.literal_mode == "minus" && octets.size() <= 4096);
    if (step.literal_mode == "auto") {
      plus = st.has("LITERAL+") || (st.has("LITERAL-") && octets.size() <= 4096);
    }
    pending += command.substr(from, hole - from) + fmt::format("{{{}{}}}\r\n", octets.size(), plus ? "+" : "");
    from = hole + 2;
    co_await run.send(s, pending);
    pending.clear();
    if (!plus) {
      // RFC 9051 §4.3: wait for the continuation request before the octets.
      for (;;) {
        std::optional<imap::Response> r = co_await imap_read(run, s, "continuation request");
        if (!r) run.fail(step, "the server closed the connection before its continuation request");
        if (r->kind == imap::Response::Kind::continuation) break;
        if (r->kind == imap::Response::Kind::untagged) {
          st.untagged.push_back(std::move(*r));
          continue;
        }
        // A completion instead of "+": the server refused the literal (e.g. too large).
        remember_early(st, std::move(*r));
        co_return tag;
      }
    }
    if (octets.size() > 1024) {
      run.transcript_.note(s.name, fmt::format("literal: {} octets", octets.size()));
      auto w = co_await s.conn->write(octets, run.reply_deadline());
      if (!w) run.fail(step, "sending a literal: " + w.detail);
    } else {
      co_await run.send(s, octets);
    }
  }
  pending += command.substr(from) + "\r\n";
  co_await run.send(s, pending);
  co_return tag;
}

asio::awaitable<ReplyFacts> imap_complete(CaseRun& run, const Step& step, Session& s, const std::string& tag) {
  ImapState& st = imap_state(s);
  for (;;) {
    if (auto it = st.early.find(tag); it != st.early.end()) {
      ReplyFacts facts = std::move(it->second);
      st.early.erase(it);
      co_return facts;
    }
    std::optional<imap::Response> r = co_await imap_read(run, s, "tagged completion");
    if (!r) {
      ReplyFacts closed;
      closed.closed = true;
      closed.untagged = std::move(st.untagged);
      st.untagged.clear();
      co_return closed;
    }
    switch (r->kind) {
      case imap::Response::Kind::untagged:
        st.untagged.push_back(std::move(*r));
        break;
      case imap::Response::Kind::continuation:
        run.fail(step, "unexpected continuation request", "a response to the command", "+ " + r->text);
      case imap::Response::Kind::tagged:
        if (r->tag == tag) co_return completion(st, std::move(*r));
        remember_early(st, std::move(*r));
        break;
    }
  }
}

asio::awaitable<ReplyFacts> imap_command(CaseRun& run, const Step& step, Session& s, const std::string& command,
                                         const std::vector<std::string>* literals) {
  const std::string tag = co_await imap_send_command(run, step, s, command, literals);
  ReplyFacts facts = co_await imap_complete(run, step, s, tag);
  co_return facts;
}

asio::awaitable<ReplyFacts> imap_until_any_completion(CaseRun& run, Session& s) {
  ImapState& st = imap_state(s);
  for (;;) {
    std::optional<imap::Response> r = co_await imap_read(run, s, "response");
    if (!r) {
      ReplyFacts closed;
      closed.closed = true;
      closed.untagged = std::move(st.untagged);
      st.untagged.clear();
      co_return closed;
    }
    if (r->kind == imap::Response::Kind::untagged) {
      // An untagged BYE ends the exchange as surely as a completion does.
      const bool bye = r->status == "BYE";
      st.untagged.push_back(std::move(*r));
      if (!bye) continue;
      ReplyFacts facts;
      facts.status = "BYE";
      facts.lines = {st.untagged.back().text};
      facts.untagged = std::move(st.untagged);
      st.untagged.clear();
      co_return facts;
    }
    if (r->kind == imap::Response::Kind::continuation) {
      ReplyFacts facts;
      facts.status = "+";
      facts.lines = {r->text};
      facts.untagged = std::move(st.untagged);
      st.untagged.clear();
      co_return facts;
    }
    co_return completion(st, std::move(*r));
  }
}

}  // namespace facteur::engine
