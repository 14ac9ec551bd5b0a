#include "harness/engine/http_request_body.hpp"

#include <algorithm>
#include <cctype>

#include "harness/http/form_urlencoded.hpp"

namespace facteur::engine {
namespace {

bool same_name(const std::string& a, const char* b) {
  const std::string_view bv(b);
  return a.size() == bv.size() && std::equal(a.begin(), a.end(), bv.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string RequestBody::next(std::size_t max) {
  if (multipart_) return multipart_->next(max);
  const std::size_t n = std::min(max, text_.size() - at_);
  std::string out = text_.substr(at_, n);
  at_ += n;
  return out;
}

std::string target_path(const std::string& target) {
  const auto end = target.find_first_of("?#");
  return end == std::string::npos ? target : target.substr(0, end);
}

OutgoingRequest build_request(const scenario::HttpRequest& r, const TargetUrl& url,
                              const std::function<std::string(const std::string&)>& expand,
                              const std::string& method, const std::string& target, bool with_body,
                              const std::string& cookie, std::uint64_t seed) {
  using Body = scenario::HttpRequest::Body;
  OutgoingRequest out;
  out.method = method;
  http::FieldList query;
  for (const auto& [k, v] : r.query) query.emplace_back(expand(k), expand(v));
  out.target = http::with_query(target, query);

  std::string content_type = expand(r.content_type);
  if (with_body) {
    switch (r.body) {
      case Body::none:
        break;
      case Body::text:
        out.body = RequestBody(expand(r.text));
        break;
      case Body::form: {
        http::FieldList fields;
        for (const auto& [k, v] : r.form) fields.emplace_back(expand(k), expand(v));
        out.body = RequestBody(http::form_urlencode(fields));
        if (content_type.empty()) content_type = "application/x-www-form-urlencoded";
        break;
      }
      case Body::multipart: {
        std::vector<http::FormPart> parts;
        for (const auto& p : r.multipart) {
          http::FormPart fp;
          fp.name = expand(p.name);
          if (p.filename) fp.filename = expand(*p.filename);
          fp.content_type = expand(p.content_type);
          fp.content = p.seeded ? http::seeded_source(p.seed, p.size) : http::text_source(expand(p.value));
          parts.push_back(std::move(fp));
        }
        http::MultipartEncoder encoder(std::move(parts), seed);
        if (content_type.empty()) content_type = encoder.content_type();
        out.body = RequestBody(std::move(encoder));
        break;
      }
    }
  }
  out.chunked = with_body && r.chunked;

  std::vector<std::pair<std::string, std::string>> given;
  for (const auto& [k, v] : r.headers) given.emplace_back(k, expand(v));
  auto has = [&](const char* name) {
    return std::any_of(given.begin(), given.end(), [&](const auto& f) { return same_name(f.first, name); });
  };
  std::string head = out.method + " " + out.target + " HTTP/1.1\r\n";
  auto field = [&](const std::string& name, const std::string& value) { head += name + ": " + value + "\r\n"; };
  if (!has("Host")) {
    const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    const auto* scheme = find_scheme(url.scheme);
    const bool default_port = scheme && scheme->default_port == url.port;
    field("Host", default_port ? host : host + ":" + std::to_string(url.port));
  }
  if (!has("User-Agent")) field("User-Agent", "facteur");
  if (!cookie.empty() && !has("Cookie")) field("Cookie", cookie);
  const bool has_body = with_body && r.body != Body::none;
  if (has_body && !content_type.empty() && !has("Content-Type")) field("Content-Type", content_type);
  if (r.expect_continue && !has("Expect")) field("Expect", "100-continue");
  if (out.chunked && !has("Transfer-Encoding")) field("Transfer-Encoding", "chunked");
  if (!has("Content-Length")) {
    // The override is sent as given (a deliberate mismatch, or beside chunked coding).
    if (r.content_length) field("Content-Length", std::to_string(*r.content_length));
    else if (has_body && !out.chunked) field("Content-Length", std::to_string(out.body.size()));
  }
  for (const auto& [k, v] : given) field(k, v);
  head += "\r\n";
  out.head = std::move(head);
  return out;
}

}  // namespace facteur::engine
