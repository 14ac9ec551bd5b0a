#include "harness/http/cookie_jar.hpp"

#include <algorithm>
#include <charconv>

namespace facteur::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto l = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return l(x) == l(y);
         });
}

}  // namespace

std::string default_cookie_path(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "/";
  const std::size_t last = request_path.rfind('/');
  if (last == 0) return "/";
  return std::string(request_path.substr(0, last));
}

bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (request_path.substr(0, cookie_path.size()) != cookie_path) return false;
  return (!cookie_path.empty() && cookie_path.back() == '/') ||
         (request_path.size() > cookie_path.size() && request_path[cookie_path.size()] == '/');
}

void CookieJar::store(std::string_view set_cookie, std::string_view request_path) {
  const std::size_t semi = set_cookie.find(';');
  const std::string_view pair = set_cookie.substr(0, semi);
  const std::size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return;
  Cookie c{std::string(trim(pair.substr(0, eq))), std::string(trim(pair.substr(eq + 1))), {}};
  if (c.name.empty()) return;
  bool expired = false;
  std::string_view rest = semi == std::string_view::npos ? std::string_view() : set_cookie.substr(semi + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(';');
    const std::string_view av = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    const std::size_t aeq = av.find('=');
    const std::string_view key = trim(av.substr(0, aeq));
    const std::string_view value = aeq == std::string_view::npos ? std::string_view() : trim(av.substr(aeq + 1));
    if (iequals(key, "path") && !value.empty() && value.front() == '/') {
      c.path = std::string(value);
    } else if (iequals(key, "max-age") && !value.empty()) {
      long long seconds = 0;
      const char* first = value.data();
      const bool negative = value.front() == '-';
      if (negative) ++first;
      const auto [p, ec] = std::from_chars(first, value.data() + value.size(), seconds);
      if (ec == std::errc() && p == value.data() + value.size()) expired = negative || seconds == 0;
    }
  }
  if (c.path.empty()) c.path = default_cookie_path(request_path);
  std::erase_if(cookies_, [&](const Cookie& old) { return old.name == c.name && old.path == c.path; });
  if (!expired) cookies_.push_back(std::move(c));
}

std::string CookieJar::header_for(std::string_view request_path) const {
  std::vector<const Cookie*> matching;
  for (const auto& c : cookies_) {
    if (path_matches(request_path, c.path)) matching.push_back(&c);
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const Cookie* a, const Cookie* b) { return a->path.size() > b->path.size(); });
  std::string out;
  for (const Cookie* c : matching) {
    if (!out.empty()) out += "; ";
    out += c->name + "=" + c->value;
  }
  return out;
}

}  // namespace facteur::http
