// FTP cases about TLS itself proven able to fail. Behind AUTH TLS the mutating proxy is blind, so
// against vsftpd these cases can only be made to fail at their 234; the fake FTP server
// (tests/support/fake_ftp_server.hpp) misbehaves inside TLS instead: PROT P said and not done, an
// unknown PROT level accepted, no handshake after 234, ABOR not answered, CCC said and not done
// (vsftpd has no CCC at all). Each row runs one shipped scenario against the well-behaved fake (the
// positive control: it must pass), then with one fault (it must fail, not error, with a message
// holding `why`). The sessions start in plain text: each
// case does its own AUTH TLS. No lab needed; FACTEUR_NEGATIVE_TRANSCRIPT=1 prints the positive
// control's exchange.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/negative_ftp_rows.hpp"
#include "tests/support/outcome_printer.hpp"

namespace facteur::test {

namespace fs = std::filesystem;
using testing::FakeFtpFaults;
using testing::FakeFtpRow;
using testing::FtpTransport;

namespace {

// One switch of FakeFtpFaults on.
FakeFtpFaults with(bool FakeFtpFaults::*fault) {
  FakeFtpFaults f;
  f.*fault = true;
  return f;
}

}  // namespace

const std::vector<FakeFtpRow>& ftp_tls_rows() {
  using F = FakeFtpFaults;
  static const std::vector<FakeFtpRow> r{
      {"AUTH TLS answered 234, no handshake follows", "4217/4-auth-tls-234.json", with(&F::auth_no_handshake),
       "the server said 234 to AUTH TLS (RFC 4217 §4) but the TLS handshake failed"},
      {"a clear-text line after the 234", "4217/4-auth-tls-234.json", with(&F::auth_clear_after_234),
       "the server sent data after its 234 to AUTH TLS, before the TLS handshake"},
      {"PROT P answered 200, data still in clear text", "4217/9-prot-p-data-protected.json", with(&F::prot_p_clear),
       "TLS on the data connection failed"},
      {"PROT P after PROT C answered 200, data still in clear text", "4217/9-prot-c-then-p.json",
       with(&F::prot_p_after_c_clear), "TLS on the data connection failed"},
      {"PROT P answered 200, data still in clear text", "4217/9-prot-c-then-p.json", with(&F::prot_p_clear),
       "TLS on the data connection failed"},
      {"unknown PROT levels accepted with 200", "2228/3-prot-unknown-level-refused.json", with(&F::prot_any_level),
       "reply code 200 is not acceptable"},
      {"ABOR inside TLS not answered", "4217/14-abor-during-protected-download.json", with(&F::ignore_abor),
       "no reply to ABOR"},
      {"ABOR after the urgent Synch not answered", "959/4.1.3-abor-during-download.json", with(&F::ignore_abor),
       "no reply to ABOR"},
      {"CCC answered 200, the control connection stays TLS", "4217/5-ccc-clears-control-channel.json",
       with(&F::ccc_keeps_tls), "the server answered 200 to CCC but did not end TLS on the control connection"},
      {"CCC announced, then refused with 500", "4217/5-ccc-clears-control-channel.json", with(&F::ccc_refused),
       "reply code 500 is not acceptable"},
  };
  return r;
}

namespace {

class NegativeFtpTls : public ::testing::TestWithParam<FakeFtpRow> {};

TEST_P(NegativeFtpTls, FailsAgainstTheFaultyServer) {
  const FakeFtpRow& row = GetParam();
  const fs::path file = fs::path(FACTEUR_SOURCE_DIR) / "scenarios/ftp" / row.scenario;
  const scenario::Scenario s = testing::load_ftp_scenario(file.string());
  const report::CaseResult good = testing::run_on_fake_ftp(s, {}, FtpTransport::plain);
  ASSERT_EQ(good.outcome, report::Outcome::pass) << "positive control (no fault): " << testing::describe(good);
  if (std::getenv("FACTEUR_NEGATIVE_TRANSCRIPT")) std::cout << testing::describe(good) << std::endl;
  const report::CaseResult bad = testing::run_on_fake_ftp(s, row.faults, FtpTransport::plain);
  std::cout << "[negative] " << s.id << " | " << row.name << " | " << report::to_string(bad.outcome) << " | "
            << bad.message << std::endl;
  EXPECT_EQ(bad.outcome, report::Outcome::fail) << testing::describe(bad);
  EXPECT_THAT(bad.message, ::testing::HasSubstr(row.why)) << testing::describe(bad);
}

std::string row_name(const ::testing::TestParamInfo<FakeFtpRow>& info) {
  std::string name = std::to_string(info.index) + "_";
  for (char c : info.param.scenario) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Faults, NegativeFtpTls, ::testing::ValuesIn(ftp_tls_rows()), row_name);

}  // namespace
}  // namespace facteur::test
