// The request a step describes, made concrete: its head (request line and fields) and a body
// produced in chunks (never held whole when it is a seeded upload). Templates are expanded by
// the caller's function; no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "harness/core/target_url.hpp"
#include "harness/http/multipart.hpp"
#include "harness/scenario/http_request.hpp"

namespace facteur::engine {

class RequestBody {
 public:
  RequestBody() = default;
  explicit RequestBody(std::string text) : text_(std::move(text)) {}
  explicit RequestBody(http::MultipartEncoder encoder) : multipart_(std::move(encoder)) {}
  std::uint64_t size() const { return multipart_ ? multipart_->size() : text_.size(); }
  bool empty() const { return size() == 0; }
  std::string next(std::size_t max);  // "" at the end

 private:
  std::string text_;
  std::size_t at_ = 0;
  std::optional<http::MultipartEncoder> multipart_;
};

struct OutgoingRequest {
  std::string method, target;
  std::string head;  // request line, fields, empty line
  RequestBody body;
  bool chunked = false;
};

// `cookie` is the jar's Cookie value for the target's path ("" for none). `method`/`target`
// override the step's (a redirect being followed); `with_body` false drops the body (303 → GET).
OutgoingRequest build_request(const scenario::HttpRequest& r, const TargetUrl& url,
                              const std::function<std::string(const std::string&)>& expand,
                              const std::string& method, const std::string& target, bool with_body,
                              const std::string& cookie, std::uint64_t seed);

// The path of a request target, without query or fragment ("/contact.php?x=1" → "/contact.php").
std::string target_path(const std::string& target);

}  // namespace facteur::engine
