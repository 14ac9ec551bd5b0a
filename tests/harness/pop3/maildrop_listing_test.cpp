// pop3.list-single-multi, pop3.uidl-unique, pop3.uidl-stable (RFC 1939 §5 LIST, §7 UIDL).
#include <gtest/gtest.h>

#include <string>

#include "harness/pop3/maildrop.hpp"
#include "tests/harness/pop3/maildrop_test_support.hpp"

namespace facteur::pop3 {
namespace {

using test::expect_violation;
using test::ModelServer;
using test::sample_maildrop;
using test::Session;

struct Listing : ::testing::Test {
  Listing() { s.login(server); }
  ModelServer server{sample_maildrop()};
  Session s;
};

TEST_F(Listing, SingleAndMultiAgree) {
  s.ok(server, "LIST 2");
  s.ok(server, "LIST");
  s.ok(server, "LIST 3");
  s.ok(server, "UIDL");
  s.ok(server, "UIDL 1");
}

TEST_F(Listing, ListOneDiffersFromMulti) {
  s.ok(server, "LIST");
  const auto v = expect_violation(s.step("LIST 2", "+OK 2 1203\r\n"), rules::list_single_multi);
  EXPECT_EQ(v.message, "LIST 2 says message 2 has 1203 octets, the multi-line LIST said 70");
  EXPECT_EQ(v.expected, "70 octets");
  EXPECT_EQ(v.actual, "1203 octets");
}

TEST_F(Listing, MultiDiffersFromAnEarlierListOne) {
  s.ok(server, "LIST 3");
  const auto v = expect_violation(s.step("LIST", "+OK\r\n1 70\r\n2 70\r\n3 51\r\n.\r\n"), rules::list_single_multi);
  EXPECT_EQ(v.message, "the multi-line LIST says message 3 has 51 octets, LIST 3 said 50");
}

TEST_F(Listing, ListOneAnswersForAnotherMessage) {
  const auto v = expect_violation(s.step("LIST 2", "+OK 3 50\r\n"), rules::list_single_multi);
  EXPECT_EQ(v.message, "LIST 2 answered for message 3");
}

TEST_F(Listing, UidlOneDiffersFromMulti) {
  s.ok(server, "UIDL");
  const auto v = expect_violation(s.step("UIDL 1", "+OK 1 uid-9999\r\n"), rules::list_single_multi);
  EXPECT_EQ(v.message, "UIDL 1 says message 1 has unique-id \"uid-9999\", the multi-line UIDL said \"uid-0001\"");
  expect_violation(s.step("UIDL 2", "+OK 1 uid-0001\r\n"), rules::list_single_multi);
}

TEST_F(Listing, DuplicateUniqueId) {
  const auto v =
      expect_violation(s.step("UIDL", "+OK\r\n1 uid-0001\r\n2 uid-0002\r\n3 uid-0001\r\n.\r\n"), rules::uidl_unique);
  EXPECT_EQ(v.message, "messages 1 and 3 have the same unique-id \"uid-0001\"");
}

TEST_F(Listing, IdenticalCopiesMayShareAUniqueId) {
  // RFC 1939 §7: "two identical copies of a message in a maildrop have the same unique-id".
  std::vector<test::Mail> mails = sample_maildrop();
  mails[1] = mails[0];
  ModelServer twins(mails);
  Session t;
  t.login(twins);
  t.ok(twins, "LIST");
  t.ok(twins, "RETR 1");
  t.ok(twins, "RETR 2");
  t.ok(twins, "UIDL");  // both "uid-0001", same size and content
}

TEST_F(Listing, UniqueIdCharactersAndLength) {
  auto v = expect_violation(s.step("UIDL 1", "+OK 1 " + std::string(71, 'x') + "\r\n"), rules::uidl_unique);
  EXPECT_EQ(v.message, "UIDL 1 gives message 1 the unique-id \"" + std::string(71, 'x') +
                           "\" (71 octets), not 1 to 70 characters 0x21-0x7E");
  EXPECT_FALSE(s.step("UIDL 1", "+OK 1 " + std::string(70, 'x') + "\r\n"));
  v = expect_violation(s.step("UIDL", "+OK\r\n1 " + std::string(70, 'x') + "\r\n2 a b\r\n3 \x7f\r\n.\r\n"),
                       rules::uidl_unique);
  EXPECT_EQ(v.message, "the multi-line UIDL gives message 2 the unique-id \"a b\" (3 octets), not 1 to 70 "
                       "characters 0x21-0x7E");
  expect_violation(s.step("UIDL 3", "+OK 3 \r\n"), rules::uidl_unique);
}

TEST_F(Listing, MalformedUidlListing) {
  const auto v = expect_violation(s.step("UIDL", "+OK\r\n1 uid-0001\r\nuid-0002\r\n.\r\n"), rules::listing_format);
  EXPECT_EQ(v.message, "UIDL line 2 \"uid-0002\" is not a unique-id listing \"n unique-id\"");
  expect_violation(s.step("UIDL 2", "+OK uid-0002\r\n"), rules::listing_format);
}

TEST(UidlStable, SameIdsAcrossSessionsPass) {
  MaildropBook book;
  for (int session = 0; session < 3; ++session) {
    ModelServer server(sample_maildrop());
    test::Session s(&book);
    s.login(server);
    s.ok(server, "UIDL");
    s.ok(server, "LIST");
    s.ok(server, "RETR 1");
    s.ok(server, "RETR 3");
  }
  EXPECT_EQ(book.size(), 3u);
}

TEST(UidlStable, UniqueIdNamesAnotherSizeLater) {
  MaildropBook book;
  {
    ModelServer server(sample_maildrop());
    test::Session s(&book);
    s.login(server);
    s.ok(server, "UIDL");
    s.ok(server, "LIST");
  }
  test::Session later(&book);
  ModelServer server(sample_maildrop());
  later.login(server);
  later.ok(server, "LIST");
  // The server reused "uid-0001" for the 50-octet message 3.
  const auto v =
      expect_violation(later.step("UIDL", "+OK\r\n1 uid-0004\r\n2 uid-0002\r\n3 uid-0001\r\n.\r\n"), rules::uidl_stable);
  EXPECT_EQ(v.message, "unique-id \"uid-0001\" named a message of 70 octets (message 1) before, now message 3 of 50 "
                       "octets");
}

TEST(UidlStable, UniqueIdNamesOtherContentLater) {
  MaildropBook book;
  {
    ModelServer server(sample_maildrop());
    test::Session s(&book);
    s.login(server);
    s.ok(server, "UIDL");
    s.ok(server, "RETR 2");
  }
  std::vector<test::Mail> changed = sample_maildrop();
  changed[1].lines.back() = "line X";  // same size, other content, same unique-id
  ModelServer server(changed);
  test::Session later(&book);
  later.login(server);
  later.ok(server, "UIDL");
  const auto v = expect_violation(later.step("RETR 2", server.answer("RETR 2")), rules::uidl_stable);
  EXPECT_NE(v.message.find("unique-id \"uid-0002\" named other content before (message 2)"), std::string::npos)
      << v.message;
}

TEST(UidlStable, WithoutABookNothingIsCompared) {
  ModelServer server(sample_maildrop());
  test::Session s;
  s.login(server);
  s.ok(server, "UIDL");
  s.ok(server, "LIST");
}

TEST(UidlStable, BookIsBounded) {
  MaildropBook book(2);
  EXPECT_FALSE(book.record("a", 1, 10, std::nullopt));
  EXPECT_FALSE(book.record("b", 2, 10, std::nullopt));
  EXPECT_FALSE(book.record("c", 3, 10, std::nullopt));
  EXPECT_EQ(book.size(), 2u);
  EXPECT_FALSE(book.record("c", 3, 11, std::nullopt));  // never held: nothing to compare
  EXPECT_TRUE(book.record("a", 1, 11, std::nullopt));
  EXPECT_FALSE(book.record("b", 2, std::nullopt, 5));  // learns the hash
  EXPECT_TRUE(book.record("b", 2, 10, 6));
}

}  // namespace
}  // namespace facteur::pop3
