#include "harness/runner/probe.hpp"

#include <boost/asio/this_coro.hpp>

#include "harness/engine/smtp_steps.hpp"
#include "harness/net/connection.hpp"
#include "harness/runner/probe_detail.hpp"

namespace facteur::runner {
namespace asio = boost::asio;

namespace {

struct Prober {
  const engine::RunSettings& settings;
  net::Connection& conn;
  std::string rx;

  asio::awaitable<std::optional<engine::ReplyFacts>> exchange(std::string_view command) {
    if (!command.empty()) {
      const net::IoResult written = co_await conn.write(command, net::Clock::now() + settings.reply_timeout);
      if (!written) co_return std::nullopt;
    }
    for (;;) {
      auto framed = engine::frame_smtp_reply(rx, settings.limits);
      if (framed.status == engine::FramedReply::Status::complete) {
        rx.erase(0, framed.consumed);
        co_return framed.facts;
      }
      if (framed.status == engine::FramedReply::Status::error) co_return std::nullopt;
      const net::IoResult got = co_await conn.read_some(rx, settings.max_read, net::Clock::now() + settings.reply_timeout);
      if (!got) co_return std::nullopt;
    }
  }
};

void add_extensions(engine::Capabilities& caps, const smtp::Extensions& ext) {
  for (const auto& [keyword, params] : ext.keywords) {
    caps.items.insert(keyword);
    for (const auto& p : params) {
      std::string upper;
      for (char c : p) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      caps.items.insert(keyword + "=" + upper);
    }
  }
}

}  // namespace

namespace detail {

asio::awaitable<void> probe_smtp(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out) {
  const auto& t = settings.target;
  Prober p{settings, conn, {}};
  auto greeting = co_await p.exchange("");
  if (!greeting) {
    out.error = "connect: no greeting from " + t.display();
    co_return;
  }
  out.facts["greeting"] = greeting->summary();
  out.caps.probed = true;
  auto ehlo = co_await p.exchange("EHLO probe.facteur.test\r\n");
  if (ehlo && !ehlo->extensions && !ehlo->extensions_error.empty()) {
    // Cases that require an extension are then skipped: say why the target seems to announce none.
    out.facts["ehlo"] = "the EHLO reply does not parse: " + ehlo->extensions_error;
  }
  if (!ehlo || !ehlo->extensions) co_return;
  add_extensions(out.caps, *ehlo->extensions);
  if (!t.implicit_tls && ehlo->extensions->has("STARTTLS")) {
    auto go = co_await p.exchange("STARTTLS\r\n");
    net::IoResult upgraded{net::FailureKind::tls, "STARTTLS refused"};
    if (go && go->status == "220") upgraded = co_await conn.start_tls(t.host, net::Clock::now() + settings.reply_timeout);
    if (upgraded) {
      out.caps.items.insert("TLS");
      out.facts["tls"] = conn.tls_info().version;
      if (auto after = co_await p.exchange("EHLO probe.facteur.test\r\n"); after && after->extensions) {
        add_extensions(out.caps, *after->extensions);
      }
    } else {
      out.facts["tls"] = "STARTTLS announced but failed";
    }
  }
  (void)co_await p.exchange("QUIT\r\n");
}

}  // namespace detail

asio::awaitable<ProbeResult> probe(const engine::RunSettings& settings) {
  ProbeResult out;
  const auto& t = settings.target;
  if (t.protocol == Protocol::http) co_return out;  // nothing to announce: every case runs
  net::Connection conn(co_await asio::this_coro::executor, settings.tls);
  auto r = co_await conn.connect(t.host, t.port, net::Clock::now() + settings.connect_timeout);
  if (!r) {
    out.error = "connect: " + r.detail;
    co_return out;
  }
  if (t.implicit_tls) {
    r = co_await conn.start_tls(t.host, net::Clock::now() + settings.reply_timeout);
    if (!r) {
      out.error = "tls: " + r.detail;
      co_return out;
    }
    out.caps.items.insert("TLS");
    out.facts["tls"] = conn.tls_info().version;
  }
  switch (t.protocol) {
    case Protocol::imap: co_await detail::probe_imap(settings, conn, out); break;
    case Protocol::pop3: co_await detail::probe_pop3(settings, conn, out); break;
    case Protocol::ftp: co_await detail::probe_ftp(settings, conn, out); break;
    default: co_await detail::probe_smtp(settings, conn, out); break;
  }
  co_return out;
}

}  // namespace facteur::runner
