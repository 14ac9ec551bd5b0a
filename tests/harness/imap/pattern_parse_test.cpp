// parse_pattern: the three kinds, status patterns (status + [code], human text ignored), and the
// placement rules for $*, directives and FETCH pairs.
#include <gtest/gtest.h>

#include "harness/imap/pattern.hpp"
#include "tests/harness/imap/pattern_test_support.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::list;
using test::pattern;

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_pattern(text, &error).has_value()) << text;
  return error;
}

TEST(ImapPatternParse, Untagged) {
  const Pattern p = pattern("* $n EXISTS");
  EXPECT_EQ(p.kind, Response::Kind::untagged);
  EXPECT_EQ(p.source, "* $n EXISTS");
  EXPECT_EQ(p.items, (std::vector<Value>{atom("$n"), atom("EXISTS")}));
}

TEST(ImapPatternParse, UntaggedStatusKeepsStatusAndCodeOnly) {
  const Pattern p = pattern("* OK [UIDVALIDITY $uidvalidity] UIDs valid (well, \"mostly\"");
  EXPECT_EQ(p.items, (std::vector<Value>{atom("OK"), list({atom("UIDVALIDITY"), atom("$uidvalidity")}, '[')}));
}

TEST(ImapPatternParse, TaggedIsTheCompletionWithoutTag) {
  Pattern p = pattern("OK [APPENDUID $v $uid] Append completed.");
  EXPECT_EQ(p.kind, Response::Kind::tagged);
  EXPECT_EQ(p.items, (std::vector<Value>{atom("OK"), list({atom("APPENDUID"), atom("$v"), atom("$uid")}, '[')}));
  p = pattern("no");
  EXPECT_EQ(p.items, (std::vector<Value>{atom("no")}));
  p = pattern("$status");
  EXPECT_EQ(p.items, (std::vector<Value>{atom("$status")}));
}

TEST(ImapPatternParse, Continuation) {
  EXPECT_EQ(pattern("+").kind, Response::Kind::continuation);
  EXPECT_EQ(pattern("+ Ready (for [anything").kind, Response::Kind::continuation);
  EXPECT_TRUE(pattern("+ x").items.empty());
}

TEST(ImapPatternParse, FetchWithDirectives) {
  const Pattern p = pattern("* $ FETCH (FLAGS ($!unordered \\Seen \\Flagged) UID $uid)");
  ASSERT_EQ(p.items.size(), 3u);
  EXPECT_EQ(p.items[2].items[1], list({atom("$!unordered"), atom("\\Seen"), atom("\\Flagged")}));
}

TEST(ImapPatternParse, SurroundingSpaceAndCrlfIgnored) {
  EXPECT_EQ(pattern("  * 3 EXISTS \r\n").items.size(), 2u);
}

TEST(ImapPatternParse, Errors) {
  EXPECT_EQ(error_of(""), "empty pattern");
  EXPECT_EQ(error_of("*"), "untagged pattern without a response name");
  EXPECT_EQ(error_of("FOO bar"), "a tagged pattern starts with OK, NO, BAD or a $variable, not 'FOO'");
  EXPECT_EQ(error_of("BYE"), "a tagged pattern starts with OK, NO, BAD or a $variable, not 'BYE'");
  EXPECT_EQ(error_of("* FLAGS (\\Seen"), "list opened at offset 6 is not closed");
  EXPECT_EQ(error_of("* X ($* a)"), "$* must be the last item of its list or line");
  EXPECT_EQ(error_of("* X $* a"), "$* must be the last item of its list or line");
  EXPECT_EQ(error_of("* X (a $!extra)"), "$!extra must come before the items of its list");
  EXPECT_EQ(error_of("* X $!extra"), "$!extra is not in a list: directives start a list");
  EXPECT_EQ(error_of("* X ($!sideways a)"), "unknown directive $!sideways");
  EXPECT_EQ(error_of("* 1 FETCH (FLAGS)"), "the FETCH list must be key/value pairs");
  EXPECT_EQ(error_of("* 1 FETCH ($k 1)"), "FETCH key $k must be an atom");
  EXPECT_EQ(error_of("* OK [UIDVALIDITY \"x]"), "bad response code: text ends early at offset 19");
  EXPECT_EQ(error_of("* X {3}"), "literal at offset 2 is not allowed here");
}

TEST(ImapPatternParse, FetchOrderedNeedsNoPairsAndRestIsAllowed) {
  pattern("* 1 FETCH ($!ordered FLAGS)");
  pattern("* 1 FETCH (FLAGS $ $*)");
}

}  // namespace
}  // namespace facteur::imap
