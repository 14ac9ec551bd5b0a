#include "tests/support/fake_http_request.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "harness/core/ascii.hpp"

namespace facteur::testing {
namespace {

std::string without_eol(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

bool all_of(std::string_view s, int (*pred)(int)) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

FakeRead refused(int status, std::string reason, bool close = true) {
  FakeRead out;
  out.kind = FakeRead::Kind::refused;
  out.status = status;
  out.reason = std::move(reason);
  out.close = close;
  return out;
}

// The body length from every Content-Length field line (each may be a list, RFC 9110 §8.6): one
// value of digits, however often repeated. npos when invalid.
std::size_t content_length(const FakeRequest& r, const FakeFormMisbehaviour& bad) {
  constexpr std::size_t invalid = std::string::npos;
  std::vector<std::string> values;
  for (const auto& [n, v] : r.headers) {
    if (!ascii::iequal(n, "Content-Length")) continue;
    if (bad.lenient_content_length) return std::strtoull(v.c_str(), nullptr, 10);
    std::size_t from = 0;
    for (;;) {
      const auto comma = v.find(',', from);
      values.push_back(trim(std::string_view(v).substr(from, comma == std::string::npos ? comma : comma - from)));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    if (bad.first_content_length_wins) break;
  }
  for (const auto& v : values) {
    if (!all_of(v, std::isdigit) || v.size() > 15 || v != values.front()) return invalid;
  }
  return std::stoull(values.front());
}

}  // namespace

std::string FakeRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (ascii::iequal(n, name)) return v;
  }
  return {};
}

std::size_t FakeRequest::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return ascii::iequal(h.first, name); }));
}

FakeRead read_request(RawConnection& c, const FakeFormConfig& config) {
  const FakeFormMisbehaviour& bad = config.bad;
  const auto wait = config.idle_timeout;
  const bool close_on_error = !bad.no_close_after_framing_error;
  FakeRead out;
  FakeRequest& r = out.request;
  std::string line = c.read_line(wait);
  if (line.empty()) return out;
  line = without_eol(line);
  // RFC 9112 §3: method SP request-target SP HTTP-version.
  const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp1 == sp2) return refused(400, "malformed request line", close_on_error);
  r.method = line.substr(0, sp1);
  r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  r.version = line.substr(sp2 + 1);
  if (r.version != "HTTP/1.1" && r.version != "HTTP/1.0") return refused(400, "unknown HTTP version", close_on_error);
  for (;;) {
    std::string h = c.read_line(wait);
    if (h.empty()) return out;
    h = without_eol(h);
    if (h.empty()) break;
    // RFC 9112 §5.2: obsolete line folding in a request is refused (or unfolded); we refuse.
    if (h.front() == ' ' || h.front() == '\t') return refused(400, "obsolete line folding", close_on_error);
    const auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) return refused(400, "a field line without a name", close_on_error);
    std::string name = h.substr(0, colon);
    // RFC 9112 §5.1: no whitespace between the field name and the colon; a server MUST answer 400.
    if (name.find_first_of(" \t") != std::string::npos) {
      if (!bad.accept_space_before_colon) return refused(400, "whitespace before a colon", close_on_error);
      name = trim(name);
    }
    r.headers.emplace_back(std::move(name), trim(std::string_view(h).substr(colon + 1)));
  }
  // RFC 9112 §3.2: exactly one Host in an HTTP/1.1 request, or 400.
  const std::size_t hosts = r.count("Host");
  if (hosts > 1 && !bad.accept_duplicate_host) return refused(400, "more than one Host field", close_on_error);
  if (hosts == 0 && r.version == "HTTP/1.1" && !bad.accept_missing_host) {
    return refused(400, "no Host field", close_on_error);
  }
  const std::string connection = ascii::lower(r.header("Connection"));
  const bool close_asked = connection.find("close") != std::string::npos ||
                           (r.version == "HTTP/1.0" && connection.find("keep-alive") == std::string::npos);
  r.close = close_asked && !bad.ignores_connection_close;

  const bool te = r.count("Transfer-Encoding") > 0 && !bad.chunked_body_dropped;
  const bool cl = r.count("Content-Length") > 0;
  const bool chunks = te && !(cl && bad.content_length_over_chunked);
  std::size_t length = 0;
  if (chunks) {
    if (ascii::lower(r.header("Transfer-Encoding")) != "chunked") {
      return refused(501, "only the chunked coding is known");
    }
    if (bad.chunked_411) return refused(411, "Length Required");
    // RFC 9112 §6.1: Transfer-Encoding overrides Content-Length, and the server closes after
    // answering (the two lengths are a request-smuggling vector).
    if (cl && !bad.no_close_after_te_and_cl) r.close = true;
  } else if (cl) {
    length = content_length(r, bad);
    // RFC 9112 §6.3: an invalid Content-Length is unrecoverable framing: 400, then close.
    if (length == std::string::npos) return refused(400, "invalid Content-Length", close_on_error);
    if (length > config.max_body && !bad.accept_oversize) return refused(413, "Content Too Large");
  }
  // RFC 9110 §10.1.1: an immediate final status, or 100 (Continue), before the content.
  if ((chunks || length > 0) && ascii::lower(r.header("Expect")) == "100-continue") {
    if (bad.answers_417_to_expect) return refused(417, "Expectation Failed");
    if (!bad.never_sends_100) c.send("HTTP/1.1 100 Continue\r\n\r\n");
  }
  if (!chunks) {
    r.body = c.read_exact(length, wait);
    if (r.body.size() < length) return FakeRead{};
    if (bad.body_runs_past_content_length) r.body += c.take_buffered();
    out.kind = FakeRead::Kind::request;
    return out;
  }
  // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF chunk-data CRLF …, last-chunk, trailer section.
  for (;;) {
    std::string size_line = c.read_line(wait);
    if (size_line.empty()) return FakeRead{};
    size_line = without_eol(size_line);
    const std::string digits = trim(size_line.substr(0, size_line.find(';')));
    std::size_t n = 0;
    if (all_of(digits, std::isxdigit) && digits.size() <= 15) n = std::stoull(digits, nullptr, 16);
    else if (bad.lenient_chunk_size) n = std::strtoull(digits.c_str(), nullptr, 16);
    else return refused(400, "bad chunk size", close_on_error);
    if (n == 0) break;
    if (r.body.size() + n > config.max_body && !bad.accept_oversize) return refused(413, "Content Too Large");
    const std::string data = c.read_exact(n, wait);
    if (data.size() < n) return FakeRead{};
    r.body += data;
    if (c.read_exact(2, wait) != "\r\n") return refused(400, "chunk data not followed by CRLF", close_on_error);
  }
  for (;;) {  // the trailer section, ignored
    const std::string trailer = c.read_line(wait);
    if (trailer.empty()) return FakeRead{};
    if (without_eol(trailer).empty()) break;
  }
  out.kind = FakeRead::Kind::request;
  return out;
}

}  // namespace facteur::testing
