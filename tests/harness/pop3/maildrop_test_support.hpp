// Helpers for the maildrop tests: a small RFC 1939 server model that answers commands correctly
// (so a session against it must show no violation), and a session that parses each answer as the
// wire shows it and feeds it to a tracker. Violating sessions replace the model's answer by a
// hand-written one.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/pop3/command.hpp"
#include "harness/pop3/maildrop.hpp"
#include "harness/pop3/response.hpp"

namespace facteur::pop3::test {

struct Mail {
  std::vector<std::string> lines;  // header, blank line, body; without CRLF
  std::string uid;

  std::size_t size() const {
    std::size_t n = 0;
    for (const auto& line : lines) n += line.size() + 2;
    return n;
  }
};

// Lines dot-stuffed with CRLF, then the terminator.
inline std::string body_wire(const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    if (!line.empty() && line.front() == '.') wire += '.';
    wire += line + "\r\n";
  }
  return wire + ".\r\n";
}

inline std::vector<Mail> sample_maildrop() {
  return {
      Mail{{"From: bob@lab.test", "Subject: one", "", "Hello Alice.", ".leading dot", "Bye."}, "uid-0001"},
      Mail{{"From: carol@lab.test", "Subject: two", "", "line 1", "line 2", "line 3", "line 4"}, "uid-0002"},
      Mail{{"From: dave@lab.test", "Subject: three", "", "only line"}, "uid-0003"},
  };
}

// Answers like a conforming server over `mails` (RFC 1939 §4-§7), USER/PASS accepting anything.
class ModelServer {
 public:
  explicit ModelServer(std::vector<Mail> mails) : mails_(std::move(mails)) {}

  std::string answer(std::string_view command_line) {
    const Command c = split_command(command_line);
    // (value_or, not *parsed: GCC 12 -O2 warns that it may be uninitialised after the test.)
    const std::optional<std::uint64_t> parsed = c.args.empty() ? std::nullopt : parse_number(c.args[0]);
    const std::uint64_t number = parsed.value_or(0);
    const bool exists = number >= 1 && number <= mails_.size() && deleted_.count(number) == 0;
    const auto& k = c.keyword;
    if (k == "QUIT") {
      transaction_ = false;
      return "+OK bye\r\n";
    }
    if (!transaction_) {
      if (k == "USER" || k == "CAPA") return k == "USER" ? "+OK\r\n" : "+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n";
      if (k == "PASS") {
        transaction_ = true;
        return "+OK Logged in.\r\n";
      }
      return "-ERR not now\r\n";
    }
    if (k == "RSET") {
      deleted_.clear();
      return "+OK\r\n";
    }
    if (k == "NOOP") return "+OK\r\n";
    if (k == "STAT") {
      std::size_t count = 0, octets = 0;
      for (std::size_t i = 1; i <= mails_.size(); ++i) {
        if (deleted_.count(i) != 0) continue;
        ++count;
        octets += mails_[i - 1].size();
      }
      return "+OK " + std::to_string(count) + " " + std::to_string(octets) + "\r\n";
    }
    if ((k == "LIST" || k == "UIDL") && c.args.empty()) {
      std::string wire = "+OK\r\n";
      for (std::size_t i = 1; i <= mails_.size(); ++i) {
        if (deleted_.count(i) == 0) wire += std::to_string(i) + " " + listing(k, i) + "\r\n";
      }
      return wire + ".\r\n";
    }
    if (!exists) return "-ERR no such message\r\n";
    const Mail& m = mails_[number - 1];
    if (k == "LIST" || k == "UIDL") return "+OK " + std::to_string(number) + " " + listing(k, number) + "\r\n";
    if (k == "RETR") return "+OK " + std::to_string(m.size()) + " octets\r\n" + body_wire(m.lines);
    if (k == "TOP") {
      const auto lines = c.args.size() > 1 ? parse_number(c.args[1]) : std::nullopt;
      if (!lines) return "-ERR bad line count\r\n";
      return "+OK\r\n" + body_wire(top_lines(m, *lines));
    }
    if (k == "DELE") {
      deleted_.insert(number);
      return "+OK marked\r\n";
    }
    return "-ERR unknown\r\n";
  }

  static std::vector<std::string> top_lines(const Mail& m, std::uint64_t k) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (; i < m.lines.size(); ++i) {
      out.push_back(m.lines[i]);
      if (m.lines[i].empty()) break;
    }
    for (++i; i < m.lines.size() && k > 0; ++i, --k) out.push_back(m.lines[i]);
    return out;
  }

  const std::vector<Mail>& mails() const { return mails_; }

 private:
  std::string listing(std::string_view keyword, std::size_t n) const {
    return keyword == "LIST" ? std::to_string(mails_[n - 1].size()) : mails_[n - 1].uid;
  }

  std::vector<Mail> mails_;
  std::set<std::uint64_t> deleted_;
  bool transaction_ = false;
};

// One session: each step parses the server's answer with the command's multi-line default.
class Session {
 public:
  explicit Session(MaildropBook* book = nullptr, TrackerLimits limits = {}, Limits parse_limits = {})
      : tracker(book, limits), parse_limits_(parse_limits) {}

  std::optional<Violation> step(std::string_view command, std::string_view wire) {
    const ParseResult r = parse_response(wire, multiline_command(command), parse_limits_);
    EXPECT_EQ(r.status, ParseStatus::complete) << command << ": " << r.error;
    EXPECT_EQ(r.consumed, wire.size()) << command;
    return tracker.observe(command, r.response);
  }

  // The model answers; no violation is expected.
  void ok(ModelServer& server, std::string_view command) {
    const auto v = step(command, server.answer(command));
    EXPECT_FALSE(v.has_value()) << command << ": " << v->rule << ": " << v->message;
  }

  void login(ModelServer& server) {
    ok(server, "USER alice");
    ok(server, "PASS Alice-Lab-Pass-1");
    EXPECT_EQ(tracker.state(), SessionState::transaction);
  }

  MaildropTracker tracker;

 private:
  Limits parse_limits_;
};

// The violation of `rule` is there; returns it for checks on the message.
inline Violation expect_violation(const std::optional<Violation>& v, std::string_view rule) {
  EXPECT_TRUE(v.has_value()) << "no violation, expected " << rule;
  if (!v) return {};
  EXPECT_EQ(v->rule, rule) << v->message;
  EXPECT_FALSE(v->message.empty());
  return *v;
}

}  // namespace facteur::pop3::test
