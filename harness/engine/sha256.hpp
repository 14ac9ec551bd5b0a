// SHA-256 over data that arrives in pieces (OpenSSL EVP), for checking FTP transfers of any size
// in constant memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace facteur::engine {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // The lower-case hex digest; the object starts over afterwards.
  std::string hex();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const;
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

}  // namespace facteur::engine
