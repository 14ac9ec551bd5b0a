// TLS settings shared by every protocol: certificate checks are on unless the user opts out.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace facteur::net {

struct TlsOptions {
  bool verify = true;          // --insecure turns it off
  std::string ca_file;         // --cacert; empty: the system store
  std::string min_version;     // "1.2" | "1.3" | "" (library default)
  bool session_cache = true;   // resume sessions when the server allows it
};

// Builds a client context; throws std::runtime_error when the CA file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsOptions& options);

}  // namespace facteur::net
