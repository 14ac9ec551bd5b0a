#include "tests/support/test_certs.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace facteur::test {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what);
}

KeyPtr make_key() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  require(key != nullptr, "EC key generation failed");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  require(ext != nullptr, "bad certificate extension");
  require(X509_add_ext(cert, ext.get(), -1) == 1, "cannot add a certificate extension");
}

CertPtr make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  require(cert != nullptr, "X509_new failed");
  X509_set_version(cert.get(), 2);
  unsigned char serial[8];
  require(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes failed");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("facteur tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name),
                             -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (!issuer) {
    add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  } else {
    add_extension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), issuer, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), issuer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost,DNS:mail.lab.test");
    add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
  }
  require(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing failed");
  return cert;
}

std::string to_pem(X509* cert) {
  std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509 failed");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string to_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey failed");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// Owns the certificates and removes the CA file when the process ends.
struct Holder {
  TestCertificates certs;
  Holder() {
    KeyPtr ca_key = make_key();
    CertPtr ca = make_cert(ca_key.get(), "facteur test CA (throw-away)", nullptr, nullptr);
    KeyPtr server_key = make_key();
    CertPtr server = make_cert(server_key.get(), "mail.lab.test", ca.get(), ca_key.get());
    certs.ca_pem = to_pem(ca.get());
    certs.cert_pem = to_pem(server.get()) + certs.ca_pem;
    certs.key_pem = to_pem(server_key.get());
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto path = std::filesystem::temp_directory_path() /
                      ("facteur-test-ca-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) + ".pem");
    std::ofstream(path, std::ios::binary) << certs.ca_pem;
    certs.ca_file = path.string();
  }
  ~Holder() {
    std::error_code ignored;
    std::filesystem::remove(certs.ca_file, ignored);
  }
  Holder(const Holder&) = delete;
  Holder& operator=(const Holder&) = delete;
};

}  // namespace

const TestCertificates& test_certificates() {
  static const Holder holder;
  return holder.certs;
}

}  // namespace facteur::test
