#include "harness/http/response_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace facteur::http {
namespace beast = boost::beast;

namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto l = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (l(a[i]) != l(b[i])) return false;
  }
  return true;
}
std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }
}  // namespace

bool Response::has(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return true;
  }
  return false;
}

std::string Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

std::vector<std::string> Response::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) out.push_back(v);
  }
  return out;
}

struct ResponseReader::Parser : beast::http::basic_parser<false> {
  Response r;
  std::size_t keep = 0;

  void add_body(std::string_view data) {
    r.body_size += data.size();
    if (r.body.size() < keep) r.body.append(data.substr(0, keep - r.body.size()));
  }
  void on_request_impl(beast::http::verb, beast::string_view, beast::string_view, int,
                       beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view reason, int version, beast::error_code&) override {
    r.status = code;
    r.reason = std::string(sv(reason));
    r.version = version;
  }
  void on_field_impl(beast::http::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    r.headers.emplace_back(std::string(sv(name)), std::string(sv(value)));
  }
  void on_header_impl(beast::error_code&) override {
    r.chunked = chunked();
    r.keep_alive = keep_alive();
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, beast::error_code&) override {}
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    add_body(sv(body));
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    add_body(sv(body));
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}
};

ResponseReader::ResponseReader(std::size_t keep, bool head_request) : parser_(std::make_unique<Parser>()) {
  parser_->keep = keep;
  parser_->eager(true);
  parser_->header_limit(64 * 1024);
  parser_->body_limit(boost::none);
  if (head_request) parser_->skip(true);
}

ResponseReader::~ResponseReader() = default;

ResponseReader::Result ResponseReader::feed(std::string_view bytes) {
  Result out;
  while (!parser_->is_done() && out.consumed < bytes.size()) {
    beast::error_code ec;
    const std::size_t n =
        parser_->put(boost::asio::const_buffer(bytes.data() + out.consumed, bytes.size() - out.consumed), ec);
    out.consumed += n;
    if (ec == beast::http::error::need_more) {
      if (n == 0) break;
      continue;
    }
    if (ec) {
      out.status = Result::Status::error;
      out.error = ec.message();
      return out;
    }
  }
  if (parser_->is_done()) {
    parser_->r.keep_alive = parser_->keep_alive();
    out.status = Result::Status::complete;
  }
  return out;
}

ResponseReader::Result ResponseReader::end_of_stream() {
  Result out;
  if (parser_->is_done()) {
    out.status = Result::Status::complete;
    return out;
  }
  beast::error_code ec;
  parser_->put_eof(ec);
  if (ec || !parser_->is_done()) {
    out.status = Result::Status::error;
    out.error = parser_->is_header_done() ? "the connection closed inside the response body (" + ec.message() + ")"
                                          : "the connection closed inside the response head";
    return out;
  }
  parser_->r.keep_alive = false;
  out.status = Result::Status::complete;
  return out;
}

bool ResponseReader::header_done() const { return parser_->is_header_done(); }
const Response& ResponseReader::response() const { return parser_->r; }

}  // namespace facteur::http
