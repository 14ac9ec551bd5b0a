// The HTTP dialect against scripted servers (RawServer): what it sends (Host, Content-Length,
// cookies back, chunked framing, the body only after 100 Continue), and how it ends a case when the
// server misbehaves (malformed or truncated responses, redirect loops, a missing input).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;

// Reads one request head (and a Content-Length body) and returns it as received.
std::string read_request(RawConnection& c) {
  std::string head;
  for (;;) {
    const std::string line = c.read_line(2000ms);
    if (line.empty()) return head;
    head += line;
    if (line == "\r\n") break;
  }
  const auto at = head.find("Content-Length: ");
  if (at != std::string::npos) head += c.read_exact(std::stoul(head.substr(at + 16)), 2000ms);
  return head;
}

report::CaseResult run(RawServer& server, const std::string& steps) {
  const std::string json = R"({"facteur": 1, "id": "test/http", "title": "t", "protocol": "http",
    "spec": [{"rfc": "9110", "section": "9", "level": "MUST"}], "steps": [{"connect": true}, )" + steps + "]}";
  auto settings = testing::local_settings("http", server.port());
  settings.keep_transcripts = true;
  return testing::run_case_sync(testing::inline_scenario(json), settings);
}

TEST(HttpEngine, SendsHostLengthAndCookiesBack) {
  std::mutex m;
  std::vector<std::string> seen;
  RawServer server([&](RawConnection& c) {
    for (int i = 0; i < 2; ++i) {
      const std::string req = read_request(c);
      {
        std::lock_guard lock(m);
        seen.push_back(req);
      }
      c.send(i == 0 ? "HTTP/1.1 200 OK\r\nSet-Cookie: sid=42; Path=/\r\nContent-Length: 39\r\n\r\n<input name=\"t\" value=\"a&amp;b\" type=x>"
                    : "HTTP/1.1 303 See Other\r\nLocation: /thanks\r\nContent-Length: 0\r\n\r\n");
    }
  });
  const auto r = run(server, R"({"http": "GET /form", "fields": {"tok": "t"}},
    {"http": "POST /form", "form": [["t", "${tok}"], ["n", "Zoë x"]], "expect": {"code": 303, "headers": {"Location": "^/thanks$"}}})");
  ASSERT_EQ(r.outcome, Outcome::pass) << text_of(r);
  std::lock_guard lock(m);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_THAT(seen[0], HasSubstr("GET /form HTTP/1.1\r\nHost: 127.0.0.1:"));
  EXPECT_THAT(seen[1], HasSubstr("Cookie: sid=42\r\n"));
  EXPECT_THAT(seen[1], HasSubstr("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nt=a%26b&n=Zo%C3%AB+x"));
}

TEST(HttpEngine, ChunkedAndContinue) {
  std::string got;
  RawServer server([&](RawConnection& c) {
    std::string head;
    for (std::string line; (line = c.read_line(2000ms)) != "\r\n" && !line.empty();) head += line;
    c.send("HTTP/1.1 100 Continue\r\n\r\n");
    std::string body;
    for (std::string line; (line = c.read_line(2000ms)) != "\r\n" && !line.empty();) body += line;
    got = head + "|" + body;
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  const auto r = run(server, R"({"http": "POST /echo", "body": "hello", "chunked": true, "expect_continue": true, "expect": 200})");
  ASSERT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(got, HasSubstr("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n|5\r\nhello\r\n0\r\n"));
}

TEST(HttpEngine, FinalStatusBeforeContinueKeepsTheBody) {
  RawServer server([&](RawConnection& c) {
    for (std::string line; (line = c.read_line(2000ms)) != "\r\n" && !line.empty();) {
    }
    c.send("HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    c.wait_closed(2000ms);
  });
  const auto r = run(server, R"({"http": "POST /x", "body": "never sent", "expect_continue": true, "expect": 413})");
  ASSERT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(text_of(r), HasSubstr("the content is not sent"));
  EXPECT_THAT(text_of(r), ::testing::Not(HasSubstr("never sent")));
}

TEST(HttpEngine, ReconnectsAfterClose) {
  RawServer server([&](RawConnection& c) {
    read_request(c);
    c.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  const auto r = run(server, R"({"http": "GET /a"}, {"http": "GET /b"})");
  ASSERT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_EQ(server.connections(), 2);
}

struct Hostile {
  const char* name;
  const char* reply;
  const char* steps;
  const char* why;
};

class HttpHostile : public ::testing::TestWithParam<Hostile> {};

TEST_P(HttpHostile, FailsWithAReason) {
  const Hostile& h = GetParam();
  RawServer server([&](RawConnection& c) {
    for (int i = 0; i < 8; ++i) {
      if (read_request(c).empty()) return;
      c.send(h.reply);
      if (std::string_view(h.reply).find("Connection: close") != std::string_view::npos) return;
    }
  });
  const auto r = run(server, h.steps);
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr(h.why)) << text_of(r);
}

const Hostile kHostile[] = {
    {"garbage", "SMTP 220 ready\r\n\r\n", R"({"http": "GET /"})", "malformed HTTP response"},
    {"truncated", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort", R"({"http": "GET /"})",
     "incomplete HTTP response"},
    {"redirect_loop", "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n",
     R"({"http": "GET /", "follow": true})", "more than 5 redirects"},
    {"cross_origin", "HTTP/1.1 303 See Other\r\nLocation: http://elsewhere.example/x\r\nContent-Length: 0\r\n\r\n",
     R"({"http": "GET /", "follow": true})", "another server"},
    {"no_input", "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n<p>no form</p", R"({"http": "GET /", "fields": {"t": "csrf_token"}})",
     "no <input name=\"csrf_token\">"},
    {"wrong_status", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", R"({"http": "DELETE /", "expect": 405})",
     "reply code 200 is not acceptable"},
    {"header_missing", "HTTP/1.1 405 No\r\nContent-Length: 0\r\n\r\n", R"({"http": "DELETE /", "expect": {"code": 405, "headers": {"Allow": "POST"}}})",
     "no Allow header field"},
    {"header_present", "HTTP/1.1 200 OK\r\nX-Powered-By: PHP\r\nContent-Length: 0\r\n\r\n",
     R"({"http": "GET /", "expect": {"code": 200, "absent_headers": ["x-powered-by"]}})", "unexpected X-Powered-By header field"},
};

INSTANTIATE_TEST_SUITE_P(Servers, HttpHostile, ::testing::ValuesIn(kHostile),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace facteur
