// Runs one shipped FTP scenario against the fake FTP server (fake_ftp_server.hpp), the way the
// FTP negative tests do: over plain text, over AUTH TLS for the whole session (facteur's --starttls:
// AUTH TLS, PBSZ 0, PROT P, so every data connection is TLS too) or over implicit TLS (ftps://).
#pragma once

#include <string>

#include "reports/result.hpp"
#include "harness/scenario/loader.hpp"
#include "tests/support/fake_ftp_server.hpp"

namespace facteur::testing {

enum class FtpTransport { plain, auth_tls, implicit_tls };
const char* to_string(FtpTransport t);

// One misbehaviour of the fake that must make one scenario fail.
struct FakeFtpRow {
  std::string name;      // the misbehaviour
  std::string scenario;  // file under scenarios/ftp
  FakeFtpFaults faults;
  std::string why;       // substring of the failure message
};

scenario::Scenario load_ftp_scenario(const std::string& path);
report::CaseResult run_on_fake_ftp(const scenario::Scenario& s, const FakeFtpFaults& faults, FtpTransport transport);
// The outcome, message and transcript, for a failed expectation.
std::string describe(const report::CaseResult& r);

}  // namespace facteur::testing
