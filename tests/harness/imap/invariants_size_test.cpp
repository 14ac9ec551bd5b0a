// Rule imap.rfc822-size-matches (RFC 9051 §7.5.2 RFC822.SIZE, §2.3.1.1 item 4).
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::expect_violation;
using test::Feed;
using test::fetch;
using test::literal;
using test::num;
using test::tagged;

constexpr std::string_view kRule = "imap.rfc822-size-matches";
const std::string kMessage = "Subject: hi\r\n\r\nhello\r\n";  // 22 octets

TEST(InvariantsSize, MatchingSizeAndBodyPass) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(1, {atom("UID"), num(7), atom("RFC822.SIZE"), num(22), atom("BODY[]"), literal(kMessage)}));
  f.response(fetch(2, {atom("UID"), num(8), atom("RFC822.SIZE"), num(22)}));
  f.response(fetch(2, {atom("UID"), num(8), atom("RFC822"), literal(kMessage)}));
  f.response(fetch(3, {atom("RFC822.SIZE"), num(22)}));
  f.response(fetch(3, {atom("BODY.PEEK[]"), literal(kMessage)}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSize, SizeOtherThanTheBodyIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(1, {atom("UID"), num(7), atom("RFC822.SIZE"), num(24)}));
  expect_violation(f.response(fetch(1, {atom("UID"), num(7), atom("BODY[]"), literal(kMessage)})), kRule,
                   "RFC822.SIZE 24 of UID 7 is not the 22 octets of its BODY[]",
                   "RFC822.SIZE 22 (the octets of BODY[])", "RFC822.SIZE 24");
}

TEST(InvariantsSize, MismatchInOneFetchIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 1, 1);
  const auto v = f.response(fetch(1, {atom("RFC822.SIZE"), num(21), atom("BODY[]"), test::str(kMessage)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, kRule);
  EXPECT_EQ(v->message, "RFC822.SIZE 21 of message 1 is not the 22 octets of its BODY[]");
}

TEST(InvariantsSize, PartialsSectionsAndBinaryAreNotTheWholeMessage) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 1, 1);
  f.response(fetch(1, {atom("UID"), num(7), atom("RFC822.SIZE"), num(22)}));
  f.response(fetch(1, {atom("BODY[]<0>"), literal("Subject")}));
  f.response(fetch(1, {atom("BODY[TEXT]"), literal("hello\r\n")}));
  f.response(fetch(1, {atom("BODY[HEADER.FIELDS (SUBJECT)]"), literal("Subject: hi\r\n\r\n")}));
  f.response(fetch(1, {atom("BINARY[]"), literal("decoded")}));
  f.response(fetch(1, {atom("RFC822.TEXT"), literal("hello\r\n")}));
  f.response(fetch(1, {atom("BODY[]"), test::nil()}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSize, SequenceKeyedFactsJoinTheUidOnceKnown) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(2, {atom("RFC822.SIZE"), num(5)}));
  const auto v = f.response(fetch(2, {atom("UID"), num(8), atom("BODY[]"), literal(kMessage)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "RFC822.SIZE 5 of UID 8 is not the 22 octets of its BODY[]");
}

TEST(InvariantsSize, KnownUidKeysFetchesWithoutUid) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.fetch_uids("A2", {4, 7, 9});
  f.response(fetch(2, {atom("RFC822.SIZE"), num(5)}));
  const auto v = f.response(fetch(2, {atom("UID"), num(7), atom("BODY[]"), literal(kMessage)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "RFC822.SIZE 5 of UID 7 is not the 22 octets of its BODY[]");
}

TEST(InvariantsSize, ExpungeRetiresSequenceKeyedFacts) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(2, {atom("RFC822.SIZE"), num(5)}));
  f.response(test::expunge(1));  // message 2 is now another message
  f.response(fetch(2, {atom("BODY[]"), literal(kMessage)}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSize, UidKeyedFactsSurviveExpunge) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(2, {atom("UID"), num(8), atom("RFC822.SIZE"), num(5)}));
  f.response(test::expunge(1));
  const auto v = f.response(fetch(1, {atom("UID"), num(8), atom("BODY[]"), literal(kMessage)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rule, kRule);
}

TEST(InvariantsSize, ChangedSizeIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(fetch(1, {atom("UID"), num(8), atom("RFC822.SIZE"), num(22)}));
  expect_violation(f.response(fetch(1, {atom("UID"), num(8), atom("RFC822.SIZE"), num(23)})), kRule,
                   "RFC822.SIZE of UID 8 changed from 22 to 23", "RFC822.SIZE 22", "RFC822.SIZE 23");
}

TEST(InvariantsSize, ReselectStartsAfresh) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 1, 1);
  f.response(fetch(1, {atom("UID"), num(1), atom("RFC822.SIZE"), num(5)}));
  f.select("A2", "Archive", 1, 1);  // UID 1 of another mailbox is another message
  f.response(fetch(1, {atom("UID"), num(1), atom("BODY[]"), literal(kMessage)}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsSize, RememberedMessagesAreCapped) {
  InvariantLimits limits;
  limits.max_sized_messages = 2;
  SessionInvariants s(nullptr, limits);
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    f.response(fetch(seq, {atom("UID"), num(seq), atom("RFC822.SIZE"), num(5)}));
  }
  EXPECT_TRUE(f.response(fetch(2, {atom("UID"), num(2), atom("BODY[]"), literal(kMessage)})));
  EXPECT_FALSE(f.response(fetch(3, {atom("UID"), num(3), atom("BODY[]"), literal(kMessage)})));  // not remembered
}

}  // namespace
}  // namespace facteur::imap
