// Rule imap.flags-announced (RFC 9051 §7.3.5 FLAGS, §7.1 PERMANENTFLAGS; RFC 3501 §2.3.2 \Recent).
#include <gtest/gtest.h>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::atoms;
using test::expect_violation;
using test::Feed;
using test::tagged;

Response fetch_flags(std::uint64_t seq, const std::vector<std::string>& flags) {
  return test::fetch(seq, {atom("FLAGS"), atoms(flags)});
}

void select_with(Feed& f, std::string_view tag, const std::vector<std::string>& flags,
                 const std::vector<std::string>& permanent) {
  f.command(tag, "SELECT INBOX");
  f.response(test::flags(flags));
  f.response(test::permanent_flags(permanent));
  f.response(test::exists(3));
  f.response(tagged(std::string(tag), "OK"));
}

TEST(InvariantsFlags, AnnouncedFlagsPass) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"\\Seen", "\\Answered", "$Junk"}, {"\\Seen"});
  f.response(fetch_flags(1, {"\\Seen", "$junk", "\\Recent"}));  // flags compare case-insensitively
  f.response(fetch_flags(2, {}));
  EXPECT_TRUE(f.seen.empty());
}

TEST(InvariantsFlags, UnannouncedKeywordIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"\\Seen"}, {"\\Seen", "\\*"});
  expect_violation(f.response(fetch_flags(1, {"\\Seen", "$Phishing"})), "imap.flags-announced",
                   "FETCH 1 FLAGS has $Phishing, which is in neither the latest FLAGS (\\Seen) nor PERMANENTFLAGS "
                   "(\\Seen \\*)",
                   "a flag of FLAGS (\\Seen) or PERMANENTFLAGS (\\Seen \\*)", "$Phishing");
}

TEST(InvariantsFlags, UnannouncedSystemFlagIsReported) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"\\Seen"}, {});
  const auto v = f.response(fetch_flags(1, {"\\Draft"}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->actual, "\\Draft");
}

TEST(InvariantsFlags, KeywordInPermanentFlagsPasses) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"\\Seen"}, {"\\Seen", "$Label1"});
  EXPECT_FALSE(f.response(fetch_flags(1, {"$Label1"})));
}

TEST(InvariantsFlags, LaterFlagsAnnouncementAllowsTheNewKeyword) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"\\Seen"}, {"\\Seen", "\\*"});
  f.command("A2", "STORE 1 +FLAGS ($New)");
  f.response(test::flags({"\\Seen", "$New"}));
  f.response(fetch_flags(1, {"$New"}));
  f.response(tagged("A2", "OK"));
  EXPECT_TRUE(f.seen.empty());
  // ... and a later FLAGS without it withdraws it.
  f.response(test::flags({"\\Seen"}));
  f.response(test::permanent_flags({"\\Seen"}));
  EXPECT_TRUE(f.response(fetch_flags(1, {"$New"})));
}

TEST(InvariantsFlags, AnyFlagGoesBeforeFlagsAreAnnounced) {
  SessionInvariants s;
  Feed f{s, {}};
  f.command("A1", "SELECT INBOX");
  f.response(test::exists(1));
  f.response(test::permanent_flags({}));
  f.response(tagged("A1", "OK"));
  EXPECT_FALSE(f.response(fetch_flags(1, {"$Anything", "\\Seen"})));
}

TEST(InvariantsFlags, ReselectForgetsTheOldMailboxsFlags) {
  SessionInvariants s;
  Feed f{s, {}};
  select_with(f, "A1", {"$OnlyHere"}, {});
  f.command("A2", "SELECT Other");
  f.response(test::exists(1));
  f.response(tagged("A2", "OK"));
  EXPECT_FALSE(f.response(fetch_flags(1, {"$Whatever"})));  // "Other" announced no FLAGS
  select_with(f, "A3", {"\\Seen"}, {});
  EXPECT_TRUE(f.response(fetch_flags(1, {"$OnlyHere"})));
}

}  // namespace
}  // namespace facteur::imap
