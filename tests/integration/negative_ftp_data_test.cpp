// FTP cases proven able to fail where the mutating proxy cannot help: the proxy sits on the control
// connection only, so a download cut short, a data connection never opened, or data that differ
// need a server of the test's own (tests/support/fake_ftp_server.hpp). Each row runs one shipped
// scenario against the well-behaved fake server (it must pass: the positive control) and then with
// one fault (it must fail, not error, with a message holding `why`). No lab needed.
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"
#include "tests/support/fake_ftp_server.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::test {
namespace {

namespace fs = std::filesystem;
using testing::FakeFtpFaults;
using testing::FakeFtpServer;

struct Row {
  std::string name;      // the misbehaviour
  std::string scenario;  // file under scenarios/ftp
  FakeFtpFaults faults;
  std::string why;       // substring of the failure message
};

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

const std::vector<Row>& rows() {
  static const std::vector<Row> r{
      {"truncated RETR still answered 226", "959/3.1.1.3-type-i-roundtrip-exact.json", truncated(), "truncated transfer: 50000 octets of the 262144 expected"},
      {"truncated RETR still answered 226", "3659/4-size-type-i-equals-retr.json", truncated(), "50000 octets"},
      {"active-mode data connection never opened", "959/3.2-port-active-transfer.json", never_connects(), "did not open the data connection"},
      {"active-mode data connection never opened", "2428/2-eprt-active-transfer.json", never_connects(), "did not open the data connection"},
      {"PASV names a port nobody listens on", "1123/4.1.2.6-pasv-227-host-port.json", dead_passive(), "Connection refused"},
      {"EPSV names a port nobody listens on", "2428/3-epsv-229-port-only.json", dead_passive(), "Connection refused"},
      {"REST answered 350 and ignored", "3659/5-rest-stream-resumes-retr.json", ignores_rest(), "differs from the seeded stream"},
      {"SIZE off by one", "3659/4-size-type-i-equals-retr.json", size_plus_one(), "text does not match"},
  };
  return r;
}

scenario::Scenario load(const std::string& file) {
  const fs::path path = fs::path(FACTEUR_SOURCE_DIR) / "scenarios/ftp" / file;
  auto all = scenario::load_scenarios({path.string()});
  return all.at(0);
}

report::CaseResult run(const scenario::Scenario& s, const FakeFtpFaults& faults) {
  FakeFtpServer server(faults);
  engine::RunSettings settings = testing::local_settings("ftp", server.port());
  settings.vars["ftp_user"] = "tester";
  settings.vars["ftp_password"] = "tester-password";
  settings.reply_timeout = std::chrono::milliseconds(1500);
  settings.case_timeout = std::chrono::milliseconds(15000);
  settings.keep_transcripts = true;
  return testing::run_case_sync(s, settings);
}

std::string transcript(const report::CaseResult& r) {
  std::string out = "outcome " + std::string(report::to_string(r.outcome)) + ": " + r.message;
  for (const auto& line : r.transcript) out += "\n  " + std::string(1, line.dir) + " " + line.text;
  return out;
}

class NegativeFtpData : public ::testing::TestWithParam<Row> {};

TEST_P(NegativeFtpData, FailsAgainstTheFaultyServer) {
  const Row& row = GetParam();
  const scenario::Scenario s = load(row.scenario);
  const report::CaseResult good = run(s, {});
  ASSERT_EQ(good.outcome, report::Outcome::pass) << "positive control (no fault): " << transcript(good);
  const report::CaseResult bad = run(s, row.faults);
  std::cout << "[negative] " << s.id << " | " << row.name << " | " << report::to_string(bad.outcome) << " | "
            << bad.message << std::endl;
  EXPECT_EQ(bad.outcome, report::Outcome::fail) << transcript(bad);
  EXPECT_THAT(bad.message, ::testing::HasSubstr(row.why)) << transcript(bad);
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name = std::to_string(info.index) + "_";
  for (char c : info.param.scenario) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Faults, NegativeFtpData, ::testing::ValuesIn(rows()), row_name);

}  // namespace
}  // namespace facteur::test
