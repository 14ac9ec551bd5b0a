// IMAP probe: CAPABILITY before and after STARTTLS, and after LOGIN when the run has an IMAP
// account (servers announce more once authenticated: RFC 9051 §7.2.2).
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "harness/imap/response.hpp"
#include "harness/runner/probe_detail.hpp"

namespace facteur::runner::detail {
namespace asio = boost::asio;

namespace {

struct ImapProber {
  const engine::RunSettings& settings;
  net::Connection& conn;
  std::string rx;
  int next = 1;

  // Reads responses until the completion of `tag` ("" = one response); gathers capabilities.
  asio::awaitable<std::optional<imap::Response>> until(const std::string& tag, engine::Capabilities& caps) {
    for (;;) {
      imap::ParseResult p = imap::parse_response(rx, settings.imap_limits);
      if (p.status == imap::ParseStatus::error) co_return std::nullopt;
      if (p.status == imap::ParseStatus::complete) {
        rx.erase(0, p.consumed);
        const imap::Response& r = p.response;
        const std::vector<imap::Value>* list = nullptr;
        if (r.kind == imap::Response::Kind::untagged && r.name == "CAPABILITY") list = &r.data;
        else if (r.code == "CAPABILITY") list = &r.code_args;
        if (list) {
          for (const auto& v : *list) caps.items.insert(upper(v.text));
        }
        if (tag.empty() || (r.kind == imap::Response::Kind::tagged && r.tag == tag)) co_return p.response;
        continue;
      }
      const net::IoResult got = co_await conn.read_some(rx, settings.max_read, net::Clock::now() + settings.reply_timeout);
      if (!got) co_return std::nullopt;
    }
  }

  asio::awaitable<std::optional<imap::Response>> command(const std::string& text, engine::Capabilities& caps) {
    const std::string tag = fmt::format("P{}", next++);
    const std::string wire = tag + " " + text + "\r\n";
    const net::IoResult written = co_await conn.write(wire, net::Clock::now() + settings.reply_timeout);
    if (!written) co_return std::nullopt;
    std::optional<imap::Response> r = co_await until(tag, caps);
    co_return r;
  }
};

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string var(const engine::RunSettings& settings, const char* name) {
  auto it = settings.vars.find(name);
  return it == settings.vars.end() ? std::string() : it->second;
}

}  // namespace

asio::awaitable<void> probe_imap(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out) {
  const auto& t = settings.target;
  ImapProber p{settings, conn, {}};
  const std::string none;
  std::optional<imap::Response> greeting = co_await p.until(none, out.caps);
  if (!greeting || greeting->kind != imap::Response::Kind::untagged) {
    out.error = "connect: no IMAP greeting from " + t.display();
    co_return;
  }
  out.facts["greeting"] = greeting->status + " " + greeting->text;
  out.caps.probed = true;
  const std::string capability = "CAPABILITY";
  (void)co_await p.command(capability, out.caps);
  if (!t.implicit_tls && out.caps.has("STARTTLS")) {
    const std::string starttls = "STARTTLS";
    std::optional<imap::Response> go = co_await p.command(starttls, out.caps);
    net::IoResult upgraded{net::FailureKind::tls, "STARTTLS refused"};
    if (go && go->status == "OK") upgraded = co_await conn.start_tls(t.host, net::Clock::now() + settings.reply_timeout);
    if (!upgraded) {
      out.facts["tls"] = "STARTTLS announced but failed";
      co_return;
    }
    out.caps.items.insert("TLS");
    out.facts["tls"] = conn.tls_info().version;
    (void)co_await p.command(capability, out.caps);
  }
  const std::string user = var(settings, "imap_user"), password = var(settings, "imap_password");
  if (!user.empty() && !password.empty() && !out.caps.has("LOGINDISABLED")) {
    const std::string login = "LOGIN " + quoted(user) + " " + quoted(password);
    std::optional<imap::Response> done = co_await p.command(login, out.caps);
    if (done && done->status == "OK") {
      (void)co_await p.command(capability, out.caps);
      out.facts["imap_login"] = "ok";
    } else {
      out.facts["imap_login"] = done ? done->status + " " + done->text : "no answer";
    }
  }
  const std::string logout = "LOGOUT";
  (void)co_await p.command(logout, out.caps);
}

}  // namespace facteur::runner::detail
