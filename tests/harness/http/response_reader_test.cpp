// Responses read from bytes with Beast's parser (RFC 9112 §6): Content-Length, chunked and
// close-delimited bodies, HEAD, 1xx, a bounded body; each fed whole, in two pieces at every
// position, and one octet at a time, giving the same response.
#include <gtest/gtest.h>

#include "harness/http/response_reader.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::http {
namespace {

struct Read {
  Response r;
  bool complete = false;
  std::string error;
  std::size_t left = 0;  // octets after the response
};

Read read(const std::vector<std::string_view>& chunks, bool eof = false, std::size_t keep = 1 << 20, bool head = false) {
  ResponseReader reader(keep, head);
  std::string rx;
  Read out;
  for (auto c : chunks) {
    rx += c;
    const auto res = reader.feed(rx);
    if (res.status == ResponseReader::Result::Status::error) {
      out.error = res.error;
      return out;
    }
    rx.erase(0, res.consumed);
    if (res.status == ResponseReader::Result::Status::complete) {
      out.complete = true;
      out.r = reader.response();
      out.left = rx.size();
      return out;
    }
  }
  if (eof) {
    const auto res = reader.end_of_stream();
    out.complete = res.status == ResponseReader::Result::Status::complete;
    out.error = res.error;
    out.r = reader.response();
  }
  return out;
}

void every_way(std::string_view wire, const std::function<void(const Read&)>& check, bool eof = false) {
  for (const auto& chunks : test::every_chunking(wire)) check(read(chunks, eof));
}

TEST(ResponseReader, ContentLength) {
  const std::string wire = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Length: 5\r\n\r\nhello";
  every_way(wire, [](const Read& x) {
    ASSERT_TRUE(x.complete) << x.error;
    EXPECT_EQ(x.r.status, 405);
    EXPECT_EQ(x.r.reason, "Method Not Allowed");
    EXPECT_EQ(x.r.header("allow"), "GET, HEAD, POST");
    EXPECT_EQ(x.r.body, "hello");
    EXPECT_TRUE(x.r.keep_alive);
  });
}

TEST(ResponseReader, ChunkedWithTheNextResponseBehind) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
      "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
  every_way(wire, [](const Read& x) {
    if (!x.complete) return;  // cut before the end of the first response
    EXPECT_EQ(x.r.body, "abc0123456789abcdef");
    EXPECT_TRUE(x.r.chunked);
    EXPECT_EQ(x.r.all("Set-Cookie"), (std::vector<std::string>{"a=1", "b=2"}));
  });
  const Read whole = read({wire});
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.left, std::string_view("HTTP/1.1 204 No Content\r\n\r\n").size());
}

TEST(ResponseReader, CloseDelimitedBody) {
  const std::string wire = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end";
  every_way(wire, [](const Read& x) {
    ASSERT_TRUE(x.complete) << x.error;
    EXPECT_EQ(x.r.body, "until the end");
    EXPECT_FALSE(x.r.keep_alive);
  }, true);
}

TEST(ResponseReader, TruncatedIsAnError) {
  const Read x = read({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"}, true);
  EXPECT_FALSE(x.complete);
  EXPECT_NE(x.error.find("inside the response body"), std::string::npos);
  const Read y = read({"HTTP/1.1 200 O"}, true);
  EXPECT_FALSE(y.complete);
  EXPECT_NE(y.error.find("head"), std::string::npos);
}

TEST(ResponseReader, HeadAndInterim) {
  const Read head = read({"HTTP/1.1 200 OK\r\nContent-Length: 375\r\n\r\n"}, false, 1 << 20, true);
  EXPECT_TRUE(head.complete);
  EXPECT_EQ(head.r.body_size, 0u);
  const Read cont = read({"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"});
  EXPECT_TRUE(cont.complete);
  EXPECT_TRUE(cont.r.interim());
  EXPECT_EQ(cont.left, std::string_view("HTTP/1.1 200 OK\r\n").size());
}

TEST(ResponseReader, BodyKeptUpToTheLimitAndCounted) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'z');
  every_way(wire, [](const Read& x) {
    ASSERT_TRUE(x.complete);
    EXPECT_EQ(x.r.body_size, 100u);
  });
  const Read x = read({wire}, false, 10);
  EXPECT_EQ(x.r.body, std::string(10, 'z'));
  EXPECT_EQ(x.r.body_size, 100u);
}

TEST(ResponseReader, MalformedRefused) {
  EXPECT_FALSE(read({"HTTP/1.1 2x0 OK\r\n\r\n"}).error.empty());
  EXPECT_FALSE(read({"SMTP 220 hello\r\n\r\n"}).error.empty());
  EXPECT_FALSE(read({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}).error.empty());
  EXPECT_FALSE(read({"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}).error.empty());
}

}  // namespace
}  // namespace facteur::http
