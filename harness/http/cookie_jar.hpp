// A small cookie jar for one facteur session (RFC 6265, the parts a form needs): each Set-Cookie
// keeps name=value under its Path (the default path of §5.1.4 when it has none); a cookie with the
// same name and path replaces the old one; Max-Age=0 (or negative) deletes it. Domain, Expires,
// Secure and HttpOnly are not acted on (one session talks to one server). Cookies are sent back to
// paths they path-match (§5.1.4), longer paths first (§5.4). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace facteur::http {

class CookieJar {
 public:
  struct Cookie {
    std::string name, value, path;
  };
  // One Set-Cookie field value, received for a request to `request_path` (the path of the URL,
  // without the query). A value without "=" before its first ";" is ignored.
  void store(std::string_view set_cookie, std::string_view request_path);
  // The Cookie field value for a request to `request_path` ("" when no cookie applies).
  std::string header_for(std::string_view request_path) const;
  const std::vector<Cookie>& cookies() const { return cookies_; }

 private:
  std::vector<Cookie> cookies_;
};

// RFC 6265 §5.1.4.
std::string default_cookie_path(std::string_view request_path);
bool path_matches(std::string_view request_path, std::string_view cookie_path);

}  // namespace facteur::http
