#include "tests/support/fake_http_form.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/core/ascii.hpp"
#include "harness/core/base64.hpp"
#include "harness/engine/sha256.hpp"
#include "tests/support/fake_form_fields.hpp"
#include "tests/support/fake_form_mail.hpp"

namespace facteur::testing {
namespace {
using namespace std::chrono_literals;

std::string response(int code, const char* reason, const std::string& body,
                     const std::vector<std::string>& extra = {}, const char* type = "text/plain; charset=utf-8") {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n", code, reason, type,
                                body.size());
  for (const auto& h : extra) out += h + "\r\n";
  return out + "\r\n" + body;
}

const char* reason_of(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 417: return "Expectation Failed";
    case 501: return "Not Implemented";
    default: return "Error";
  }
}

std::string with_header(std::string out, const std::string& field) {
  return out.insert(out.find("\r\n") + 2, field + "\r\n");
}

std::string sha256_hex(const std::string& data) {
  engine::Sha256 h;
  h.update(data);
  return h.hex();
}

bool is_form_type(const std::string& type) {
  const std::string bare = ascii::lower(type.substr(0, type.find(';')));
  return bare == "application/x-www-form-urlencoded" || bare == "multipart/form-data";
}

// What the lab's contact.php takes for an address (a strict subset of RFC 5322 §3.4.1 addr-spec:
// one '@', something on each side, no spaces), or the naive checks of the switches.
bool looks_like_address(const std::string& email, const FakeFormMisbehaviour& bad) {
  if (bad.no_email_check) return true;
  const auto at = email.find('@');
  if (bad.email_needs_only_an_at) return at != std::string::npos;
  return std::count(email.begin(), email.end(), '@') == 1 && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t") == std::string::npos;
}

}  // namespace

FakeHttpForm::FakeHttpForm(FakeFormConfig config)
    : config_(std::move(config)), server_([this](RawConnection& c) { serve(c); }) {}

std::string FakeHttpForm::new_session() {
  const int n = next_++;
  std::lock_guard lock(mutex_);
  const std::string id = fmt::format("s{:08d}", n);
  tokens_[id] = fmt::format("{:064x}", static_cast<unsigned>(n * 7919 + 13));
  return id;
}

std::string FakeHttpForm::token_for(const std::string& session) {
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(session);
  return it == tokens_.end() ? std::string() : it->second;
}

void FakeHttpForm::serve(RawConnection& c) {
  const auto& bad = config_.bad;
  std::vector<std::string> held;  // pipelined_out_of_order: responses kept back, sent last first
  for (;;) {
    FakeRead read = read_request(c, config_);
    if (read.kind == FakeRead::Kind::gone) return;
    if (read.kind == FakeRead::Kind::refused) {
      const std::string text = fmt::format("{} {}\n", read.status, read.reason);
      std::vector<std::string> extra;
      if (read.close) extra.emplace_back("Connection: close");
      c.send(response(read.status, reason_of(read.status), text, extra));
      if (!read.close) continue;
      c.close_lingering(2000ms);  // as nginx does: the client can read the refusal
      return;
    }
    const FakeRequest& r = read.request;
    std::string out = respond(r);
    // RFC 9110 §9.3.2: the response to HEAD is the GET response without its content.
    if (r.method == "HEAD" && !bad.body_with_head) out.erase(out.find("\r\n\r\n") + 4);
    if (r.close) out = with_header(std::move(out), "Connection: close");
    if (bad.drops_pipelined_requests) c.take_buffered();
    if (bad.pipelined_out_of_order && c.buffered() > 0 && !r.close) {
      held.push_back(std::move(out));
      continue;
    }
    c.send(out);
    for (auto it = held.rbegin(); it != held.rend(); ++it) c.send(*it);
    held.clear();
    // RFC 9112 §9.6: after the response to a request with "close", the server closes.
    if (r.close) {
      c.close_lingering(2000ms);
      return;
    }
  }
}

std::string FakeHttpForm::respond(const FakeRequest& r) {
  const auto& bad = config_.bad;
  const std::string path = r.target.substr(0, r.target.find('?'));
  if (path == "/204") {
    // RFC 9110 §15.3.5: a 204 ends at its header section.
    if (bad.chunked_204) return "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    if (bad.body_after_204) return "HTTP/1.1 204 No Content\r\n\r\nno content\r\n";
    return "HTTP/1.1 204 No Content\r\n\r\n";
  }
  if (path == "/thanks.php") return response(200, "OK", "<p>Thank you</p>\n", {}, "text/html; charset=utf-8");
  if (path == "/echo.php") return echo(r);
  if (path == "/contact.php") return contact(r);
  return response(404, "Not Found", "404\n");
}

// The request as the lab's echo.php shows it: PHP parses urlencoded and multipart bodies into
// "form" and "files", and consumes a multipart body (so its "body" is empty there too).
std::string FakeHttpForm::echo(const FakeRequest& r) const {
  using Json = nlohmann::ordered_json;
  Json j;
  j["method"] = r.method;
  j["uri"] = r.target;
  j["protocol"] = r.version;
  j["https"] = false;
  j["headers"] = Json::object();
  for (const auto& [n, v] : r.headers) j["headers"][n] = v;
  j["query"] = Json::object();
  if (const auto q = r.target.find('?'); q != std::string::npos) {
    if (const auto query = http::form_urldecode(r.target.substr(q + 1))) {
      for (const auto& [k, v] : *query) j["query"][k] = v;
    }
  }
  j["form"] = Json::object();
  j["files"] = Json::array();
  const std::string type = r.header("Content-Type");
  std::optional<PostedForm> form;
  if (is_form_type(type)) form = read_posted_form(r, config_.bad);
  if (form) {
    for (const auto& [k, v] : form->fields) j["form"][k] = v;
    for (const auto& f : form->files) {
      j["files"].push_back(Json{{"field", f.field}, {"name", f.name}, {"type", f.type}, {"size", f.content.size()},
                                {"error", 0}, {"sha256", sha256_hex(f.content)}});
    }
  }
  j["cookies"] = Json::object();
  const std::string body = form && form->multipart ? std::string() : r.body;
  j["body_length"] = body.size();
  if (valid_utf8(body)) j["body"] = body;
  else j["body_base64"] = base64_encode(body);
  return response(200, "OK", j.dump(4, ' ', false, Json::error_handler_t::replace) + "\n", {}, "application/json");
}

std::string FakeHttpForm::contact(const FakeRequest& r) {
  const auto& bad = config_.bad;
  std::string session;
  if (const std::string cookie = r.header("Cookie"); cookie.rfind("sid=", 0) == 0) session = cookie.substr(4, 9);
  const bool form_method = r.method == "GET" || r.method == "HEAD" || r.method == "POST";
  if (!form_method && !bad.ok_for_any_method) {
    std::vector<std::string> extra;
    if (!bad.no_allow) extra.emplace_back("Allow: GET, HEAD, POST");
    return response(405, "Method Not Allowed", "405 method not allowed\n", extra);
  }
  if (r.method != "POST") {
    if (session.empty() || token_for(session).empty()) session = new_session();
    const std::string page = "<form method=post><input type=\"hidden\" name=\"csrf_token\" value=\"" +
                             token_for(session) + "\"><input name=\"name\"></form>\n";
    return response(200, "OK", page, {"Set-Cookie: sid=" + session + "; path=/; HttpOnly"}, "text/html");
  }
  if (!is_form_type(r.header("Content-Type")) && !bad.accept_any_type) {
    return response(415, "Unsupported Media Type", "415 form types only\n");
  }
  const auto form = read_posted_form(r, bad);  // any other type as urlencoded
  if (!form) return response(400, "Bad Request", "400 unreadable form\n");
  std::map<std::string, std::string> f;
  std::string array;
  bool duplicate = false;
  for (auto [k, v] : form->fields) {
    if (const auto open = k.find('['); open != std::string::npos) {
      if (bad.arrays_accepted) {
        k.erase(open);
        v = "Array";
      } else if (array.empty()) {
        array = k.substr(0, open);
      }
    }
    duplicate = duplicate || (f.count(k) != 0 && k.find('[') == std::string::npos);
    f[k] = v;
  }
  if (!bad.no_csrf_check && (token_for(session).empty() || f["csrf_token"] != token_for(session))) {
    return response(403, "Forbidden", "403 csrf_token\n");
  }
  if (!array.empty()) return response(400, "Bad Request", "400 field " + array + ": must be a single value\n");
  if (duplicate && bad.crash_on_duplicate_field) return response(500, "Internal Server Error", "500\n");
  for (const char* k : {"name", "email", "subject", "message"}) {
    if (!bad.lenient_urldecoding && !valid_utf8(f[k])) {
      return response(400, "Bad Request", std::string("400 field ") + k + ": not valid UTF-8\n");
    }
    const bool header_field = std::string_view(k) != "message";
    if (header_field && !bad.header_injection && f[k].find_first_of("\r\n") != std::string::npos) {
      return response(400, "Bad Request", std::string("400 field ") + k + ": CR or LF\n");
    }
  }
  for (const char* k : {"name", "email", "message"}) {
    if (f[k].find_first_not_of(" \t") != std::string::npos) continue;
    if (bad.ok_for_missing_fields) return response(200, "OK", "Thank you\n");
    return response(400, "Bad Request", std::string("400 field ") + k + ": required\n");
  }
  if (!looks_like_address(f["email"], bad)) {
    return response(400, "Bad Request", "400 field email: not a valid address\n");
  }
  if (config_.smtp_port != 0 && !bad.mail_not_sent) {
    FormMail mail{f["name"], f["email"], f["subject"], f["message"], std::nullopt};
    for (const auto& file : form->files) {
      if (file.field == "attachment" && !mail.attachment) mail.attachment = file;
    }
    std::vector<std::string> rcpts;
    const std::string message = compose_form_mail(config_, mail, rcpts, next_++);
    if (!send_mail(config_, rcpts, message)) return response(502, "Bad Gateway", "502 the mail was not taken\n");
    ++mails_;
  }
  if (bad.ok_instead_of_see_other) return response(200, "OK", "<p>Thank you</p>\n", {}, "text/html; charset=utf-8");
  if (bad.found_instead_of_see_other) return response(302, "Found", "302\n", {"Location: /thanks.php"});
  // RFC 9110 §15.4.4: 303 sends the client to the thank-you page with GET.
  return response(303, "See Other", "303\n", {"Location: /thanks.php"});
}

}  // namespace facteur::testing
