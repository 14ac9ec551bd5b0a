// Rule imap.tag-unknown (RFC 9051 §2.2.1-2: one tagged completion per command, with its tag).
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::expect_violation;
using test::Feed;
using test::tagged;

TEST(InvariantsTags, CompletionsOfSentTagsPassInAnyOrder) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "NOOP");
  f.command("A2", "CAPABILITY");
  f.command("A3", "UID FETCH 1:* (FLAGS)");
  EXPECT_EQ(s.pending_commands(), 3u);
  Response plus;
  plus.kind = Response::Kind::continuation;
  f.response(plus);
  f.response(tagged("A2", "OK"));
  f.response(tagged("A1", "NO"));
  f.response(tagged("A3", "BAD"));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.pending_commands(), 0u);
}

TEST(InvariantsTags, TagNeverSentIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "NOOP");
  expect_violation(f.response(tagged("Z9", "OK")), "imap.tag-unknown",
                   "tagged completion for tag Z9, which the client never sent", "the tag of a command in progress",
                   "Z9 OK");
  EXPECT_EQ(s.pending_commands(), 1u);  // A1 still awaits its completion
  EXPECT_FALSE(f.response(tagged("A1", "OK")));
}

TEST(InvariantsTags, SecondCompletionIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "NOOP");
  f.response(tagged("A1", "OK"));
  expect_violation(f.response(tagged("A1", "NO")), "imap.tag-unknown",
                   "second tagged completion for tag A1, whose command had already completed",
                   "one tagged completion per command", "A1 NO");
}

TEST(InvariantsTags, TagReusedAfterCompletionIsFine) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "NOOP");
  f.response(tagged("A1", "OK"));
  f.command("A1", "NOOP");
  EXPECT_FALSE(f.response(tagged("A1", "OK")));
}

TEST(InvariantsTags, SameTagTwiceInFlightTakesTwoCompletions) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "NOOP");
  f.command("A1", "NOOP");
  EXPECT_FALSE(f.response(tagged("A1", "OK")));
  EXPECT_FALSE(f.response(tagged("A1", "OK")));
  EXPECT_TRUE(f.response(tagged("A1", "OK")));
}

TEST(InvariantsTags, TagsAreCaseSensitive) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("a1", "NOOP");
  EXPECT_TRUE(f.response(tagged("A1", "OK")));
}

TEST(InvariantsTags, OnlyRecentCompletionsAreRemembered) {
  InvariantLimits limits;
  limits.recent_tags = 2;
  SessionInvariants s(nullptr, limits);
  Feed f{s, {}};
  for (const char* tag : {"A1", "A2", "A3"}) {
    f.command(tag, "NOOP");
    f.response(tagged(tag, "OK"));
  }
  EXPECT_EQ(f.response(tagged("A3", "OK"))->message,
            "second tagged completion for tag A3, whose command had already completed");
  EXPECT_EQ(f.response(tagged("A1", "OK"))->message, "tagged completion for tag A1, which the client never sent");
}

}  // namespace
}  // namespace facteur::imap
