#include "tests/support/fake_http_form.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "harness/http/chunked.hpp"
#include "harness/http/form_urlencoded.hpp"
#include "harness/http/multipart.hpp"

namespace facteur::testing {
namespace {
using namespace std::chrono_literals;

struct Request {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return {};
  }
};

std::string strip(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

std::string response(int code, const char* reason, const std::string& body,
                     const std::vector<std::string>& extra = {}, const char* type = "text/plain; charset=utf-8") {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n", code, reason, type,
                                body.size());
  for (const auto& h : extra) out += h + "\r\n";
  return out + "\r\n" + body;
}

// The blocking SMTP exchange of a form handler that pipes its mail into sendmail.
bool send_mail(const FakeFormConfig& c, const std::vector<std::string>& rcpts, const std::string& message) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(c.smtp_port);
  ::inet_pton(AF_INET, c.smtp_host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return false;
  }
  std::atomic<bool> never{false};
  RawConnection conn(fd, never);
  auto reply = [&] {
    for (;;) {
      const std::string line = conn.read_line(5000ms);
      if (line.size() < 4 || line[3] != '-') return line;
    }
  };
  bool ok = reply().rfind("220", 0) == 0;
  auto say = [&](const std::string& line, const char* want) {
    ok = ok && conn.send(line + "\r\n") && reply().rfind(want, 0) == 0;
  };
  say("EHLO fake-form.test", "250");
  say("MAIL FROM:<" + c.from + ">", "250");
  for (const auto& r : rcpts) say("RCPT TO:<" + r + ">", "250");
  say("DATA", "354");
  say(message + "\r\n.", "250");
  say("QUIT", "221");
  return ok;
}

// Fields of an urlencoded or multipart body; nullopt when it cannot be read.
std::optional<http::FieldList> fields_of(const Request& r, const std::string& type) {
  if (type.rfind("multipart/form-data", 0) == 0) {
    const auto at = type.find("boundary=");
    if (at == std::string::npos) return std::nullopt;
    const auto parts = http::multipart_decode(r.body, type.substr(at + 9));
    if (!parts) return std::nullopt;
    http::FieldList out;
    for (const auto& p : *parts) {
      const auto n = p.headers.find("name=\"");
      if (n == std::string::npos) return std::nullopt;
      const auto end = p.headers.find('"', n + 6);
      out.emplace_back(p.headers.substr(n + 6, end - n - 6), p.content);
    }
    return out;
  }
  return http::form_urldecode(r.body);
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
  for (;;) {
    Request r;
    const std::string line = strip(c.read_line(5000ms));
    if (line.empty()) return;
    const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    for (;;) {
      const std::string h = strip(c.read_line(5000ms));
      if (h.empty()) break;
      const auto colon = h.find(':');
      if (colon != std::string::npos) r.headers.emplace_back(h.substr(0, colon), strip(h.substr(colon + 1)));
    }
    const std::string length = r.header("Content-Length");
    const std::size_t size = length.empty() ? 0 : std::stoul(length);
    if (size > config_.max_body && !bad.accept_oversize) {
      c.send(response(413, "Content Too Large", "413 too large\n", {"Connection: close"}));
      c.wait_closed(2000ms);  // a lingering close, as nginx does: the client can read the 413
      return;
    }
    if (!length.empty()) {
      if (r.header("Expect") == "100-continue") c.send("HTTP/1.1 100 Continue\r\n\r\n");
      r.body = c.read_exact(size, 5000ms);
    } else if (r.header("Transfer-Encoding") == "chunked") {
      for (;;) {
        const std::size_t n = std::stoul(strip(c.read_line(5000ms)), nullptr, 16);
        if (n == 0) {
          c.read_line(5000ms);
          break;
        }
        r.body += c.read_exact(n, 5000ms);
        c.read_line(5000ms);
      }
    }
    const std::string path = r.target.substr(0, r.target.find('?'));
    std::string session;
    if (const std::string cookie = r.header("Cookie"); cookie.rfind("sid=", 0) == 0) session = cookie.substr(4, 9);
    if (path == "/204") {
      c.send("HTTP/1.1 204 No Content\r\n\r\n");
      continue;
    }
    if (path == "/thanks.php") {
      c.send(response(200, "OK", "<p>Thank you</p>\n", {}, "text/html"));
      continue;
    }
    if (path != "/contact.php") {
      c.send(response(404, "Not Found", "404\n"));
      continue;
    }
    const bool form_method = r.method == "GET" || r.method == "HEAD" || r.method == "POST";
    if (!form_method && !bad.ok_for_any_method) {
      std::vector<std::string> extra;
      if (!bad.no_allow) extra.push_back("Allow: GET, HEAD, POST");
      c.send(response(405, "Method Not Allowed", "405 method not allowed\n", extra));
      continue;
    }
    if (r.method != "POST") {
      if (session.empty() || token_for(session).empty()) session = new_session();
      const std::string page = "<form method=post><input type=\"hidden\" name=\"csrf_token\" value=\"" +
                               token_for(session) + "\"><input name=\"name\"></form>\n";
      std::string out = response(200, "OK", page, {"Set-Cookie: sid=" + session + "; path=/; HttpOnly"}, "text/html");
      if (r.method == "HEAD") out = out.substr(0, out.find("\r\n\r\n") + 4);
      c.send(out);
      continue;
    }
    std::string type = r.header("Content-Type");
    const std::string bare = type.substr(0, type.find(';'));
    if (bare != "application/x-www-form-urlencoded" && bare != "multipart/form-data") {
      if (!bad.accept_any_type) {
        c.send(response(415, "Unsupported Media Type", "415 form types only\n"));
        continue;
      }
      type = "application/x-www-form-urlencoded";
    }
    const auto fields = fields_of(r, type);
    if (!fields) {
      c.send(response(400, "Bad Request", "400 unreadable form\n"));
      continue;
    }
    std::map<std::string, std::string> f;
    bool array = false;
    for (const auto& [k, v] : *fields) {
      f[k] = v;
      array = array || k.find('[') != std::string::npos;
    }
    if (!bad.no_csrf_check && (token_for(session).empty() || f["csrf_token"] != token_for(session))) {
      c.send(response(403, "Forbidden", "403 csrf_token\n"));
      continue;
    }
    if (array) {
      c.send(response(400, "Bad Request", "400 field name: must be a single value\n"));
      continue;
    }
    std::string refused;
    for (const char* k : {"name", "email", "subject"}) {
      if (!bad.header_injection && f[k].find_first_of("\r\n") != std::string::npos) refused = k;
    }
    if (!refused.empty()) {
      c.send(response(400, "Bad Request", "400 field " + refused + ": CR or LF\n"));
      continue;
    }
    for (const char* k : {"name", "email", "message"}) {
      const bool blank = f[k].find_first_not_of(" \t") == std::string::npos;
      if (blank && refused.empty()) refused = k;
    }
    if (!refused.empty()) {
      if (bad.ok_for_missing_fields) c.send(response(200, "OK", "Thank you\n"));
      else c.send(response(400, "Bad Request", "400 field " + refused + ": required\n"));
      continue;
    }
    if (std::count(f["email"].begin(), f["email"].end(), '@') != 1 || f["email"].find(' ') != std::string::npos) {
      c.send(response(400, "Bad Request", "400 field email: not a valid address\n"));
      continue;
    }
    if (config_.smtp_port != 0) {
      // Written the naive way: visitor text straight into header lines, then recipients read from
      // the header section (sendmail -t), Bcc included.
      const std::string subject = f["subject"].empty() ? "Contact form" : f["subject"];
      std::string head = "From: \"fake form\" <" + config_.from + ">\r\nTo: <" + config_.rcpt + ">\r\nReply-To: \"" +
                         f["name"] + "\" <" + f["email"] + ">\r\nSubject: " + subject + "\r\n";
      std::vector<std::string> rcpts{config_.rcpt};
      std::size_t at = 0;
      while ((at = head.find("\nBcc:", at)) != std::string::npos) {
        const auto end = head.find('\r', at);
        // The first address on the line, as a sloppy sendmail -t would take it.
        const std::string value = head.substr(at + 5, end - at - 5);
        const auto sign = value.find('@');
        if (sign != std::string::npos) {
          auto first = value.find_last_of(" \t\"<", sign);
          first = first == std::string::npos ? 0 : first + 1;
          const auto last = value.find_first_of(" \t\">", sign);
          rcpts.push_back(value.substr(first, last == std::string::npos ? std::string::npos : last - first));
        }
        ++at;
      }
      std::string text;
      for (char ch : f["message"]) text += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
      if (send_mail(config_, rcpts, head + "\r\n" + text)) ++mails_;
    }
    c.send(response(303, "See Other", "303\n", {"Location: /thanks.php"}));
  }
}

}  // namespace facteur::testing
