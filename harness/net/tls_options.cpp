#include "harness/net/tls_options.hpp"

#include <stdexcept>

#include <openssl/ssl.h>

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
      ctx->set_default_verify_paths(ec);
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
