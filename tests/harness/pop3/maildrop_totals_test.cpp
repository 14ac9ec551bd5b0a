// pop3.stat-list, pop3.deleted-visible, pop3.msg-beyond-count, pop3.listing-format: the totals of
// STAT and LIST, DELE and RSET (RFC 1939 §5).
#include <gtest/gtest.h>

#include "harness/pop3/maildrop.hpp"
#include "tests/harness/pop3/maildrop_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::expect_violation;
using test::ModelServer;
using test::sample_maildrop;
using test::Session;

// The sample maildrop: messages of 70, 70 and 50 octets.
struct Totals : ::testing::Test {
  Totals() { s.login(server); }
  ModelServer server{sample_maildrop()};
  Session s;
};

TEST_F(Totals, StatAndListAgree) {
  s.ok(server, "STAT");
  s.ok(server, "LIST");
  s.ok(server, "STAT");
  EXPECT_EQ(s.tracker.message_count(), 3u);
}

TEST_F(Totals, StatCountDiffersFromList) {
  s.ok(server, "STAT");
  const auto v = expect_violation(s.step("LIST", "+OK\r\n1 70\r\n2 70\r\n.\r\n"), rules::stat_list);
  EXPECT_EQ(v.message, "LIST lists 2 messages of 140 octets, but STAT said 3 messages of 190 octets");
  EXPECT_EQ(v.expected, "3 messages of 190 octets");
  EXPECT_EQ(v.actual, "2 messages of 140 octets");
}

TEST_F(Totals, StatSizeDiffersFromListSum) {
  s.ok(server, "LIST");
  const auto v = expect_violation(s.step("STAT", "+OK 3 187\r\n"), rules::stat_list);
  EXPECT_EQ(v.message, "STAT says 3 messages of 187 octets, but LIST listed 3 messages of 190 octets");
}

TEST_F(Totals, DeleIsAccountedFor) {
  s.ok(server, "LIST");
  s.ok(server, "DELE 2");
  s.ok(server, "STAT");  // +OK 2 120
  s.ok(server, "LIST");  // 1 and 3 only
  s.ok(server, "DELE 1");
  s.ok(server, "STAT");
  EXPECT_EQ(s.tracker.message_count(), 3u);  // deleted messages keep their numbers
}

TEST_F(Totals, StatAfterDeleWithWrongSize) {
  s.ok(server, "LIST");
  s.ok(server, "DELE 3");
  const auto v = expect_violation(s.step("STAT", "+OK 2 150\r\n"), rules::stat_list);
  EXPECT_EQ(v.message,
            "STAT says 2 messages of 150 octets, but LIST listed 3 messages of 190 octets and after the DELE / RSET "
            "since 2 messages of 140 octets are expected");
}

TEST_F(Totals, StatStillCountsADeletedMessage) {
  s.ok(server, "STAT");
  s.ok(server, "DELE 2");
  const auto v = expect_violation(s.step("STAT", "+OK 3 190\r\n"), rules::deleted_visible);
  EXPECT_EQ(v.message,
            "STAT says 3 messages of 190 octets while 1 of the maildrop's messages are marked deleted: STAT said 3 "
            "messages of 190 octets and after the DELE / RSET since 2 messages are expected");
  EXPECT_EQ(v.expected, "2 messages");
}

TEST_F(Totals, ListShowsADeletedMessage) {
  s.ok(server, "LIST");
  s.ok(server, "DELE 2");
  const auto v = expect_violation(s.step("LIST", "+OK\r\n1 70\r\n2 70\r\n3 50\r\n.\r\n"), rules::deleted_visible);
  EXPECT_EQ(v.message, "LIST lists message 2, which was DELE'd");
  EXPECT_EQ(s.tracker.violation_count(), 2u);  // and the totals, counted but not reported
}

TEST_F(Totals, RsetRestoresDeletedMessages) {
  s.ok(server, "STAT");
  s.ok(server, "LIST");
  s.ok(server, "DELE 1");
  s.ok(server, "DELE 3");
  s.ok(server, "STAT");
  s.ok(server, "RSET");
  s.ok(server, "STAT");
  s.ok(server, "LIST");
  s.ok(server, "RETR 1");
}

TEST_F(Totals, RsetThatRestoresNothing) {
  s.ok(server, "LIST");
  s.ok(server, "DELE 1");
  s.ok(server, "RSET");
  const auto v = expect_violation(s.step("STAT", "+OK 2 120\r\n"), rules::stat_list);
  EXPECT_EQ(v.expected, "3 messages of 190 octets");
}

TEST_F(Totals, RetrOfADeletedMessage) {
  s.ok(server, "DELE 2");
  const auto v = expect_violation(s.step("RETR 2", "+OK\r\nFrom: x\r\n\r\nhi\r\n.\r\n"), rules::deleted_visible);
  EXPECT_EQ(v.message, "RETR 2 gave +OK, but message 2 was DELE'd");
  EXPECT_EQ(v.expected, "-ERR");
}

TEST_F(Totals, EveryCommandOnADeletedMessage) {
  s.ok(server, "DELE 1");
  expect_violation(s.step("DELE 1", "+OK\r\n"), rules::deleted_visible);
  expect_violation(s.step("LIST 1", "+OK 1 70\r\n"), rules::deleted_visible);
  expect_violation(s.step("UIDL 1", "+OK 1 uid-0001\r\n"), rules::deleted_visible);
  expect_violation(s.step("TOP 1 0", "+OK\r\nFrom: x\r\n\r\n.\r\n"), rules::deleted_visible);
  expect_violation(s.step("UIDL", "+OK\r\n1 uid-0001\r\n2 uid-0002\r\n3 uid-0003\r\n.\r\n"), rules::deleted_visible);
  s.ok(server, "RETR 2");
}

TEST_F(Totals, MessageBeyondTheCount) {
  s.ok(server, "STAT");
  auto v = expect_violation(s.step("RETR 4", "+OK\r\n\r\n.\r\n"), rules::msg_beyond_count);
  EXPECT_EQ(v.message, "RETR 4 gave +OK, but the maildrop has 3 messages (per STAT)");
  expect_violation(s.step("LIST 9", "+OK 9 100\r\n"), rules::msg_beyond_count);
  expect_violation(s.step("UIDL 4", "+OK 4 x\r\n"), rules::msg_beyond_count);
  expect_violation(s.step("DELE 5", "+OK\r\n"), rules::msg_beyond_count);
  expect_violation(s.step("TOP 4 0", "+OK\r\n\r\n.\r\n"), rules::msg_beyond_count);
  v = expect_violation(s.step("RETR 0", "+OK\r\n\r\n.\r\n"), rules::msg_beyond_count);
  EXPECT_EQ(v.message, "RETR 0 gave +OK; message numbers start at 1");
  s.ok(server, "RETR 3");
  EXPECT_FALSE(s.step("RETR 4", "-ERR no such message\r\n"));
}

TEST_F(Totals, DeletedMessagesKeepTheirNumbers) {
  s.ok(server, "DELE 1");
  s.ok(server, "STAT");  // 2 messages, but numbers run to 3
  s.ok(server, "RETR 3");
  expect_violation(s.step("RETR 4", "+OK\r\n\r\n.\r\n"), rules::msg_beyond_count);
}

TEST_F(Totals, NoCountNoBeyondCheck) {
  EXPECT_FALSE(s.step("RETR 7", "+OK\r\nx\r\n.\r\n"));
}

TEST_F(Totals, MalformedDropListing) {
  auto v = expect_violation(s.step("STAT", "+OK lots of mail\r\n"), rules::listing_format);
  EXPECT_EQ(v.message, "STAT answered \"+OK lots of mail\", not a drop listing \"+OK nn mm\"");
  expect_violation(s.step("STAT", "+OK 3\r\n"), rules::listing_format);
  expect_violation(s.step("STAT", "+OK  3 190\r\n"), rules::listing_format);
  EXPECT_FALSE(s.step("STAT", "+OK 3 190 and more\r\n"));  // RFC 1939 §5: what follows is free
}

TEST_F(Totals, MalformedScanListing) {
  auto v = expect_violation(s.step("LIST", "+OK\r\n1 70\r\n2  70\r\n3 50\r\n.\r\n"), rules::listing_format);
  EXPECT_EQ(v.message, "LIST line 2 \"2  70\" is not a scan listing \"n size\"");
  v = expect_violation(s.step("LIST", "+OK\r\n1 70\r\n1 70\r\n.\r\n"), rules::listing_format);
  EXPECT_EQ(v.message, "LIST lists message 1 twice (line 2)");
  expect_violation(s.step("LIST 1", "+OK 70\r\n"), rules::listing_format);
}

}  // namespace
}  // namespace facteur::pop3
