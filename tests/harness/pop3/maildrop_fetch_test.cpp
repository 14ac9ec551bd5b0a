// pop3.list-retr-size and pop3.top-lines (RFC 1939 §5 RETR, §7 TOP).
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/maildrop.hpp"
#include "tests/harness/pop3/maildrop_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::body_wire;
using test::expect_violation;
using test::ModelServer;
using test::sample_maildrop;
using test::Session;

struct Fetch : ::testing::Test {
  Fetch() { s.login(server); }
  ModelServer server{sample_maildrop()};
  Session s;
};

TEST_F(Fetch, RetrMatchesList) {
  s.ok(server, "LIST");
  s.ok(server, "RETR 1");  // ".leading dot" is stuffed on the wire, counted once
  s.ok(server, "RETR 2");
}

TEST_F(Fetch, RetrShorterThanList) {
  s.ok(server, "LIST");
  const auto v = expect_violation(s.step("RETR 2", "+OK\r\nFrom: carol@lab.test\r\n\r\nshort\r\n.\r\n"),
                                  rules::list_retr_size);
  EXPECT_EQ(v.message, "LIST says message 2 has 70 octets, RETR returned 31");
  EXPECT_EQ(v.expected, "70 octets");
  EXPECT_EQ(v.actual, "31 octets");
}

TEST_F(Fetch, ListAfterRetr) {
  s.ok(server, "RETR 3");
  const auto v = expect_violation(s.step("LIST 3", "+OK 3 1203\r\n"), rules::list_retr_size);
  EXPECT_EQ(v.message, "LIST says message 3 has 1203 octets, RETR returned 50");
}

TEST_F(Fetch, SizeCountingStuffedDotsTwice) {
  // A server counting the wire form: "..leading dot" is 13 octets there, 12 in the message.
  EXPECT_FALSE(s.step("LIST 1", "+OK 1 71\r\n"));
  const auto v = expect_violation(s.step("RETR 1", server.answer("RETR 1")), rules::list_retr_size);
  EXPECT_EQ(v.message, "LIST says message 1 has 71 octets, RETR returned 70");
}

TEST_F(Fetch, TopAfterRetrPasses) {
  s.ok(server, "RETR 2");
  s.ok(server, "TOP 2 0");
  s.ok(server, "TOP 2 2");
  s.ok(server, "TOP 2 4");
  s.ok(server, "TOP 2 100");  // more than the body: the whole message
}

TEST_F(Fetch, TopBeforeRetrPasses) {
  s.ok(server, "TOP 1 1");
  s.ok(server, "RETR 1");
  s.ok(server, "TOP 3 0");
  s.ok(server, "RETR 3");
}

TEST_F(Fetch, TopWithMoreBodyLinesThanAsked) {
  const auto v = expect_violation(
      s.step("TOP 2 1", "+OK\r\nFrom: carol@lab.test\r\nSubject: two\r\n\r\nline 1\r\nline 2\r\n.\r\n"),
      rules::top_lines);
  EXPECT_EQ(v.message, "TOP 2 1 returned 2 body lines after the header, more than 1");
}

TEST_F(Fetch, TopWithFewerLinesThanRetrHas) {
  s.ok(server, "RETR 2");
  const auto v = expect_violation(
      s.step("TOP 2 3", "+OK\r\nFrom: carol@lab.test\r\nSubject: two\r\n\r\nline 1\r\n.\r\n"), rules::top_lines);
  EXPECT_EQ(v.message,
            "TOP 2 3 returned 4 lines; RETR 2 has 7 lines with the blank line after the header at line 3, so "
            "expected 6");
}

TEST_F(Fetch, TopIsNotAPrefixOfRetr) {
  s.ok(server, "RETR 2");
  const auto v = expect_violation(
      s.step("TOP 2 1", "+OK\r\nFrom: carol@lab.test\r\nSubject: TWO\r\n\r\nline 1\r\n.\r\n"), rules::top_lines);
  EXPECT_EQ(v.message, "TOP 2 1 returned 4 lines that are not the first 4 lines of RETR 2, line 2 differs");
}

TEST_F(Fetch, TopBeforeRetrIsCheckedWhenRetrArrives) {
  EXPECT_FALSE(s.step("TOP 2 1", "+OK\r\nFrom: carol@lab.test\r\nSubject: TWO\r\n\r\nline 1\r\n.\r\n"));
  const auto v = expect_violation(s.step("RETR 2", server.answer("RETR 2")), rules::top_lines);
  EXPECT_EQ(v.message, "TOP 2 1 returned 4 lines that are not the first 4 lines of RETR 2");
}

TEST_F(Fetch, TopOfAMessageWithoutBody) {
  ModelServer headers({test::Mail{{"From: x@lab.test", "Subject: no body"}, "h-1"}});
  Session t;
  t.login(headers);
  t.ok(headers, "RETR 1");
  t.ok(headers, "TOP 1 5");
  expect_violation(t.step("TOP 1 5", "+OK\r\nFrom: x@lab.test\r\n.\r\n"), rules::top_lines);
}

TEST_F(Fetch, LenientWhenLinesWereNotKept) {
  Limits few;
  few.keep_lines = 2;  // not even the header's blank line is kept
  ModelServer fresh(sample_maildrop());
  Session t(nullptr, {}, few);
  t.login(fresh);
  t.ok(fresh, "RETR 2");
  t.ok(fresh, "TOP 2 1");
  // A wrong TOP of the same length cannot be told apart from RETR's kept lines: no verdict.
  EXPECT_FALSE(t.step("TOP 2 1", "+OK\r\nFrom: carol@lab.test\r\nSubject: two\r\n\r\nline X\r\n.\r\n"));
}

TEST_F(Fetch, PrefixBudgetExhausted) {
  TrackerLimits limits;
  limits.max_prefix_hashes = 3;
  ModelServer fresh(sample_maildrop());
  Session t(nullptr, limits);
  t.login(fresh);
  t.ok(fresh, "RETR 2");   // only 3 prefix hashes kept
  t.ok(fresh, "TOP 2 0");  // 3 lines: comparable
  EXPECT_FALSE(t.step("TOP 2 1", "+OK\r\nFrom: carol@lab.test\r\nSubject: two\r\n\r\nline X\r\n.\r\n"));
  expect_violation(t.step("TOP 2 0", "+OK\r\nFrom: carol@lab.test\r\nSubject: 2\r\n\r\n.\r\n"), rules::top_lines);
}

}  // namespace
}  // namespace facteur::pop3
