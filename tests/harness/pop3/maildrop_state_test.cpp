// MaildropTracker session states (RFC 1939 §3-§6, RFC 5034 §4), and robustness: a conforming
// server never shows a violation, any sequence is safe, memory stays bounded.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "harness/pop3/maildrop.hpp"
#include "tests/harness/pop3/maildrop_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::ModelServer;
using test::sample_maildrop;
using test::Session;

TEST(MaildropState, UserPassOpensTransaction) {
  Session s;
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
  EXPECT_FALSE(s.step("USER alice", "+OK\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
  EXPECT_FALSE(s.step("PASS wrong", "-ERR [AUTH] Authentication failed.\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
  EXPECT_FALSE(s.step("PASS Alice-Lab-Pass-1", "+OK Logged in.\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::transaction);
}

TEST(MaildropState, ApopOpensTransaction) {
  Session s;
  EXPECT_FALSE(s.step("APOP mrose c4c9334bac560ecc979e58001b3e22fb", "+OK maildrop has 1 message (369 octets)\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::transaction);
}

TEST(MaildropState, AuthWithChallenges) {
  Session s;
  EXPECT_FALSE(s.step("AUTH CRAM-MD5", "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
  // The client's SASL line is no POP3 command: "STAT"-looking or not, it is not judged.
  EXPECT_FALSE(s.step("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "+ \r\n"));
  EXPECT_FALSE(s.step("", "+OK Logged in.\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::transaction);
}

TEST(MaildropState, AuthInitialResponseAndFailure) {
  Session ok;
  EXPECT_FALSE(ok.step("AUTH PLAIN AGFsaWNlAEFsaWNlLUxhYi1QYXNzLTE=", "+OK Logged in.\r\n"));
  EXPECT_EQ(ok.tracker.state(), SessionState::transaction);

  Session failed;
  EXPECT_FALSE(failed.step("AUTH PLAIN", "+ \r\n"));
  EXPECT_FALSE(failed.step("*", "-ERR Authentication aborted\r\n"));
  EXPECT_EQ(failed.tracker.state(), SessionState::authorization);
  EXPECT_FALSE(failed.step("USER alice", "+OK\r\n"));  // commands again after the exchange
  EXPECT_FALSE(failed.step("PASS x", "+OK\r\n"));
  EXPECT_EQ(failed.tracker.state(), SessionState::transaction);
}

TEST(MaildropState, BareAuthListsMechanismsWithoutLoggingIn) {
  Session s;
  EXPECT_FALSE(s.step("AUTH", "+OK\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
}

TEST(MaildropState, StlsKeepsAuthorization) {
  Session s;
  EXPECT_FALSE(s.step("STLS", "+OK Begin TLS negotiation now.\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
}

TEST(MaildropState, NothingIsJudgedBeforeLogin) {
  Session s;
  EXPECT_FALSE(s.step("STAT", "+OK garbage\r\n"));
  EXPECT_FALSE(s.step("RETR 0", "+OK\r\n.\r\n"));
  EXPECT_FALSE(s.tracker.message_count().has_value());
}

TEST(MaildropState, QuitEntersUpdateAndEndsChecks) {
  ModelServer server(sample_maildrop());
  Session s;
  s.login(server);
  s.ok(server, "STAT");
  EXPECT_FALSE(s.step("QUIT", "+OK Logging out, messages deleted.\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::update);
  EXPECT_FALSE(s.step("RETR 99", "+OK\r\n.\r\n"));  // after UPDATE nothing is judged
}

TEST(MaildropState, QuitInAuthorizationEndsWithoutUpdate) {
  Session s;
  EXPECT_FALSE(s.step("QUIT", "+OK bye\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
  EXPECT_FALSE(s.step("PASS x", "+OK\r\n"));
  EXPECT_EQ(s.tracker.state(), SessionState::authorization);
}

TEST(MaildropState, ConformingSessionShowsNoViolation) {
  ModelServer server(sample_maildrop());
  Session s;
  s.login(server);
  for (const char* command : {"CAPA", "STAT", "LIST", "UIDL", "LIST 2", "UIDL 3", "RETR 1", "TOP 1 0", "TOP 2 2",
                              "TOP 3 10", "RETR 2", "DELE 2", "STAT", "LIST", "UIDL", "RETR 2", "LIST 2", "RSET",
                              "STAT", "LIST", "RETR 2", "NOOP", "QUIT"}) {
    s.ok(server, command);
  }
  EXPECT_EQ(s.tracker.violation_count(), 0u);
}

// Random sessions against the model: a conforming server never violates anything.
TEST(MaildropState, RandomConformingSessions) {
  std::mt19937 rng(20240611);
  const char* keywords[] = {"STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET", "NOOP", "LIST", "UIDL"};
  for (int session = 0; session < 200; ++session) {
    ModelServer server(sample_maildrop());
    MaildropBook book;
    Session s(&book);
    s.login(server);
    for (int i = 0; i < 40; ++i) {
      std::string command = keywords[rng() % std::size(keywords)];
      const bool with_number = rng() % 2 == 0 || command == "RETR" || command == "TOP" || command == "DELE";
      if (with_number && command != "STAT" && command != "RSET" && command != "NOOP") {
        command += " " + std::to_string(rng() % 5);
        if (command.rfind("TOP", 0) == 0) command += " " + std::to_string(rng() % 6);
      }
      s.ok(server, command);
    }
    ASSERT_EQ(s.tracker.violation_count(), 0u) << "session " << session;
  }
}

// Random commands with answers picked from a pool of odd ones: no crash, no hang, no exception.
TEST(MaildropState, AnySequenceIsSafe) {
  const std::vector<std::string> commands = {
      "USER a", "PASS b", "APOP a b", "AUTH PLAIN", "x", "STAT", "LIST", "LIST 1", "LIST 0", "LIST 99999999999999999999",
      "UIDL", "UIDL 2", "RETR 1", "RETR 3", "TOP 1 0", "TOP 2", "TOP 2 18446744073709551615", "DELE 1", "DELE 2",
      "RSET", "QUIT", "NOOP", "", "CAPA"};
  const std::vector<std::string> answers = {
      "+OK\r\n",
      "-ERR no\r\n",
      "+ abc\r\n",
      "+OK 3 190\r\n",
      "+OK 0 0\r\n",
      "+OK 18446744073709551615 18446744073709551615\r\n",
      "+OK x\r\n",
      "+OK 1 70\r\n",
      "+OK 1 uid-0001\r\n",
      "+OK 2 uid-0001\r\n",
      "+OK\r\n1 70\r\n2 70\r\n3 50\r\n.\r\n",
      "+OK\r\n1 70\r\n1 71\r\nx\r\n.\r\n",
      "+OK\r\n1 uid-0001\r\n2 uid-0001\r\n3\r\n4 " + std::string(80, 'u') + "\r\n.\r\n",
      "+OK\r\n\r\n.\r\n",
      "+OK\r\nFrom: x\r\n\r\nbody\r\n.\r\n",
      "+OK\r\nFrom: x\r\n\r\nbody\r\nmore\r\nmore\r\n.\r\n",
      "+OK\r\n18446744073709551615 18446744073709551615\r\n.\r\n",
  };
  std::mt19937 rng(7);
  for (int session = 0; session < 300; ++session) {
    MaildropBook book(50);
    TrackerLimits limits;
    limits.max_messages = 3;
    limits.max_prefix_hashes = 5;
    MaildropTracker tracker(&book, limits);
    for (int i = 0; i < 60; ++i) {
      const std::string& command = commands[rng() % commands.size()];
      const std::string& wire = answers[rng() % answers.size()];
      const ParseResult r = parse_response(wire, rng() % 2 == 0);
      if (r.status != ParseStatus::complete) continue;
      (void)tracker.observe(command, r.response);
    }
  }
  SUCCEED();
}

TEST(MaildropState, MessagesBeyondTheCapAreNotTracked) {
  TrackerLimits limits;
  limits.max_messages = 10;
  MaildropTracker tracker(nullptr, limits);
  const auto feed = [&](std::string_view command, const std::string& wire) {
    const ParseResult r = parse_response(wire, multiline_command(command));
    EXPECT_EQ(r.status, ParseStatus::complete);
    return tracker.observe(command, r.response);
  };
  feed("USER a", "+OK\r\n");
  feed("PASS b", "+OK\r\n");
  std::string list = "+OK\r\n";
  std::size_t total = 0;
  for (int i = 1; i <= 1000; ++i) {
    list += std::to_string(i) + " 100\r\n";
    total += 100;
  }
  EXPECT_FALSE(feed("LIST", list + ".\r\n"));
  EXPECT_FALSE(feed("STAT", "+OK 1000 " + std::to_string(total) + "\r\n"));
  EXPECT_FALSE(feed("DELE 500", "+OK\r\n"));  // untracked, still counted
  // The size of message 500 was not kept: only the count is held to.
  EXPECT_FALSE(feed("STAT", "+OK 999 " + std::to_string(total - 100) + "\r\n"));
  EXPECT_EQ(tracker.message_count(), 1000u);
  EXPECT_FALSE(feed("RSET", "+OK\r\n"));
  EXPECT_FALSE(feed("STAT", "+OK 1000 " + std::to_string(total) + "\r\n"));
}

}  // namespace
}  // namespace facteur::pop3
