// One HTTP/1.1 request read from a RawConnection the way a strict server frames it (RFC 9112):
// the request line, the field lines, then the content by Transfer-Encoding: chunked or by
// Content-Length. What cannot be framed is refused with the status a server answers (400, 411,
// 413, 417, 501), as nginx does; the framing switches of FakeFormMisbehaviour make the reader
// lenient in the ways real servers have been. Sends 100 (Continue) itself when asked to.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/fake_http_form_config.hpp"
#include "tests/support/raw_server.hpp"

namespace facteur::testing {

struct FakeRequest {
  std::string method, target, version;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, names as sent
  std::string body;                                          // the content, unchunked
  bool close = false;  // the connection is closed after the response
  // Names compare ASCII case-insensitively (RFC 9110 §5.1).
  std::string header(std::string_view name) const;  // the first value; "" when absent
  std::size_t count(std::string_view name) const;
};

struct FakeRead {
  enum class Kind { request, gone, refused };
  Kind kind = Kind::gone;  // gone: the client closed, or went quiet for the idle timeout
  FakeRequest request;
  int status = 0;          // refused: the status to answer, its reason phrase, and whether to close
  std::string reason;
  bool close = true;
};

FakeRead read_request(RawConnection& c, const FakeFormConfig& config);

}  // namespace facteur::testing
