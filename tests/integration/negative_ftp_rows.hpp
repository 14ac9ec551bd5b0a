// The fake FTP server's negative rows, shared by the tests that run them and the check that every
// scenario under scenarios/ftp is proven able to fail (negative_ftp_coverage_test.cpp).
#pragma once

#include <vector>

#include "tests/support/fake_ftp_case.hpp"

namespace facteur::test {

const std::vector<testing::FakeFtpRow>& ftp_data_rows();  // negative_ftp_data_test.cpp
const std::vector<testing::FakeFtpRow>& ftp_tls_rows();   // negative_ftp_tls_test.cpp

}  // namespace facteur::test
