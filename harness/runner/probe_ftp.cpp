// FTP probe: FEAT before and after AUTH TLS (RFC 2389 §3, RFC 4217 §4). Each feature is listed by
// its label ("EPSV", "MLST"), with its parameters as sent ("AUTH TLS", "REST STREAM") and one
// "LABEL=PARAM" per parameter ("AUTH=TLS"), upper-cased like the other protocols' capabilities.
#include <boost/asio/this_coro.hpp>

#include "harness/ftp/features.hpp"
#include "harness/ftp/reply.hpp"
#include "harness/runner/probe_detail.hpp"

namespace facteur::runner::detail {
namespace asio = boost::asio;

namespace {

struct FtpProber {
  const engine::RunSettings& settings;
  net::Connection& conn;
  std::string rx;

  asio::awaitable<std::optional<ftp::Reply>> exchange(const std::string& command) {
    if (!command.empty()) {
      const std::string wire = command + "\r\n";
      const net::IoResult written = co_await conn.write(wire, net::Clock::now() + settings.reply_timeout);
      if (!written) co_return std::nullopt;
    }
    ftp::ReplyFramer framer;
    for (;;) {
      ftp::ReplyParse p = framer.feed(rx);
      if (p.status == ftp::ParseStatus::error) co_return std::nullopt;
      if (p.status == ftp::ParseStatus::complete) {
        rx.erase(0, p.consumed);
        co_return std::move(p.reply);
      }
      const net::IoResult got = co_await conn.read_some(rx, settings.max_read, net::Clock::now() + settings.reply_timeout);
      if (!got) co_return std::nullopt;
    }
  }
};

void add_features(engine::Capabilities& caps, const ftp::Reply& reply) {
  const ftp::Parsed<ftp::Features> feat = ftp::parse_feat(reply);
  if (!feat.ok()) return;
  for (const auto& [label, params] : feat.value.labels) {
    caps.items.insert(upper(label));
    if (params.empty()) continue;
    caps.items.insert(upper(label + " " + params));
    std::size_t start = 0;
    while (start < params.size()) {
      auto end = params.find_first_of(" ;", start);
      if (end == std::string::npos) end = params.size();
      if (end > start) caps.items.insert(upper(label + "=" + params.substr(start, end - start)));
      start = end + 1;
    }
  }
}

}  // namespace

asio::awaitable<void> probe_ftp(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out) {
  const auto& t = settings.target;
  FtpProber p{settings, conn, {}};
  const std::string none;
  std::optional<ftp::Reply> greeting = co_await p.exchange(none);
  if (greeting && greeting->code == 120) greeting = co_await p.exchange(none);  // RFC 959 §5.4: 220 follows
  if (!greeting || greeting->code != 220) {
    out.error = "connect: no FTP greeting (220) from " + t.display();
    co_return;
  }
  out.facts["greeting"] = "220 " + greeting->text();
  out.caps.probed = true;
  const std::string feat = "FEAT";
  if (auto r = co_await p.exchange(feat)) add_features(out.caps, *r);
  if (!t.implicit_tls && out.caps.has("AUTH=TLS")) {
    const std::string auth = "AUTH TLS";
    std::optional<ftp::Reply> go = co_await p.exchange(auth);
    net::IoResult upgraded{net::FailureKind::tls, "AUTH TLS refused"};
    if (go && go->code == 234) upgraded = co_await conn.start_tls(t.host, net::Clock::now() + settings.reply_timeout);
    if (!upgraded) {
      out.facts["tls"] = "AUTH TLS announced but failed";
      co_return;
    }
    out.caps.items.insert("TLS");
    out.facts["tls"] = conn.tls_info().version;
    if (auto r = co_await p.exchange(feat)) add_features(out.caps, *r);
  }
  const std::string quit = "QUIT";
  (void)co_await p.exchange(quit);
}

}  // namespace facteur::runner::detail
