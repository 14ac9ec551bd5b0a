// One HTTP/1.1 response read from the octets a connection delivers (RFC 9112 §2-§7), with
// Boost.Beast's parser doing the framing: status line, fields, and the body by Content-Length,
// chunked coding, or the end of the connection. Pure: fed bytes, never touches a socket.
// The body is bounded: the first `keep` octets are kept, the rest only counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace facteur::http {

struct Response {
  int status = 0;
  std::string reason;
  int version = 11;                                          // 10 or 11
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;                                          // the first `keep` octets
  std::uint64_t body_size = 0;                               // all of them
  bool chunked = false;
  bool keep_alive = true;                                    // false: the server closes after it

  bool has(std::string_view name) const;                     // names compare ASCII case-insensitively
  std::string header(std::string_view name) const;           // the first value; "" when absent
  std::vector<std::string> all(std::string_view name) const;
  bool interim() const { return status >= 100 && status < 200 && status != 101; }
};

class ResponseReader {
 public:
  struct Result {
    enum class Status { need_more, complete, error };
    Status status = Status::need_more;
    std::size_t consumed = 0;  // octets of `bytes` taken (the caller drops them)
    std::string error;
  };
  // `head_request`: the response to HEAD has no body whatever its fields say (RFC 9110 §9.3.2).
  explicit ResponseReader(std::size_t keep = 1 << 20, bool head_request = false);
  ~ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  Result feed(std::string_view bytes);
  // The connection closed: completes a body delimited by the close, fails anything else.
  Result end_of_stream();
  bool header_done() const;
  const Response& response() const;

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace facteur::http
