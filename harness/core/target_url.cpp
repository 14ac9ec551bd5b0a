#include "harness/core/target_url.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace facteur {
namespace {

constexpr std::array<SchemeInfo, 10> kSchemes{{
    {"smtp", Protocol::smtp, 25, false},   {"smtps", Protocol::smtp, 465, true},
    {"imap", Protocol::imap, 143, false},  {"imaps", Protocol::imap, 993, true},
    {"pop3", Protocol::pop3, 110, false},  {"pop3s", Protocol::pop3, 995, true},
    {"ftp", Protocol::ftp, 21, false},     {"ftps", Protocol::ftp, 990, true},
    {"http", Protocol::http, 80, false},   {"https", Protocol::http, 443, true},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.1 percent-decoding; a malformed escape is kept as it is.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// `text` as error messages show it: whatever could be a password (from the first ':' after the
// scheme to the last '@') is replaced, even in a malformed URL.
std::string without_password(std::string_view text) {
  const auto sep = text.find("://");
  const std::size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  const auto at = text.rfind('@');
  const auto colon = text.find(':', start);
  if (at == std::string_view::npos || at < start || colon == std::string_view::npos || colon > at) {
    return std::string(text);
  }
  return std::string(text.substr(0, colon + 1)) + "<redacted>" + std::string(text.substr(at));
}

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

}  // namespace

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::smtp: return "smtp";
    case Protocol::imap: return "imap";
    case Protocol::pop3: return "pop3";
    case Protocol::ftp: return "ftp";
    case Protocol::http: return "http";
  }
  return "?";
}

std::optional<Protocol> protocol_from_string(std::string_view s) {
  for (Protocol p : {Protocol::smtp, Protocol::imap, Protocol::pop3, Protocol::ftp, Protocol::http}) {
    if (s == to_string(p)) return p;
  }
  if (s == "http-form") return Protocol::http;
  return std::nullopt;
}

const SchemeInfo* find_scheme(std::string_view scheme) {
  const std::string l = lower(scheme);
  for (const auto& info : kSchemes) {
    if (info.scheme == l) return &info;
  }
  return nullptr;
}

bool TargetUrl::host_is_ip() const {
  if (host.find(':') != std::string::npos) return true;  // IPv6 literal
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
}

std::string TargetUrl::display() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port) + path;
}

std::optional<TargetUrl> parse_target_url(std::string_view text, std::string* error) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    fail(error, "target URL '" + without_password(text) + "' has no scheme (e.g. smtp://host:port)");
    return std::nullopt;
  }
  const SchemeInfo* info = find_scheme(text.substr(0, sep));
  if (!info) {
    fail(error, "unknown scheme '" + std::string(text.substr(0, sep)) +
                    "' (smtp, smtps, imap, imaps, pop3, pop3s, ftp, ftps, http, https)");
    return std::nullopt;
  }
  TargetUrl url;
  url.scheme = std::string(info->scheme);
  url.protocol = info->protocol;
  url.implicit_tls = info->implicit_tls;
  url.port = info->default_port;

  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.path = std::string(rest.substr(slash));

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password = percent_decode(userinfo.substr(colon + 1));
  }

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      fail(error, "unterminated IPv6 literal in '" + without_password(text) + "'");
      return std::nullopt;
    }
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        fail(error, "unexpected text after IPv6 literal in '" + without_password(text) + "'");
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    // RFC 3986 §3.2.2: an IPv6 literal is bracketed; a bare ':' in the host is no host at all.
    if (url.host.find(':') != std::string::npos) {
      fail(error, "bad host '" + url.host + "' in '" + without_password(text) + "' (write IPv6 literals as [::1])");
      return std::nullopt;
    }
  }
  if (url.host.empty()) {
    fail(error, "target URL '" + without_password(text) + "' has no host");
    return std::nullopt;
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      fail(error, "bad port '" + std::string(port_text) + "' in '" + without_password(text) + "'");
      return std::nullopt;
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  return url;
}

}  // namespace facteur
