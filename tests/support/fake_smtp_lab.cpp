#include "tests/support/fake_smtp_lab.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "harness/net/tls_options.hpp"
#include "harness/runner/probe.hpp"
#include "tests/support/run_case.hpp"
#include "tests/support/test_certs.hpp"

namespace facteur::test {

FakeSmtpLab::FakeSmtpLab(FakeSmtpConfig base) {
  maildirs_ = std::make_unique<TempMaildirs>(base.passwords);
  base.maildirs = maildirs_->maildirs();
  auto make = [&](FakeSmtpMode mode) {
    FakeSmtpConfig config = base;
    config.mode = mode;
    return std::make_unique<FakeSmtpServer>(std::move(config));
  };
  smtp_ = make(FakeSmtpMode::mta);
  submission_ = make(FakeSmtpMode::submission);
  smtps_ = make(FakeSmtpMode::implicit_tls);
}

std::map<std::string, std::string> FakeSmtpLab::vars() const {
  const auto& config = smtp_->config();
  std::map<std::string, std::string> v{
      {"smtp_url", smtp_->url()},
      {"submission_url", submission_->url()},
      {"smtps_url", smtps_->url()},
      {"cacert", test_certificates().ca_file},
      {"domain", config.domain},
      {"message_size_limit", std::to_string(config.size_limit)},
      {"unknown_rcpt", "nobody@" + config.domain},
      {"remote_rcpt", "someone@remote.example"},
  };
  // The first two users play alice and bob.
  int n = 0;
  for (const auto& [user, password] : config.passwords) {
    const std::string suffix = n == 0 ? "" : std::to_string(n + 1);
    v["user" + suffix] = user;
    v["password" + suffix] = password;
    v["rcpt" + suffix] = user;
    v["maildir" + suffix] = smtp_->maildir(user);
    if (++n == 2) break;
  }
  return v;
}

engine::RunSettings FakeSmtpLab::settings(std::chrono::milliseconds reply_timeout) const {
  engine::RunSettings s;
  s.target = *parse_target_url(smtp_->url());
  for (const auto& [k, v] : vars()) s.vars[k] = v;
  net::TlsOptions tls;
  tls.verify = true;
  tls.ca_file = test_certificates().ca_file;
  s.tls = net::make_client_context(tls);
  s.connect_timeout = std::chrono::milliseconds(2000);
  s.reply_timeout = reply_timeout;
  s.case_timeout = std::chrono::milliseconds(30000);
  s.strict = true;  // a SHOULD case that fails must say "fail", not "warn"
  return s;
}

report::CaseResult FakeSmtpLab::run(const scenario::Scenario& s, std::chrono::milliseconds reply_timeout) {
  const engine::RunSettings run_settings = settings(reply_timeout);
  engine::Capabilities caps;
  {
    boost::asio::io_context io;
    boost::asio::co_spawn(io, runner::probe(run_settings), [&](std::exception_ptr e, runner::ProbeResult r) {
      if (!e) caps = std::move(r.caps);
    });
    io.run();
  }
  return testing::run_case_sync(s, run_settings, caps);
}

}  // namespace facteur::test
