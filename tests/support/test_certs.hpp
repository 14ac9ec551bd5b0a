// Throw-away TLS material for tests: a CA and a server certificate for 127.0.0.1, localhost and
// mail.lab.test, generated with the OpenSSL API the first time they are asked for (EC P-256, valid
// for a day). TEST ONLY: the keys live in memory and in a temporary file; nothing here is a secret.
#pragma once

#include <string>

namespace facteur::test {

struct TestCertificates {
  std::string ca_pem;       // the CA certificate
  std::string cert_pem;     // server certificate followed by the CA (a full chain)
  std::string key_pem;      // server private key (PKCS#8 PEM)
  std::string ca_file;      // ca_pem written to a temporary file, for TlsOptions::ca_file
};

// Generated once per process; the CA file is removed when the process exits.
const TestCertificates& test_certificates();

}  // namespace facteur::test
