// POP3 probe: CAPA before and after STLS (RFC 2449 §5, RFC 2595 §4); APOP when the greeting has a
// timestamp (RFC 1939 §7). SASL mechanisms are listed as AUTH=MECH, as for the other protocols.
#include <boost/asio/this_coro.hpp>

#include "harness/pop3/capa.hpp"
#include "harness/pop3/response.hpp"
#include "harness/runner/probe_detail.hpp"

namespace facteur::runner::detail {
namespace asio = boost::asio;

namespace {

struct Pop3Prober {
  const engine::RunSettings& settings;
  net::Connection& conn;
  std::string rx;

  asio::awaitable<std::optional<pop3::Response>> exchange(const std::string& command, bool multiline) {
    if (!command.empty()) {
      const std::string wire = command + "\r\n";
      const net::IoResult written = co_await conn.write(wire, net::Clock::now() + settings.reply_timeout);
      if (!written) co_return std::nullopt;
    }
    pop3::ResponseFramer framer(multiline, settings.pop3_limits);
    for (;;) {
      pop3::ParseResult p = framer.feed(rx);
      if (p.status == pop3::ParseStatus::error) co_return std::nullopt;
      if (p.status == pop3::ParseStatus::complete) {
        rx.erase(0, p.consumed);
        co_return std::move(p.response);
      }
      const net::IoResult got = co_await conn.read_some(rx, settings.max_read, net::Clock::now() + settings.reply_timeout);
      if (!got) co_return std::nullopt;
    }
  }
};

void add_capa(engine::Capabilities& caps, const pop3::Response& r) {
  const std::optional<pop3::Capabilities> capa = pop3::parse_capa(r);
  if (!capa) return;
  for (const auto& [name, args] : capa->tags) caps.items.insert(upper(name));
  for (const auto& mech : capa->sasl_mechanisms()) caps.items.insert("AUTH=" + upper(mech));
}

}  // namespace

asio::awaitable<void> probe_pop3(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out) {
  const auto& t = settings.target;
  Pop3Prober p{settings, conn, {}};
  const std::string none;
  std::optional<pop3::Response> greeting = co_await p.exchange(none, false);
  if (!greeting || greeting->kind != pop3::Response::Kind::ok) {
    out.error = "connect: no POP3 greeting from " + t.display();
    co_return;
  }
  out.facts["greeting"] = "+OK " + greeting->text;
  out.caps.probed = true;
  if (greeting->text.find('<') != std::string::npos && greeting->text.find('>') != std::string::npos) {
    out.caps.items.insert("APOP");
  }
  const std::string capa = "CAPA";
  if (auto r = co_await p.exchange(capa, true); r && r->kind == pop3::Response::Kind::ok) add_capa(out.caps, *r);
  if (!t.implicit_tls && out.caps.has("STLS")) {
    const std::string stls = "STLS";
    std::optional<pop3::Response> go = co_await p.exchange(stls, false);
    net::IoResult upgraded{net::FailureKind::tls, "STLS refused"};
    if (go && go->kind == pop3::Response::Kind::ok) {
      upgraded = co_await conn.start_tls(t.host, net::Clock::now() + settings.reply_timeout);
    }
    if (!upgraded) {
      out.facts["tls"] = "STLS announced but failed";
      co_return;
    }
    out.caps.items.insert("TLS");
    out.facts["tls"] = conn.tls_info().version;
    if (auto r = co_await p.exchange(capa, true); r && r->kind == pop3::Response::Kind::ok) add_capa(out.caps, *r);
  }
  const std::string quit = "QUIT";
  (void)co_await p.exchange(quit, false);
}

}  // namespace facteur::runner::detail
