#include "harness/net/tls_options.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace facteur::net {

std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsOptions& options) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3);
  if (options.min_version == "1.3") {
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_3_VERSION);
  } else if (options.min_version == "1.2") {
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  }
  if (options.verify) {
    ctx->set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (options.ca_file.empty()) {
      // The system store as a hashed directory (/etc/ssl/certs, or SSL_CERT_DIR): OpenSSL reads a CA
      // from it when a chain needs it. Loading the bundle file instead parses every CA at start
      // (about 0.1 s of CPU per process, for a run that may never start TLS). SSL_CERT_FILE, when
      // set, is honoured as OpenSSL's defaults do.
      const char* dir_env = std::getenv(X509_get_default_cert_dir_env());
      const char* dir = dir_env && *dir_env ? dir_env : X509_get_default_cert_dir();
      const char* file_env = std::getenv(X509_get_default_cert_file_env());
      std::error_code exists_ec;
      if ((file_env && *file_env) || !std::filesystem::is_directory(dir, exists_ec) ||
          SSL_CTX_load_verify_dir(ctx->native_handle(), dir) != 1) {
        ctx->set_default_verify_paths(ec);
      }
    } else {
      ctx->load_verify_file(options.ca_file, ec);
    }
    if (ec) {
      throw std::runtime_error("cannot load CA certificates" +
                               (options.ca_file.empty() ? std::string() : " from '" + options.ca_file + "'") +
                               ": " + ec.message());
    }
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  SSL_CTX_set_session_cache_mode(ctx->native_handle(),
                                 options.session_cache ? SSL_SESS_CACHE_CLIENT : SSL_SESS_CACHE_OFF);
  return ctx;
}

}  // namespace facteur::net
