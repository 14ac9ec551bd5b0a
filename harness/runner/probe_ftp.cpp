// FTP probe: FEAT before and after AUTH TLS (RFC 2389 §3, RFC 4217 §6). Each feature becomes a
// capability by its label ("MLST", "EPSV", "UTF8") and, for each word of its parameters,
// LABEL=WORD ("AUTH=TLS", "REST=STREAM"), so a scenario can require "REST=STREAM" or "MLST".
// A server that does not know FEAT (500/502) announces nothing: cases that need a feature skip.
#include <sstream>

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

  // Sends `command` (none for the greeting) and reads its final reply: preliminary 1yz replies
  // (a 120 before the 220 greeting) are skipped.
  asio::awaitable<std::optional<ftp::Reply>> exchange(const std::string& command) {
    if (!command.empty()) {
      const std::string wire = command + "\r\n";
      const net::IoResult written = co_await conn.write(wire, net::Clock::now() + settings.reply_timeout);
      if (!written) co_return std::nullopt;
    }
    const net::Deadline deadline = net::Clock::now() + settings.reply_timeout;
    for (;;) {
      ftp::ReplyParse p = ftp::parse_reply(rx);
      if (p.status == ftp::ParseStatus::error) co_return std::nullopt;
      if (p.status == ftp::ParseStatus::complete) {
        rx.erase(0, p.consumed);
        if (p.reply.preliminary()) continue;
        co_return std::move(p.reply);
      }
      const net::IoResult got = co_await conn.read_some(rx, settings.max_read, deadline);
      if (!got) co_return std::nullopt;
    }
  }
};

void add_features(engine::Capabilities& caps, const ftp::Reply& reply) {
  const ftp::Parsed<ftp::Features> feat = ftp::parse_feat(reply);
  if (!feat.ok() || !feat.value.supported) return;
  for (const auto& [label, params] : feat.value.labels) {
    caps.items.insert(label);  // labels are upper-cased by the parser
    std::istringstream words(params);
    for (std::string word; words >> word;) {
      // MLST's fact list ("type*;size*;modify*;") is one word: a scenario requires "MLST".
      if (word.find(';') == std::string::npos) caps.items.insert(label + "=" + upper(word));
    }
  }
}

}  // namespace

asio::awaitable<void> probe_ftp(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out) {
  const auto& t = settings.target;
  FtpProber p{settings, conn, {}};
  const std::string none;
  std::optional<ftp::Reply> greeting = co_await p.exchange(none);
  if (!greeting || greeting->code != 220) {
    out.error = "connect: no FTP greeting (220) from " + t.display();
    co_return;
  }
  out.facts["greeting"] = "220 " + (greeting->lines.empty() ? std::string() : greeting->lines.front());
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
