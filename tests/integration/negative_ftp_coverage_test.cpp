// Every FTP scenario is proven able to fail somewhere: by a variant of its entry in
// negatives/ftp*.json (the mutating proxy in front of vsftpd, negative_proxy_test.cpp), by its
// entry there being "baselined" (vsftpd itself fails it: the unmutated run is the proof), or by a
// row of the fake FTP server (negative_ftp_data_test.cpp, negative_ftp_tls_test.cpp). An entry
// that is only "skipped" proves nothing. Known gaps are listed with their reason, and a gap that
// has since been closed must leave the list.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/integration/negative_ftp_rows.hpp"

namespace facteur::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = FACTEUR_SOURCE_DIR;

// Cases nothing proves able to fail yet, and why.
const std::map<std::string, std::string>& known_gaps() {
  static const std::map<std::string, std::string> gaps{};
  return gaps;
}

std::set<std::string> proven_by_the_proxy() {
  std::set<std::string> ids;
  for (const auto& e : fs::directory_iterator(kSource / "tests/integration/negatives")) {
    const std::string name = e.path().filename().string();
    if (name.rfind("ftp", 0) != 0 || e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    const nlohmann::json table = nlohmann::json::parse(in);
    for (const auto& [id, entry] : table.items()) {
      if ((entry.is_array() && !entry.empty()) || (entry.is_object() && entry.contains("baselined"))) ids.insert(id);
    }
  }
  return ids;
}

std::set<std::string> proven_by_the_fake() {
  std::set<std::string> ids;
  for (const auto* rows : {&ftp_data_rows(), &ftp_tls_rows()}) {
    for (const auto& row : *rows) {
      ids.insert(testing::load_ftp_scenario((kSource / "scenarios/ftp" / row.scenario).string()).id);
    }
  }
  return ids;
}

TEST(NegativeFtpCoverage, EveryScenarioIsProvenAbleToFail) {
  const std::set<std::string> proxy = proven_by_the_proxy();
  const std::set<std::string> fake = proven_by_the_fake();
  const auto all = scenario::load_scenarios({(kSource / "scenarios/ftp").string()});
  ASSERT_GT(all.size(), 0u);
  std::string unproven, closed_gaps;
  for (const auto& s : all) {
    const bool proven = proxy.count(s.id) > 0 || fake.count(s.id) > 0;
    const bool gap = known_gaps().count(s.id) > 0;
    if (!proven && !gap) unproven += "\n  " + s.id;
    if (proven && gap) closed_gaps += "\n  " + s.id;
  }
  EXPECT_EQ(unproven, "") << "FTP scenarios no negative names (add a variant to negatives/ftp.json or a fake-server row)";
  EXPECT_EQ(closed_gaps, "") << "proven now: remove them from known_gaps()";
}

TEST(NegativeFtpCoverage, FakeRowsNameShippedScenarios) {
  for (const auto* rows : {&ftp_data_rows(), &ftp_tls_rows()}) {
    for (const auto& row : *rows) {
      EXPECT_TRUE(fs::is_regular_file(kSource / "scenarios/ftp" / row.scenario)) << row.scenario;
      EXPECT_FALSE(row.why.empty()) << row.scenario << ": " << row.name;
    }
  }
}

}  // namespace
}  // namespace facteur::test
