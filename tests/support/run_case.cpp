#include "tests/support/run_case.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "harness/net/tls_options.hpp"

namespace facteur::testing {

report::CaseResult run_case_sync(const scenario::Scenario& s, const engine::RunSettings& settings,
                                 const engine::Capabilities& caps) {
  boost::asio::io_context io;
  std::optional<report::CaseResult> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, engine::run_case(s, settings, caps),
                        [&](std::exception_ptr e, report::CaseResult r) {
                          failure = e;
                          if (!e) out = std::move(r);
                        });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return *out;
}

engine::RunSettings local_settings(const std::string& scheme, std::uint16_t port) {
  engine::RunSettings s;
  s.target = *parse_target_url(scheme + "://127.0.0.1:" + std::to_string(port));
  net::TlsOptions tls;
  tls.verify = false;
  s.tls = net::make_client_context(tls);
  s.connect_timeout = std::chrono::milliseconds(1000);
  s.reply_timeout = std::chrono::milliseconds(500);
  s.case_timeout = std::chrono::milliseconds(5000);
  return s;
}

scenario::Scenario inline_scenario(const std::string& json) { return scenario::parse_scenario(json, "inline.json"); }

}  // namespace facteur::testing
