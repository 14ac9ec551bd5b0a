#include "harness/engine/http_steps.hpp"

#include <fmt/format.h>

#include "harness/engine/http_request_body.hpp"
#include "harness/http/chunked.hpp"
#include "harness/http/cookie_jar.hpp"
#include "harness/http/html_fields.hpp"
#include "harness/http/response_reader.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::Step;
using scenario::StepKind;

namespace {

constexpr std::size_t kKeepBody = 1 << 20;       // response body octets kept for expectations
constexpr std::size_t kShown = 4096;             // octets of a message shown in the transcript
constexpr std::size_t kSendChunk = 64 * 1024;    // request body octets per write
constexpr int kMaxRedirects = 5;

struct HttpState : DialectState {
  http::CookieJar jar;
  bool reconnect = false;  // the last response said the server closes the connection
};

HttpState& http_state(Session& s) {
  if (!s.dialect) s.dialect = std::make_unique<HttpState>();
  return static_cast<HttpState&>(*s.dialect);
}

// Reads one response (1xx interim responses included: the caller decides). nullopt when the
// server closed the connection before sending anything of it.
asio::awaitable<std::optional<http::Response>> read_response(CaseRun& run, Session& s, bool head_request,
                                                             const char* what = "response") {
  http::ResponseReader reader(kKeepBody, head_request);
  const net::Deadline deadline = run.reply_deadline();
  std::size_t shown = 0, received = 0;
  for (;;) {
    if (!s.rx.empty()) {
      const http::ResponseReader::Result r = reader.feed(s.rx);
      const std::size_t show = std::min(r.consumed, kShown - std::min(kShown, shown));
      if (show > 0) run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(0, show));
      shown += show;
      received += r.consumed;
      if (r.status == http::ResponseReader::Result::Status::error) {
        run.transcript_.data(s.name, '<', std::string_view(s.rx).substr(r.consumed, 512));
        throw CaseStop{report::Outcome::fail, "malformed HTTP response: " + r.error,
                       "a response per RFC 9112 §4-§7", printable(s.rx.substr(0, 200)), report::StopKind::malformed};
      }
      s.rx.erase(0, r.consumed);
      if (r.status == http::ResponseReader::Result::Status::complete) break;
    }
    if (s.closed) {
      if (received == 0 && s.rx.empty()) {
        run.transcript_.note(s.name, "connection closed by the server");
        co_return std::nullopt;
      }
      const http::ResponseReader::Result r = reader.end_of_stream();
      if (r.status != http::ResponseReader::Result::Status::complete) {
        run.transcript_.note(s.name, "connection closed by the server");
        throw CaseStop{report::Outcome::fail, "incomplete HTTP response: " + r.error,
                       "a complete response (RFC 9112 §6.3)", fmt::format("{} octets, then the close", received),
                       report::StopKind::malformed};
      }
      break;
    }
    if (!co_await run.read_more(s, deadline, what)) s.closed = true;
  }
  const http::Response& resp = reader.response();
  if (received > kShown) {
    run.transcript_.note(s.name, fmt::format("… response of {} octets (body {} octets)", received, resp.body_size));
  }
  co_return resp;
}

ReplyFacts facts_of(const http::Response& r) {
  ReplyFacts f;
  f.status = std::to_string(r.status);
  f.lines.push_back(r.reason);
  std::size_t from = 0;
  while (from < r.body.size()) {
    auto nl = r.body.find('\n', from);
    std::string line = r.body.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f.lines.push_back(std::move(line));
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  f.headers = r.headers;
  return f;
}

// Opens the connection again when the server closed it (or said it would): an HTTP client's
// session outlives its connections; the cookie jar is kept.
asio::awaitable<void> ensure_open(CaseRun& run, const Step& step, Session& s) {
  HttpState& st = http_state(s);
  if (!s.closed && !st.reconnect && s.conn && s.conn->is_open()) co_return;
  std::unique_ptr<DialectState> kept = std::move(s.dialect);
  run.transcript_.note(s.name, "the server closed the connection: reconnecting");
  const std::string name = s.name;
  const TargetUrl url = s.url;
  co_await run.open_session(step, name, url);
  Session& again = run.session(name);
  again.dialect = std::move(kept);
  http_state(again).reconnect = false;
}

void after_response(Session& s, const http::Response& r, const std::string& path) {
  HttpState& st = http_state(s);
  for (const auto& value : r.all("Set-Cookie")) st.jar.store(value, path);
  if (!r.keep_alive) st.reconnect = true;
}

// Where a redirect leads on this session's server: the new target, or "" (with `why`) when it
// leads elsewhere.
std::string redirect_target(const Session& s, const std::string& location, const std::string& current,
                            std::string& why) {
  if (location.empty()) {
    why = "a redirect without Location";
    return {};
  }
  if (location.front() == '/' && location.compare(0, 2, "//") != 0) return location;
  if (location.find("://") != std::string::npos) {
    std::string err;
    auto url = parse_target_url(location, &err);
    if (!url || url->protocol != Protocol::http || url->host != s.url.host || url->port != s.url.port ||
        url->implicit_tls != s.url.implicit_tls) {
      why = "a redirect to another server (" + location + ") is not followed";
      return {};
    }
    return url->path.empty() ? "/" : url->path;
  }
  // A relative reference: resolved against the current path's directory (RFC 3986 §5.2, no dot segments).
  const std::string path = target_path(current);
  return path.substr(0, path.rfind('/') + 1) + location;
}

asio::awaitable<void> request(CaseRun& run, const Step& step) {
  const scenario::HttpRequest& r = *step.http;
  auto expand = run.expander();
  std::string method = r.method;
  std::string target = run.expand(r.target);
  bool with_body = true;
  std::optional<http::Response> resp;
  for (int hop = 0;; ++hop) {
    resp.reset();
    Session& s0 = run.session(step.session);
    co_await ensure_open(run, step, s0);
    Session& s = run.session(step.session);
    HttpState& st = http_state(s);
    OutgoingRequest out = build_request(r, s.url, expand, method, target, with_body,
                                        st.jar.header_for(target_path(target)), run.settings_.seed);
    std::size_t budget = kShown;
    co_await run.send(s, out.head, {&budget});
    const bool head_request = method == "HEAD";
    bool send_body = !out.body.empty() || out.chunked;
    if (r.expect_continue && send_body) {
      // RFC 9110 §10.1.1: the server answers 100 (Continue) or a final status before the content.
      std::optional<http::Response> first = co_await read_response(run, s, head_request);
      if (first && first->status == 100) {
        run.transcript_.note(s.name, "100 Continue: sending the content");
      } else {
        send_body = false;
        resp = std::move(first);
        if (resp) run.transcript_.note(s.name, "a final status before 100 Continue: the content is not sent");
      }
    }
    if (send_body) {
      std::uint64_t sent = 0;
      bool written = true;
      for (;;) {
        std::string piece = out.body.next(kSendChunk);
        if (piece.empty()) break;
        if (out.chunked) piece = http::encode_chunk(piece);
        written = co_await run.send(s, piece, {&budget, true});
        if (!written) break;
        sent += piece.size();
      }
      if (out.chunked && written) {
        const std::string last(http::kLastChunk);
        written = co_await run.send(s, last, {&budget, true});
      }
      if (sent > kShown) run.transcript_.note(s.name, fmt::format("… request content: {} octets sent", sent));
      if (!written) {
        run.transcript_.note(s.name, "the server stopped reading the content: reading its response");
        st.reconnect = true;
      }
    }
    if (!resp) resp = co_await read_response(run, s, head_request);
    while (resp && resp->interim()) {
      run.transcript_.note(s.name, fmt::format("interim response {}: reading the final one", resp->status));
      resp = co_await read_response(run, s, head_request);
    }
    if (!resp) break;
    after_response(s, *resp, target_path(target));
    const int code = resp->status;
    const bool redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    if (!r.follow || !redirect) break;
    if (hop + 1 > kMaxRedirects) run.fail(step, fmt::format("more than {} redirects", kMaxRedirects));
    std::string why;
    const std::string next = redirect_target(s, resp->header("Location"), target, why);
    if (next.empty()) run.fail(step, "follow: " + why, "a redirect on the same server", resp->header("Location"));
    // RFC 9110 §15.4.4: after 303 the client retrieves the new target with GET (HEAD stays HEAD);
    // §15.4.2/§15.4.3: after 301/302 user agents change POST to GET; 307/308 keep method and content.
    if ((code == 303 && method != "HEAD") || ((code == 301 || code == 302) && method == "POST")) {
      method = "GET";
      with_body = false;
    }
    run.transcript_.note(s.name, fmt::format("following {} to {}", code, next));
    target = next;
  }
  ReplyFacts facts;
  if (resp) facts = facts_of(*resp);
  else facts.closed = true;
  run.verify(step, facts, step.expect, status_is("2xx", "3xx"), method + " " + target_path(target));
  for (const auto& [var, input] : r.fields) {
    if (!resp) break;  // the step expected the close
    auto value = http::input_value(resp->body, run.expand(input));
    if (!value) {
      run.fail(step, "no <input name=\"" + input + "\"> in the response body (fields: " + var + ")",
               "an input named " + input, printable(resp->body.substr(0, 200)));
    }
    run.vars_[var] = *value;
  }
}

// A step that expects only the close: its timeout says the server kept the connection open.
bool expects_only_close(const Step& step) {
  if (!step.expect || step.expect->any_of.empty()) return false;
  for (const auto& e : step.expect->any_of) {
    if (!e.closed) return false;
  }
  return true;
}

asio::awaitable<void> read_and_verify(CaseRun& run, const Step& step, Session& s) {
  const char* what = expects_only_close(step) ? "close of the connection" : "response";
  std::optional<http::Response> resp = co_await read_response(run, s, false, what);
  while (resp && resp->interim() && resp->status != 100) resp = co_await read_response(run, s, false);
  ReplyFacts facts;
  if (resp) {
    facts = facts_of(*resp);
    after_response(s, *resp, "/");
  } else {
    facts.closed = true;
  }
  run.verify(step, facts, step.expect, std::nullopt, "response");
}

}  // namespace

asio::awaitable<void> run_http_step(CaseRun& run, const Step& step) {
  switch (step.kind) {
    case StepKind::http:
      co_await request(run, step);
      break;
    case StepKind::raw:
    case StepKind::send: {
      Session& s0 = run.session(step.session);
      co_await ensure_open(run, step, s0);
      Session& s = run.session(step.session);
      const std::string bytes = step.kind == StepKind::send ? run.expand(step.text) + "\r\n" : run.expand(step.text);
      std::size_t budget = kShown;
      co_await run.send(s, bytes, {&budget});
      const int replies = step.kind == StepKind::raw ? step.replies : 1;
      for (int i = 0; i < replies; ++i) co_await read_and_verify(run, step, s);
      break;
    }
    case StepKind::expect:
      co_await read_and_verify(run, step, run.session(step.session));
      break;
    default:
      run.error(step, std::string("scenario: step '") + to_string(step.kind) + "' is not an HTTP action");
  }
}

}  // namespace facteur::engine
