// The lab's three SMTP ports played by fake servers that share one set of temporary Maildirs and
// one behaviour: MTA (STARTTLS), submission (TLS + AUTH required) and implicit TLS. vars() gives
// the keys of the lab's vars.json pointing at the fakes, so scenarios run unchanged.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "harness/engine/settings.hpp"
#include "harness/scenario/model.hpp"
#include "reports/result.hpp"
#include "tests/support/fake_smtp_server.hpp"
#include "tests/support/maildir.hpp"

namespace facteur::test {

class FakeSmtpLab {
 public:
  // `config.mode` and `config.maildirs` are set per server; the rest is shared.
  explicit FakeSmtpLab(FakeSmtpConfig config = {});

  FakeSmtpServer& smtp() { return *smtp_; }
  FakeSmtpServer& submission() { return *submission_; }
  FakeSmtpServer& smtps() { return *smtps_; }

  // smtp_url, submission_url, smtps_url, cacert, domain, user, password, user2, password2, rcpt,
  // rcpt2, unknown_rcpt, remote_rcpt, maildir, maildir2, message_size_limit. (No LMTP, IMAP or
  // POP3 here: cases that need those variables are skipped by the engine.)
  std::map<std::string, std::string> vars() const;

  // Run settings as the CLI would make them for --target <smtp_url> --vars <vars()> --cacert <test CA>
  // --strict, with short deadlines.
  engine::RunSettings settings(std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(1500)) const;

  // Probes the MTA port like the runner does, then runs the case: what `facteur run` would report.
  report::CaseResult run(const scenario::Scenario& s,
                         std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(1500));

 private:
  std::unique_ptr<TempMaildirs> maildirs_;
  std::unique_ptr<FakeSmtpServer> smtp_, submission_, smtps_;
};

}  // namespace facteur::test
