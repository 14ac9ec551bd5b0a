// The POP3 dialect of the engine against a small well-behaved maildrop scripted on a RawServer:
// which responses are multi-line, dot-unstuffing, the maildrop invariants, APOP and USER/PASS with
// their secrets kept out of the transcript, and QUIT waiting for the server to close.
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"
#include "tests/support/server_log.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;

using Log = testing::ServerLog;

// RFC 1939 §3: a line of a multi-line body that starts with "." gets one more.
std::string stuffed(const std::string& message) {
  std::string out;
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

// A maildrop of two messages (as they are, unstuffed; every line ends in CRLF) served properly.
struct Maildrop {
  std::string greeting = "+OK POP3 ready\r\n";
  std::vector<std::string> messages{
      "Subject: one\r\nFrom: a@example.test\r\n\r\nline 1\r\nline 2\r\n",
      "Subject: dots\r\n\r\n.leading dot\r\n.\r\n..\r\nplain\r\n",
  };
  long list_lie = 0;                       // added to what LIST says of message 1
  std::chrono::milliseconds quit_close{0};  // delay between QUIT's +OK and the close
  bool close_after_quit = true;
  // Called first for each line; true when it answered.
  std::function<bool(RawConnection&, const std::string&)> hook;
};

std::size_t listed_size(const Maildrop& m, std::size_t i) {
  return m.messages[i].size() + static_cast<std::size_t>(i == 0 ? m.list_lie : 0);
}

// The first `k` body lines after the header and its blank line (RFC 1939 §7 TOP).
std::string top_of(const std::string& message, std::size_t k) {
  const auto blank = message.find("\r\n\r\n");
  std::size_t end = blank + 4;
  for (std::size_t i = 0; i < k && end < message.size(); ++i) end = message.find("\r\n", end) + 2;
  return message.substr(0, end);
}

RawServer::Script pop3_server(std::shared_ptr<const Maildrop> m, std::shared_ptr<Log> log) {
  return [m = std::move(m), log = std::move(log)](RawConnection& c) {
    c.send(m->greeting);
    for (;;) {
      std::string line = c.read_line(3s);
      if (line.empty()) return;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      log->add(line);
      if (m->hook && m->hook(c, line)) continue;
      const std::string verb = line.substr(0, line.find(' '));
      const std::string arg = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
      const std::size_t n = std::strtoul(arg.c_str(), nullptr, 10);  // the message number, when there is one
      const std::size_t count = m->messages.size();
      if (verb == "USER" || verb == "NOOP") {
        c.send("+OK\r\n");
      } else if (verb == "PASS") {
        c.send("+OK maildrop locked\r\n");
      } else if (verb == "STAT") {
        c.send("+OK " + std::to_string(count) + " " + std::to_string(listed_size(*m, 0) + listed_size(*m, 1)) + "\r\n");
      } else if (verb == "LIST" && arg.empty()) {
        std::string out = "+OK scan listing follows\r\n";
        for (std::size_t i = 0; i < count; ++i) out += std::to_string(i + 1) + " " + std::to_string(listed_size(*m, i)) + "\r\n";
        c.send(out + ".\r\n");
      } else if (verb == "LIST") {
        c.send("+OK " + arg + " " + std::to_string(listed_size(*m, n - 1)) + "\r\n");
      } else if (verb == "UIDL" && arg.empty()) {
        std::string out = "+OK\r\n";
        for (std::size_t i = 0; i < count; ++i) out += std::to_string(i + 1) + " uid-" + std::to_string(i + 1) + "\r\n";
        c.send(out + ".\r\n");
      } else if (verb == "UIDL") {
        c.send("+OK " + arg + " uid-" + arg + "\r\n");
      } else if (verb == "RETR") {
        c.send("+OK message follows\r\n" + stuffed(m->messages[n - 1]) + ".\r\n");
      } else if (verb == "TOP") {
        const std::size_t k = std::stoul(arg.substr(arg.find(' ') + 1));
        c.send("+OK top follows\r\n" + stuffed(top_of(m->messages[n - 1], k)) + ".\r\n");
      } else if (verb == "CAPA") {
        c.send("+OK capability list follows\r\nUSER\r\nUIDL\r\nTOP\r\nSASL PLAIN\r\n.\r\n");
      } else if (verb == "QUIT") {
        c.send("+OK bye\r\n");
        std::this_thread::sleep_for(m->quit_close);
        if (m->close_after_quit) return;
        c.wait_closed(3s);
        return;
      } else {
        c.send("-ERR unknown command\r\n");
      }
    }
  };
}

std::string scenario(const std::string& steps) {
  return R"j({"facteur": 1, "id": "test/pop3-engine", "title": "engine mechanics", "protocol": "pop3",
              "spec": [{"rfc": "1939", "section": "3", "level": "MUST"}],
              "steps": [{"connect": {}}, )j" +
         steps + "]}";
}

const char* const kLogin = R"j({"login": {"user": "alice", "password": "hunter2-pop"}})j";

struct Timed {
  report::CaseResult result;
  double ms = 0;
};

Timed run(const Maildrop& m, const std::string& steps, std::shared_ptr<Log> log = std::make_shared<Log>()) {
  RawServer server(pop3_server(std::make_shared<const Maildrop>(m), std::move(log)));
  auto settings = testing::local_settings("pop3", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = 1000ms;
  const auto start = std::chrono::steady_clock::now();
  Timed t;
  t.result = testing::run_case_sync(testing::inline_scenario(scenario(steps)), settings);
  t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return t;
}

// --- framing --------------------------------------------------------------------------------------

TEST(Pop3Engine, MultiLineOrNotFollowsTheCommand) {
  // Each response is read as the command implies (RFC 1939 / RFC 2449): a wrong guess would leave
  // a body in the buffer (read as the next status line) or wait for one that never comes.
  const auto t = run(Maildrop{}, std::string(kLogin) + R"j(,
      {"pop3": "STAT", "expect": {"text": "^2 \\d+$", "multiline": false}},
      {"pop3": "LIST", "expect": {"line_count": 2, "lines": "^1 \\d+$", "multiline": true}},
      {"pop3": "LIST 2", "expect": {"text": "^2 \\d+$", "multiline": false}},
      {"pop3": "UIDL", "expect": {"line_count": 2, "lines": ["^1 uid-1$", "^2 uid-2$"]}},
      {"pop3": "UIDL 1", "expect": {"text": "^1 uid-1$"}},
      {"pop3": "RETR 1", "expect": {"line_count": 5, "lines": "^Subject: one$"}},
      {"pop3": "TOP 1 1", "expect": {"line_count": 4, "not_lines": "^line 2$"}},
      {"pop3": "CAPA", "expect": {"present": ["TOP", "UIDL", "AUTH=PLAIN"], "absent": "STLS"}},
      {"pop3": "NOOP"}, {"quit": true})j");
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
}

TEST(Pop3Engine, MultilineOverrideReadsABodyAfterAnUnknownCommand) {
  Maildrop m;
  m.hook = [](RawConnection& c, const std::string& line) {
    return line == "XLIST" && c.send("+OK extended listing\r\n1 a\r\n2 b\r\n.\r\n");
  };
  const auto with = run(m, R"j({"pop3": "XLIST", "multiline": true, "expect": {"line_count": 2}}, {"pop3": "NOOP"})j");
  EXPECT_EQ(with.result.outcome, Outcome::pass) << text_of(with.result);
  // Without the override XLIST is single-line: its body is then read as NOOP's status line.
  const auto without = run(m, R"j({"pop3": "XLIST"}, {"pop3": "NOOP"})j");
  EXPECT_EQ(without.result.outcome, Outcome::fail) << text_of(without.result);
  EXPECT_THAT(without.result.message, HasSubstr("malformed POP3 response: expected +OK or -ERR, found \"1"));
}

TEST(Pop3Engine, MultilineFalseReadsOneLineWhereABodyWouldBeExpected) {
  Maildrop m;
  m.hook = [](RawConnection& c, const std::string& line) {
    return line == "LIST" && c.send("+OK 2 messages, no listing here\r\n");
  };
  const auto t = run(m, R"j({"pop3": "LIST", "multiline": false, "expect": {"code": "+OK", "multiline": false}},
                            {"pop3": "NOOP"})j");
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  EXPECT_LT(t.ms, 900) << "the engine waited for a body";
}

TEST(Pop3Engine, BodiesAreDotUnstuffed) {
  // Message 2 goes out as "..leading dot", "..", "...": the lines matched are as the message is.
  // LIST gives the unstuffed size, so the size invariant holds too.
  const auto t = run(Maildrop{}, std::string(kLogin) + R"j(, {"pop3": "LIST"},
      {"pop3": "RETR 2", "expect": {"line_count": 6, "lines": ["^\\.leading dot$", "^\\.$", "^\\.\\.$", "^plain$"],
                                    "not_lines": ["^\\.\\.leading", "^\\.\\.\\.$"]}})j");
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  EXPECT_TRUE(transcript_has(t.result, "..leading dot")) << "the transcript shows the wire form";
}

// --- maildrop invariants ---------------------------------------------------------------------------

TEST(Pop3Engine, ListSizeThatRetrContradictsIsAnInvariantViolation) {
  Maildrop m;
  m.list_lie = 10;
  const auto t = run(m, std::string(kLogin) + R"j(, {"pop3": "LIST"}, {"pop3": "RETR 1"})j");
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr("POP3 invariant pop3.list-retr-size"));
}

TEST(Pop3Engine, HonestListAndRetrPass) {
  const auto t = run(Maildrop{}, std::string(kLogin) + R"j(, {"pop3": "STAT"}, {"pop3": "LIST"}, {"pop3": "RETR 1"},
                                                             {"pop3": "RETR 2"}, {"pop3": "TOP 1 0"})j");
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
}

// --- authentication -----------------------------------------------------------------------------------

TEST(Pop3Engine, ApopDigestIsTheRfc1939Example) {
  // RFC 1939 §7: timestamp <1896.697170952@dbc.mtview.ca.us>, secret "tanstaaf".
  Maildrop m;
  m.greeting = "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n";
  m.hook = [](RawConnection& c, const std::string& line) {
    if (line.rfind("APOP ", 0) != 0) return false;
    return c.send(line == "APOP mrose c4c9334bac560ecc979e58001b3e22fb" ? "+OK maildrop has 2 messages\r\n"
                                                                       : "-ERR wrong digest\r\n");
  };
  auto log = std::make_shared<Log>();
  const auto t = run(m, R"j({"login": {"user": "mrose", "password": "tanstaaf", "apop": true}}, {"pop3": "STAT"})j", log);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  EXPECT_THAT(log->lines(), ElementsAre("APOP mrose c4c9334bac560ecc979e58001b3e22fb", "STAT"));
  EXPECT_TRUE(transcript_has(t.result, "APOP mrose <redacted>")) << text_of(t.result);
  EXPECT_FALSE(transcript_has(t.result, "c4c9334bac560ecc979e58001b3e22fb")) << text_of(t.result);
  EXPECT_FALSE(transcript_has(t.result, "tanstaaf")) << text_of(t.result);
}

TEST(Pop3Engine, ApopWithoutATimestampIsSkipped) {
  auto log = std::make_shared<Log>();
  const auto t = run(Maildrop{}, R"j({"login": {"user": "mrose", "password": "tanstaaf", "apop": true}})j", log);
  EXPECT_EQ(t.result.outcome, Outcome::skip) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr("no APOP timestamp"));
  EXPECT_TRUE(log->lines().empty());
}

TEST(Pop3Engine, UserPassSendsThePasswordButTheTranscriptNeverShowsIt) {
  auto log = std::make_shared<Log>();
  const auto t = run(Maildrop{}, std::string(kLogin) + R"j(, {"pop3": "STAT"})j", log);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  EXPECT_THAT(log->lines(), ElementsAre("USER alice", "PASS hunter2-pop", "STAT"));
  EXPECT_TRUE(transcript_has(t.result, "PASS <redacted>")) << text_of(t.result);
  EXPECT_FALSE(transcript_has(t.result, "hunter2-pop")) << text_of(t.result);
}

TEST(Pop3Engine, RefusedPassFailsWithoutShowingThePassword) {
  Maildrop m;
  m.hook = [](RawConnection& c, const std::string& line) {
    return line.rfind("PASS ", 0) == 0 && c.send("-ERR [AUTH] invalid password\r\n");
  };
  const auto t = run(m, kLogin);
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr("PASS: reply code -ERR is not acceptable"));
  EXPECT_FALSE(transcript_has(t.result, "hunter2-pop")) << text_of(t.result);
}

// --- QUIT ------------------------------------------------------------------------------------------

TEST(Pop3Engine, QuitWaitsForTheServerToClose) {
  Maildrop m;
  m.quit_close = 300ms;
  const auto t = run(m, std::string(kLogin) + R"j(, {"quit": true})j");
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  EXPECT_GE(t.ms, 290) << "QUIT returned before the server closed";
  EXPECT_TRUE(transcript_has(t.result, "connection closed by the server")) << text_of(t.result);
}

TEST(Pop3Engine, QuitFailsWhenTheServerKeepsTheConnectionOpen) {
  Maildrop m;
  m.close_after_quit = false;
  const auto t = run(m, std::string(kLogin) + R"j(, {"quit": true})j");
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr("the server did not close the connection after QUIT"));
  EXPECT_LT(t.ms, 2500);
}

}  // namespace
}  // namespace facteur
