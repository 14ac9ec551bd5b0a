// FTP cases proven able to fail where the mutating proxy cannot help: the proxy sits on the control
// connection only, so a download cut short, a data connection never opened, or data that differ
// need a server of the test's own (tests/support/fake_ftp_server.hpp). Each row runs one shipped
// scenario against the well-behaved fake server (it must pass: the positive control) and then with
// one fault (it must fail, not error, with a message holding `why`), over each transport: plain
// text, AUTH TLS with PROT P (TLS data connections) and implicit TLS. No lab needed;
// FACTEUR_NEGATIVE_TRANSCRIPT=1 prints the positive control's exchange.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <tuple>
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

FakeFtpFaults truncated() {
  FakeFtpFaults f;
  f.truncate_retr = 50000;
  return f;
}
FakeFtpFaults never_connects() {
  FakeFtpFaults f;
  f.never_connect = true;
  return f;
}
FakeFtpFaults dead_passive() {
  FakeFtpFaults f;
  f.dead_passive_port = true;
  return f;
}
FakeFtpFaults ignores_rest() {
  FakeFtpFaults f;
  f.ignore_rest = true;
  return f;
}
FakeFtpFaults size_plus_one() {
  FakeFtpFaults f;
  f.size_delta = 1;
  return f;
}

}  // namespace

const std::vector<FakeFtpRow>& ftp_data_rows() {
  static const std::vector<FakeFtpRow> r{
      {"truncated RETR still answered 226", "959/3.1.1.3-type-i-roundtrip-exact.json", truncated(), "truncated transfer: 50000 octets of the 262144 expected"},
      {"truncated RETR still answered 226", "3659/4-size-type-i-equals-retr.json", truncated(), "50000 octets"},
      {"active-mode data connection never opened", "959/3.2-port-active-transfer.json", never_connects(), "did not open the data connection"},
      {"active-mode data connection never opened", "2428/2-eprt-active-transfer.json", never_connects(), "did not open the data connection"},
      {"PASV names a port nobody listens on", "1123/4.1.2.6-pasv-227-host-port.json", dead_passive(), "Connection refused"},
      {"EPSV names a port nobody listens on", "2428/3-epsv-229-port-only.json", dead_passive(), "Connection refused"},
      {"REST answered 350 and ignored", "3659/5-rest-stream-resumes-retr.json", ignores_rest(), "differs from the seeded stream"},
      {"SIZE off by one", "3659/4-size-type-i-equals-retr.json", size_plus_one(), "text does not match"},
      // vsftpd has no MLST/MLSD (the proxy's table skips them): the fake is their only proof.
      {"MLST size fact off by one", "3659/7-mlst-facts-match-size-mdtm.json", size_plus_one(), "text does not match"},
      {"MLSD size fact off by one", "3659/7-mlsd-lists-directory.json", size_plus_one(), "no line of the data matches"},
  };
  return r;
}

namespace {

using Param = std::tuple<FakeFtpRow, FtpTransport>;

class NegativeFtpData : public ::testing::TestWithParam<Param> {};

TEST_P(NegativeFtpData, FailsAgainstTheFaultyServer) {
  const auto& [row, transport] = GetParam();
  const fs::path file = fs::path(FACTEUR_SOURCE_DIR) / "scenarios/ftp" / row.scenario;
  const scenario::Scenario s = testing::load_ftp_scenario(file.string());
  const report::CaseResult good = testing::run_on_fake_ftp(s, {}, transport);
  ASSERT_EQ(good.outcome, report::Outcome::pass) << "positive control (no fault): " << testing::describe(good);
  if (std::getenv("FACTEUR_NEGATIVE_TRANSCRIPT")) std::cout << testing::describe(good) << std::endl;
  const report::CaseResult bad = testing::run_on_fake_ftp(s, row.faults, transport);
  std::cout << "[negative] " << s.id << " | " << to_string(transport) << " | " << row.name << " | "
            << report::to_string(bad.outcome) << " | " << bad.message << std::endl;
  EXPECT_EQ(bad.outcome, report::Outcome::fail) << testing::describe(bad);
  EXPECT_THAT(bad.message, ::testing::HasSubstr(row.why)) << testing::describe(bad);
}

std::string row_name(const ::testing::TestParamInfo<Param>& info) {
  std::string name = std::to_string(info.index) + "_" + to_string(std::get<1>(info.param)) + "_";
  for (char c : std::get<0>(info.param).scenario) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Faults, NegativeFtpData,
                         ::testing::Combine(::testing::ValuesIn(ftp_data_rows()),
                                            ::testing::Values(FtpTransport::plain, FtpTransport::auth_tls,
                                                              FtpTransport::implicit_tls)),
                         row_name);

}  // namespace
}  // namespace facteur::test
