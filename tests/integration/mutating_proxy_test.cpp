// The mutating proxy of tests/support, on its own: its stream rewriting sans I/O (every byte split
// gives the same output), then the proxy between a test client and a scripted upstream
// (tests/support/raw_server.hpp).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/mutating_proxy.hpp"
#include "tests/support/raw_server.hpp"

namespace facteur::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

ProxyRule rule(const std::string& json_text) { return parse_proxy_rule(nlohmann::json::parse(json_text)); }

// --- sans I/O ----------------------------------------------------------------------------------

struct Fed {
  std::string out;
  bool open = true;
  std::vector<std::string> fired;
};

// Feeds `server` in pieces of `piece` octets (0 = at once), with `client` bytes fed first.
Fed feed(const std::vector<ProxyRule>& rules, std::string_view server, std::size_t piece = 0,
         std::string_view client = {}, int connection = 1, bool literals = true) {
  Fed f;
  ProxyStream s(rules, connection, literals, false,
                [&](std::size_t i, const std::string& what) { f.fired.push_back(std::to_string(i + 1) + " " + what); });
  std::string forwarded;
  s.from_client(client, forwarded);
  if (piece == 0) piece = server.size() + 1;
  for (std::size_t at = 0; at < server.size() && f.open; at += piece) f.open = s.from_server(server.substr(at, piece), f.out);
  if (f.open) f.open = s.server_closed(f.out);
  return f;
}

// The output must not depend on how the server's bytes were split.
void expect_any_split(const std::vector<ProxyRule>& rules, std::string_view server, const std::string& want,
                      std::string_view client = {}) {
  for (std::size_t piece = 1; piece <= server.size(); ++piece) {
    EXPECT_EQ(feed(rules, server, piece, client).out, want) << "split every " << piece << " octets";
  }
}

// Client bytes through the client rules, fed in pieces of `piece` octets.
std::string feed_client(const std::vector<ProxyRule>& rules, std::string_view client, std::size_t piece) {
  ProxyStream s(rules, 1, false, false);
  std::string out;
  for (std::size_t at = 0; at < client.size(); at += piece) s.from_client(client.substr(at, piece), out);
  return out;
}

TEST(ProxyStream, ClientRulesRewriteClientLines) {
  const std::vector<ProxyRule> rules{rule(R"j({"match": "^REST \\d+$", "replace": "REST 0", "client": true})j"),
                                     rule(R"j({"match": "^NOOP$", "drop": true, "client": true})j")};
  const std::string wire = "TYPE I\r\nREST 100000\r\nNOOP\r\nRETR x\r\n";
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    EXPECT_EQ(feed_client(rules, wire, piece), "TYPE I\r\nREST 0\r\nRETR x\r\n") << "split every " << piece;
  }
  // Without client rules the client's bytes pass as they are, a partial line included.
  EXPECT_EQ(feed_client({rule(R"j({"match": "REST", "replace": "x"})j")}, "REST 5\r\nRE", 3), "REST 5\r\nRE");
}

TEST(ProxyStream, ClientRulesOnlyReplaceOrDrop) {
  EXPECT_THROW(rule(R"j({"match": "x", "close": true, "client": true})j"), std::invalid_argument);
  EXPECT_THROW(rule(R"j({"match": "x", "insert_after": "y", "client": true})j"), std::invalid_argument);
}

TEST(ProxyStream, FtpAuthTlsAnswered234GoesBlind) {
  const std::vector<ProxyRule> rules{rule(R"j({"match": "x", "replace": "y"})j")};
  // After "234" to AUTH TLS everything is TLS: forwarded untouched.
  EXPECT_EQ(feed(rules, "234 Proceed\r\nx\r\n", 0, "AUTH TLS\r\n", 1, false).out, "234 Proceed\r\nx\r\n");
  // A refusal keeps the proxy reading lines.
  EXPECT_EQ(feed(rules, "504 No\r\nx\r\n", 0, "AUTH TLS\r\n", 1, false).out, "504 No\r\ny\r\n");
  // A client rule does not stop the watch.
  const std::vector<ProxyRule> with_client{rules[0], rule(R"j({"match": "^NOOP$", "drop": true, "client": true})j")};
  EXPECT_EQ(feed(with_client, "234 Go\r\nx\r\n", 0, "AUTH TLS\r\n", 1, false).out, "234 Go\r\nx\r\n");
}

TEST(ProxyStream, ForwardsUnchangedWithoutRules) {
  const std::string wire = "* OK ready\r\nbare LF\n* 1 FETCH (BODY[] {5}\r\nab\ncd)\r\nno end";
  expect_any_split({}, wire, wire);
}

TEST(ProxyStream, ReplaceUsesGroups) {
  expect_any_split({rule(R"j({"match": "^\\* OK (\\w+)", "replace": "* NO $1!"})j")}, "* OK ready now\r\n",
                   "* NO ready! now\r\n");
}

TEST(ProxyStream, ReplaceChangesTheFirstMatchOnly) {
  EXPECT_EQ(feed({rule(R"j({"match": "a", "replace": "b"})j")}, "aaa\r\n").out, "baa\r\n");
}

TEST(ProxyStream, ReplaceCanMakeSeveralLines) {
  expect_any_split({rule(R"j({"match": "^(a1) OK (.*)$", "replace": "* 1 EXPUNGE\r\n$1 OK $2"})j")}, "a1 OK done\r\n",
                   "* 1 EXPUNGE\r\na1 OK done\r\n");
}

TEST(ProxyStream, RulesApplyInOrder) {
  const auto f = feed({rule(R"j({"match": "a", "replace": "b"})j"), rule(R"j({"match": "^b", "replace": "c"})j"),
                       rule(R"j({"match": "c", "drop": true})j"), rule(R"j({"match": ".", "replace": "never"})j")},
                      "a\r\nz\r\n");
  EXPECT_EQ(f.out, "never\r\n");  // "a" became "b", then "c", then was dropped; "z" only met the last rule
  EXPECT_EQ(f.fired.size(), 4u);
}

TEST(ProxyStream, VeryLongLinesPassUnchanged) {
  const std::string long_line = "* SEARCH" + std::string(70 * 1024, '1') + "\r\n";
  EXPECT_EQ(feed({rule(R"j({"match": "^\\* SEARCH(1+)$", "replace": "* SEARCH 2"})j")}, long_line + "* SEARCH1\r\n").out,
            long_line + "* SEARCH 2\r\n");
}

TEST(ProxyStream, KeepsTheLineEnding) {
  EXPECT_EQ(feed({rule(R"j({"match": "x$", "replace": "y"})j")}, "x\nx\r\nx").out, "y\ny\r\ny");
}

TEST(ProxyStream, DropAndInsert) {
  const std::string wire = "* 1 EXISTS\r\n* 0 RECENT\r\na1 OK done\r\n";
  expect_any_split({rule(R"j({"match": "RECENT", "drop": true})j")}, wire, "* 1 EXISTS\r\na1 OK done\r\n");
  expect_any_split({rule(R"j({"match": "EXISTS", "insert_after": "* 9 EXPUNGE"})j")}, wire,
                   "* 1 EXISTS\r\n* 9 EXPUNGE\r\n* 0 RECENT\r\na1 OK done\r\n");
}

TEST(ProxyStream, OccurrenceCountsMatchingLines) {
  const auto f = feed({rule(R"j({"match": "^\\* x", "replace": "* y", "occurrence": 2})j")}, "* x\r\n* z\r\n* x\r\n* x\r\n");
  EXPECT_EQ(f.out, "* x\r\n* z\r\n* y\r\n* x\r\n");
  EXPECT_EQ(f.fired.size(), 1u);
}

TEST(ProxyStream, ConnectionSelectsTheSession) {
  const std::vector<ProxyRule> rules{rule(R"j({"match": "x", "replace": "y", "connection": 2})j")};
  EXPECT_EQ(feed(rules, "x\r\n", 0, {}, 1).out, "x\r\n");
  EXPECT_EQ(feed(rules, "x\r\n", 0, {}, 2).out, "y\r\n");
}

TEST(ProxyStream, CloseStopsBeforeTheLine) {
  const auto f = feed({rule(R"j({"match": "^L2", "close": true})j")}, "L1\r\nL2\r\nL3\r\n");
  EXPECT_EQ(f.out, "L1\r\n");
  EXPECT_FALSE(f.open);
}

TEST(ProxyStream, RulesNeverSeeLiteralOctets) {
  const std::string literal = "a secret\r\n* BYE\r\n";
  const std::string wire = "* 1 FETCH (BODY[] {" + std::to_string(literal.size()) + "}\r\n" + literal + ")\r\na1 OK\r\n";
  const std::vector<ProxyRule> rules{rule(R"j({"match": "secret", "replace": "public"})j"),
                                     rule(R"j({"match": "BYE", "drop": true})j"),
                                     rule(R"j({"match": "^\\)$", "insert_after": "* 2 EXISTS"})j")};
  const std::string want = "* 1 FETCH (BODY[] {" + std::to_string(literal.size()) + "}\r\n" + literal +
                           ")\r\n* 2 EXISTS\r\na1 OK\r\n";
  expect_any_split(rules, wire, want);
  EXPECT_EQ(feed(rules, wire).fired.size(), 1u);  // only the line after the literal
}

TEST(ProxyStream, LiteralFormsAndLiteralsOff) {
  const std::vector<ProxyRule> rules{rule(R"j({"match": "x", "replace": "y"})j")};
  EXPECT_EQ(feed(rules, "* 1 FETCH (BINARY[] ~{3}\r\nx\r\n)\r\n").out, "* 1 FETCH (BINARY[] ~{3}\r\nx\r\n)\r\n");
  EXPECT_EQ(feed(rules, "a {2+}\r\nx\n)\r\n").out, "a {2+}\r\nx\n)\r\n");
  EXPECT_EQ(feed(rules, "+OK {1}\r\nx\r\n", 0, {}, 1, false).out, "+OK {1}\r\ny\r\n");  // POP3: no literals
  EXPECT_EQ(feed(rules, "* {}\r\nx\r\n").out, "* {}\r\ny\r\n");                          // not a literal
}

TEST(ProxyStream, LiteralDeltaRewritesTheAnnouncementOnly) {
  const std::string wire = "* 1 FETCH (BODY[] {5}\r\nhello)\r\na1 OK\r\n";
  const std::vector<ProxyRule> plus{rule(R"j({"match": "BODY\\[\\]", "literal_delta": 1})j"),
                                    rule(R"j({"match": "hello", "replace": "bye"})j")};
  expect_any_split(plus, wire, "* 1 FETCH (BODY[] {6}\r\nhello)\r\na1 OK\r\n");
  EXPECT_EQ(feed({rule(R"j({"match": "\\{5\\}$", "literal_delta": -9})j")}, wire).out,
            "* 1 FETCH (BODY[] {0}\r\nhello)\r\na1 OK\r\n");
}

TEST(ProxyStream, DroppingALineDropsItsLiteral) {
  const std::string wire = "* 1 FETCH (BODY[] {5}\r\nhello)\r\na1 OK\r\n";
  EXPECT_EQ(feed({rule(R"j({"match": "FETCH", "drop": true})j")}, wire).out, ")\r\na1 OK\r\n");
  // With insert_after, a line takes the place of the line and its literal.
  expect_any_split({rule(R"j({"match": "FETCH", "drop": true, "insert_after": "* 1 FETCH (BODY[] \"bye\")"})j"),
                    rule(R"j({"match": "^\\)$", "drop": true})j")},
                   wire, "* 1 FETCH (BODY[] \"bye\")\r\na1 OK\r\n");
}

TEST(ProxyStream, BlindAfterStarttls) {
  const std::vector<ProxyRule> rules{rule(R"j({"match": "marker", "replace": "MUTATED"})j")};
  // IMAP: untagged lines before the tagged OK are still filtered; everything after it is not.
  expect_any_split(rules, "* OK marker\r\n* marker\r\na1 OK Begin TLS\r\n* OK marker\r\n",
                   "* OK MUTATED\r\n* MUTATED\r\na1 OK Begin TLS\r\n* OK marker\r\n", "a1 STARTTLS\r\n");
  // Refused: still plain text.
  EXPECT_EQ(feed(rules, "a1 NO later\r\nmarker\r\n", 0, "a1 STARTTLS\r\n").out, "a1 NO later\r\nMUTATED\r\n");
  // POP3 STLS, SMTP STARTTLS.
  EXPECT_EQ(feed(rules, "+OK Begin TLS\r\nmarker\r\n", 0, "STLS\r\n").out, "+OK Begin TLS\r\nmarker\r\n");
  EXPECT_EQ(feed(rules, "-ERR no\r\nmarker\r\n", 0, "stls\r\n").out, "-ERR no\r\nMUTATED\r\n");
  EXPECT_EQ(feed(rules, "220 2.0.0 go\r\nmarker\r\n", 0, "STARTTLS\r\n").out, "220 2.0.0 go\r\nmarker\r\n");
  // A STARTTLS line inside a client literal is no command.
  EXPECT_EQ(feed(rules, "a1 OK\r\nmarker\r\n", 0, "a0 APPEND INBOX {13}\r\na1 STARTTLS\r\n\r\n").out,
            "a1 OK\r\nMUTATED\r\n");
}

TEST(ProxyStream, ImplicitTlsIsBlindFromTheStart) {
  std::string out;
  const std::vector<ProxyRule> rules{rule(R"j({"match": "x", "close": true})j")};
  ProxyStream s(rules, 1, true, true);
  EXPECT_TRUE(s.from_server("x\r\n", out));
  EXPECT_EQ(out, "x\r\n");
}

// --- rule JSON -----------------------------------------------------------------------------------

TEST(ProxyRuleJson, ReadsEveryKey) {
  const ProxyRule r = rule(R"j({"match": "^(a)", "replace": "$1b", "insert_after": "z", "occurrence": 2,
                                "connection": 3, "literal_delta": -1})j");
  EXPECT_EQ(r.match, "^(a)");
  EXPECT_EQ(r.replace, "$1b");
  EXPECT_EQ(r.insert_after, "z");
  EXPECT_EQ(r.occurrence, 2);
  EXPECT_EQ(r.connection, 3);
  EXPECT_EQ(r.literal_delta, -1);
  EXPECT_TRUE(rule(R"j({"match": "a", "drop": true})j").drop);
  EXPECT_TRUE(rule(R"j({"match": "a", "close": true})j").close);
}

TEST(ProxyRuleJson, RefusesMistakes) {
  auto error = [](const std::string& text) {
    try {
      (void)parse_proxy_rules(nlohmann::json::parse(text));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(error(R"j([{"match": "a", "repalce": "b"}])j"), HasSubstr("unknown key 'repalce'"));
  EXPECT_THAT(error(R"j([{"replace": "b"}])j"), HasSubstr("'match'"));
  EXPECT_THAT(error(R"j([{"match": "(", "drop": true}])j"), HasSubstr("bad regex"));
  EXPECT_THAT(error(R"j([{"match": "a"}])j"), HasSubstr("does nothing"));
  EXPECT_THAT(error(R"j([{"match": "a", "close": true, "drop": true}])j"), HasSubstr("close goes alone"));
  EXPECT_THAT(error(R"j([{"match": "a", "drop": true, "replace": "b"}])j"), HasSubstr("drop goes alone"));
  EXPECT_THAT(error(R"j([{"match": "a", "drop": true, "literal_delta": 1}])j"), HasSubstr("drop goes alone"));
  EXPECT_EQ(error(R"j([{"match": "a", "drop": true, "insert_after": "b"}])j"), "no error");
  EXPECT_THAT(error(R"j([{"match": "a", "drop": "yes"}])j"), HasSubstr("true or false"));
  EXPECT_THAT(error(R"j([{"match": "a", "drop": true, "occurrence": -1}])j"), HasSubstr("counts from 1"));
  EXPECT_THAT(error(R"j({"match": "a"})j"), HasSubstr("array"));
  ProxyRule bad;
  bad.match = "[";
  bad.drop = true;
  EXPECT_THROW((void)MutatingProxy({"127.0.0.1", 1, {bad}}), std::invalid_argument);
}

// --- over sockets --------------------------------------------------------------------------------

// A blocking test client.
class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ADD_FAILURE() << "connect failed";
  }
  ~Client() { close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Everything received until `needle` has arrived, the peer closed, or `timeout` passed.
  std::string read_until(std::string_view needle, std::chrono::milliseconds timeout = 2s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (got_.find(needle) == std::string::npos && !closed_ && std::chrono::steady_clock::now() < until) poll_once();
    return got_;
  }
  // True when the peer closed within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout = 2s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < until) poll_once();
    return closed_;
  }

 private:
  void poll_once() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) return;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) closed_ = true;
    else got_.append(buf, static_cast<std::size_t>(n));
  }
  int fd_;
  std::string got_;
  bool closed_ = false;
};

// What a scripted upstream received (scripts run on the server's threads).
struct Upstream {
  std::mutex mutex;
  std::vector<std::string> received;
  std::vector<std::string> received_lines() {
    std::lock_guard lock(mutex);
    return received;
  }
};

ProxyOptions to(const RawServer& server, std::vector<ProxyRule> rules = {}) {
  ProxyOptions o;
  o.upstream_port = server.port();
  o.rules = std::move(rules);
  return o;
}

TEST(MutatingProxy, ForwardsBothWays) {
  Upstream up;
  RawServer server([&](RawConnection& c) {
    c.send("* OK ready\r\n");
    const std::string line = c.read_line(2s);
    {
      std::lock_guard lock(up.mutex);
      up.received.push_back(line);
    }
    c.send("a1 OK done\r\n");
    c.wait_closed(2s);
  });
  MutatingProxy proxy(to(server));
  Client client(proxy.port());
  EXPECT_EQ(client.read_until("ready\r\n"), "* OK ready\r\n");
  client.send("a1 NOOP\r\n");
  EXPECT_EQ(client.read_until("done\r\n"), "* OK ready\r\na1 OK done\r\n");
  EXPECT_EQ(up.received_lines(), std::vector<std::string>{"a1 NOOP\r\n"});
  EXPECT_EQ(proxy.connections(), 1);
}

TEST(MutatingProxy, AppliesRulesToTheServerStream) {
  RawServer server([](RawConnection& c) {
    c.send("* OK ready\r\n* 1 EXISTS\r\n* 0 RECENT\r\n* x\r\n* x\r\nLAST\r\n");
    c.wait_closed(2s);
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "^\\* OK (.*)$", "replace": "* BAD $1"})j"),
                                  rule(R"j({"match": "RECENT", "drop": true})j"),
                                  rule(R"j({"match": "EXISTS", "insert_after": "* 7 EXPUNGE"})j"),
                                  rule(R"j({"match": "^\\* x", "replace": "* y", "occurrence": 2})j")}));
  Client client(proxy.port());
  EXPECT_EQ(client.read_until("LAST\r\n"), "* BAD ready\r\n* 1 EXISTS\r\n* 7 EXPUNGE\r\n* x\r\n* y\r\nLAST\r\n");
  EXPECT_EQ(proxy.fired(), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_THAT(proxy.log(), ::testing::Contains(HasSubstr("rule 2 dropped '* 0 RECENT'")));
}

TEST(MutatingProxy, ConnectionRuleTouchesOnlyThatConnection) {
  RawServer server([](RawConnection& c) {
    c.send("* OK ready\r\n");
    c.wait_closed(2s);
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "ready", "replace": "mutated", "connection": 2})j")}));
  std::string first, second;
  {
    Client a(proxy.port());
    first = a.read_until("\r\n");
  }
  {
    Client b(proxy.port());
    second = b.read_until("\r\n");
  }
  EXPECT_EQ(first, "* OK ready\r\n");
  EXPECT_EQ(second, "* OK mutated\r\n");
  EXPECT_EQ(proxy.connections(), 2);
  EXPECT_EQ(proxy.fired(), std::vector<int>{1});
}

TEST(MutatingProxy, CloseRuleClosesBothSides) {
  std::promise<bool> upstream_closed;
  RawServer server([&](RawConnection& c) {
    c.send("L1\r\nL2\r\nL3\r\n");
    upstream_closed.set_value(c.wait_closed(3s));
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "^L2", "close": true})j")}));
  Client client(proxy.port());
  EXPECT_TRUE(client.closed_within());
  EXPECT_EQ(client.read_until("never"), "L1\r\n");
  auto closed = upstream_closed.get_future();
  ASSERT_EQ(closed.wait_for(4s), std::future_status::ready);
  EXPECT_TRUE(closed.get()) << "the upstream connection stayed open";
}

TEST(MutatingProxy, LiteralsPassUntouched) {
  const std::string literal = "secret\r\n* BYE\r\n";
  const std::string fetch = "* 1 FETCH (BODY[] {" + std::to_string(literal.size()) + "}\r\n" + literal + ")\r\n";
  RawServer server([&](RawConnection& c) {
    c.send(fetch.substr(0, 22));  // split inside the announcement and the octets
    std::this_thread::sleep_for(20ms);
    c.send(fetch.substr(22, 10));
    std::this_thread::sleep_for(20ms);
    c.send(fetch.substr(32) + "* 5 FETCH (BODY[] {5}\r\nhello)\r\na1 OK\r\n");
    c.wait_closed(2s);
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "secret|BYE", "replace": "x"})j"),
                                  rule(R"j({"match": "^\\* 5 FETCH", "literal_delta": 2})j")}));
  Client client(proxy.port());
  EXPECT_EQ(client.read_until("a1 OK\r\n"), fetch + "* 5 FETCH (BODY[] {7}\r\nhello)\r\na1 OK\r\n");
  EXPECT_EQ(proxy.fired(), (std::vector<int>{0, 1}));
}

TEST(MutatingProxy, BlindOnceStarttlsIsAccepted) {
  RawServer server([](RawConnection& c) {
    c.send("* OK marker\r\n");
    if (c.read_line(2s) != "a1 STARTTLS\r\n") return;
    c.send("a1 OK Begin TLS negotiation now\r\n");
    (void)c.read_line(2s);  // the "ClientHello"
    c.send("marker after TLS\r\n");
    c.wait_closed(2s);
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "marker", "replace": "MUTATED"})j")}));
  Client client(proxy.port());
  EXPECT_EQ(client.read_until("\r\n"), "* OK MUTATED\r\n");
  client.send("a1 STARTTLS\r\n");
  client.read_until("negotiation now\r\n");
  client.send("\x16\x03\x01 hello\n");
  EXPECT_EQ(client.read_until("after TLS\r\n"), "* OK MUTATED\r\na1 OK Begin TLS negotiation now\r\nmarker after TLS\r\n");
  EXPECT_EQ(proxy.fired(), std::vector<int>{1});
}

TEST(MutatingProxy, ImplicitTlsUpstreamIsForwardedBlindly) {
  RawServer server([](RawConnection& c) {
    c.send("marker\r\n");
    c.wait_closed(2s);
  });
  ProxyOptions o = to(server, {rule(R"j({"match": "marker", "close": true})j")});
  o.implicit_tls = true;
  MutatingProxy proxy(o);
  Client client(proxy.port());
  EXPECT_EQ(client.read_until("\r\n"), "marker\r\n");
}

TEST(MutatingProxy, EitherSideClosingClosesTheOther) {
  std::promise<bool> upstream_closed;
  RawServer server([&](RawConnection& c) {
    if (c.read_line(2s) == "bye\r\n") {
      c.send("last words");  // no LF: still delivered, through the rules
      return;                // closes
    }
    upstream_closed.set_value(c.wait_closed(3s));
  });
  MutatingProxy proxy(to(server, {rule(R"j({"match": "words$", "replace": "WORDS"})j")}));
  {
    Client client(proxy.port());
    client.send("bye\r\n");
    EXPECT_TRUE(client.closed_within());
    EXPECT_EQ(client.read_until("never"), "last WORDS");
  }
  {
    Client client(proxy.port());
    client.send("hello\r\n");
    client.close();
    auto closed = upstream_closed.get_future();
    ASSERT_EQ(closed.wait_for(4s), std::future_status::ready);
    EXPECT_TRUE(closed.get());
  }
}

TEST(MutatingProxy, UpstreamDownClosesTheClient) {
  std::uint16_t dead_port = 0;
  {
    RawServer gone([](RawConnection&) {});
    dead_port = gone.port();
  }
  MutatingProxy proxy({"127.0.0.1", dead_port, {}});
  Client client(proxy.port());
  EXPECT_TRUE(client.closed_within());
  EXPECT_THAT(proxy.log(), ::testing::Contains(HasSubstr("connect 127.0.0.1")));
  EXPECT_EQ(proxy.upstream_failures(), 1);
}

TEST(MutatingProxy, DestructorDoesNotWaitForOpenConnections) {
  RawServer server([](RawConnection& c) { c.wait_closed(10s); });
  auto proxy = std::make_unique<MutatingProxy>(to(server));
  Client client(proxy->port());
  client.send("a1 NOOP\r\n");
  for (int i = 0; i < 100 && server.connections() == 0; ++i) std::this_thread::sleep_for(10ms);
  const auto start = std::chrono::steady_clock::now();
  proxy.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(client.closed_within());
}

}  // namespace
}  // namespace facteur::testing
