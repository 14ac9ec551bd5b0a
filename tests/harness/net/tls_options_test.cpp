// The system CA store is read as a hashed directory when no CA file is named (tls_options.cpp):
// a chain is verified by looking its issuer up in SSL_CERT_DIR by subject hash, and nothing else
// is trusted. SSL_CERT_FILE, which OpenSSL honours first, is unset for these tests.
#include "harness/net/tls_options.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certs.hpp"

namespace facteur::net {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr first_certificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

// Sets an environment variable (or unsets it: nullopt) for the life of the object.
class EnvOverride {
 public:
  EnvOverride(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~EnvOverride() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  EnvOverride(const EnvOverride&) = delete;
  EnvOverride& operator=(const EnvOverride&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// X509_V_OK when the test server certificate verifies against the context's store.
int verify_server_certificate(boost::asio::ssl::context& ctx) {
  const auto& certs = test::test_certificates();
  X509Ptr leaf = first_certificate(certs.cert_pem);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> check(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509_STORE_CTX_init(check.get(), SSL_CTX_get_cert_store(ctx.native_handle()), leaf.get(), nullptr);
  return X509_verify_cert(check.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(check.get());
}

TEST(TlsOptions, SystemStoreIsAHashedDirectoryLookedUpWhenAChainNeedsIt) {
  testing::TempDir dir("facteur-ca-dir");
  X509Ptr ca = first_certificate(test::test_certificates().ca_pem);
  char name[32];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca.get()));
  dir.file(name, test::test_certificates().ca_pem);
  EnvOverride no_file(X509_get_default_cert_file_env(), std::nullopt);
  EnvOverride ca_dir(X509_get_default_cert_dir_env(), dir.path().string());
  EXPECT_EQ(verify_server_certificate(*make_client_context({})), X509_V_OK);
}

TEST(TlsOptions, ACaMissingFromTheDirectoryIsNotTrusted) {
  testing::TempDir dir("facteur-ca-dir");  // empty: the test CA is not in it
  EnvOverride no_file(X509_get_default_cert_file_env(), std::nullopt);
  EnvOverride ca_dir(X509_get_default_cert_dir_env(), dir.path().string());
  EXPECT_EQ(verify_server_certificate(*make_client_context({})), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST(TlsOptions, CaFileIsTrustedWhateverTheSystemStore) {
  testing::TempDir dir("facteur-ca-dir");
  EnvOverride no_file(X509_get_default_cert_file_env(), std::nullopt);
  EnvOverride ca_dir(X509_get_default_cert_dir_env(), dir.path().string());
  TlsOptions options;
  options.ca_file = test::test_certificates().ca_file;
  EXPECT_EQ(verify_server_certificate(*make_client_context(options)), X509_V_OK);
}

TEST(TlsOptions, UnreadableCaFileIsAClearError) {
  TlsOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  try {
    make_client_context(options);
    FAIL() << "no error for a missing CA file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load CA certificates from '/nonexistent/ca.pem'"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace facteur::net
