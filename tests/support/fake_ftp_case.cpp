#include "tests/support/fake_ftp_case.hpp"

#include "tests/support/run_case.hpp"

namespace facteur::testing {

const char* to_string(FtpTransport t) {
  switch (t) {
    case FtpTransport::plain: return "plain";
    case FtpTransport::auth_tls: return "auth_tls";
    case FtpTransport::implicit_tls: return "implicit_tls";
  }
  return "?";
}

scenario::Scenario load_ftp_scenario(const std::string& path) { return scenario::load_scenarios({path}).at(0); }

report::CaseResult run_on_fake_ftp(const scenario::Scenario& s, const FakeFtpFaults& faults, FtpTransport transport) {
  FakeFtpServer server(faults, transport == FtpTransport::implicit_tls ? FakeFtpTls::implicit_tls
                                                                        : FakeFtpTls::explicit_tls);
  engine::RunSettings settings =
      local_settings(transport == FtpTransport::implicit_tls ? "ftps" : "ftp", server.port());
  settings.starttls = transport == FtpTransport::auth_tls;
  settings.vars["ftp_user"] = "tester";
  settings.vars["ftp_password"] = "tester-password";
  settings.reply_timeout = std::chrono::milliseconds(1500);
  settings.case_timeout = std::chrono::milliseconds(15000);
  settings.keep_transcripts = true;
  settings.strict = true;  // a SHOULD case (ABOR under TLS) fails instead of warning, as in a --strict run
  return run_case_sync(s, settings);
}

std::string describe(const report::CaseResult& r) {
  std::string out = "outcome " + std::string(report::to_string(r.outcome)) + ": " + r.message;
  for (const auto& line : r.transcript) out += "\n  " + std::string(1, line.dir) + " " + line.text;
  return out;
}

}  // namespace facteur::testing
