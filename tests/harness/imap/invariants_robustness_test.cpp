// SessionInvariants never crashes, throws or grows without bound, whatever the server sends in
// whatever order (STYLE.md §1: no asserts on server data).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "harness/imap/invariants.hpp"
#include "tests/harness/imap/invariants_test_support.hpp"

namespace facteur::imap {
namespace {

using test::atom;
using test::Feed;
using test::num;
using test::tagged;

Value random_value(std::mt19937_64& rng, int depth) {
  static const std::vector<std::string> words = {"UID",       "FLAGS",  "RFC822.SIZE", "BODY[]", "RFC822",
                                                 "EARLIER",   "\\Seen", "$Junk",       "1:5",    "3,1:*",
                                                 "0",         "",       "UIDVALIDITY", "INBOX",  "4294967296",
                                                 "99999999999999999999999"};
  switch (rng() % (depth > 3 ? 4 : 5)) {
    case 0:
      return atom(words[rng() % words.size()]);
    case 1:
      return num(rng() % 3 == 0 ? rng() : rng() % 20);
    case 2:
      return test::literal(std::string(rng() % 40, 'x'));
    case 3:
      return test::nil();
    default: {
      std::vector<Value> items;
      for (std::uint64_t i = rng() % 6; i > 0; --i) items.push_back(random_value(rng, depth + 1));
      return test::list(std::move(items));
    }
  }
}

Response random_response(std::mt19937_64& rng) {
  static const std::vector<std::string> names = {"EXISTS", "EXPUNGE", "FETCH", "FLAGS", "VANISHED", "STATUS", "LIST"};
  static const std::vector<std::string> codes = {"UIDVALIDITY", "PERMANENTFLAGS", "CLOSED", "READ-WRITE", ""};
  static const std::vector<std::string> statuses = {"OK", "NO", "BAD", "BYE"};
  const std::uint64_t pick = rng() % 10;
  if (pick < 2) {
    const std::string tag = "T" + std::to_string(rng() % 8);
    Response r = tagged(tag, statuses[rng() % statuses.size()], codes[rng() % codes.size()]);
    if (rng() % 2) r.code_args.push_back(random_value(rng, 0));
    return r;
  }
  if (pick < 4) {
    Response r = test::untagged_ok(codes[rng() % codes.size()]);
    for (std::uint64_t i = rng() % 3; i > 0; --i) r.code_args.push_back(random_value(rng, 0));
    return r;
  }
  std::optional<std::uint64_t> number;
  if (rng() % 5) number = rng() % 4 == 0 ? rng() : rng() % 30;
  std::vector<Value> values;
  for (std::uint64_t i = rng() % 4; i > 0; --i) values.push_back(random_value(rng, 0));
  return test::data(number, names[rng() % names.size()], std::move(values));
}

TEST(InvariantsRobustness, RandomSessionsNeverCrash) {
  static const std::vector<std::string> commands = {
      "SELECT INBOX", "EXAMINE \"a b\"", "SELECT {3}", "SELECT", "CLOSE", "UNSELECT", "DELETE INBOX",
      "RENAME a b",   "RENAME",          "NOOP",       "UID FETCH 1:* (UID)", "SELECT \"unterminated", ""};
  std::mt19937_64 rng(7);
  InvariantLimits limits;
  limits.max_messages = 1000;
  limits.max_sized_messages = 100;
  limits.recent_tags = 16;
  UidValidityBook book(50);
  std::size_t reported = 0;
  for (int session = 0; session < 200; ++session) {
    SessionInvariants s(session % 2 ? &book : nullptr, limits);
    for (int step = 0; step < 300; ++step) {
      if (rng() % 4 == 0) {
        s.on_command("T" + std::to_string(rng() % 8), commands[rng() % commands.size()]);
      } else if (s.on_response(random_response(rng))) {
        ++reported;
      }
      ASSERT_LE(s.tracked_messages(), limits.max_messages);
    }
  }
  EXPECT_GT(reported, 0u);
  EXPECT_LE(book.size(), 50u);
}

TEST(InvariantsRobustness, HugeNumbersStayWithinTheCap) {
  InvariantLimits limits;
  limits.max_messages = 1000;
  SessionInvariants s(nullptr, limits);
  Feed f{s, {}};
  f.select("A1", "INBOX", 18446744073709551615u, 1);
  f.response(test::fetch_uid(18446744073709551615u, 4294967295u));
  f.response(test::fetch_uid(999, 4294967295u));
  f.response(test::fetch_uid(1000, 4294967295u));
  f.response(test::vanished("1:4294967295"));
  f.response(test::vanished("1:9999999999999999999"));
  f.response(test::expunge(18446744073709551615u));
  f.response(test::exists(0));
  f.response(test::exists(18446744073709551615u));
  EXPECT_LE(s.tracked_messages(), 1000u);
}

TEST(InvariantsRobustness, MalformedDataIsIgnored) {
  SessionInvariants s;
  Feed f{s, {}};
  f.select("A1", "INBOX", 3, 1);
  f.response(test::data(std::nullopt, "FETCH", {}));             // no number
  f.response(test::data(2, "FETCH", {}));                        // no attributes
  f.response(test::data(2, "FETCH", {atom("UID")}));             // not a list
  f.response(test::fetch(2, {atom("UID")}));                     // odd item count
  f.response(test::fetch(2, {atom("UID"), atom("abc")}));        // not a number
  f.response(test::fetch(2, {atom("FLAGS"), atom("\\Seen")}));   // not a list
  f.response(test::fetch(2, {atom("RFC822.SIZE"), test::nil()}));
  f.response(test::data(std::nullopt, "EXISTS"));
  f.response(test::data(std::nullopt, "FLAGS"));
  f.response(test::data(std::nullopt, "VANISHED"));
  f.response(test::data(std::nullopt, "VANISHED", {test::atoms({"EARLIER"})}));
  f.response(test::data(std::nullopt, "STATUS", {test::nil(), test::list({})}));
  f.response(test::data(std::nullopt, "STATUS", {atom("x")}));
  f.response(test::untagged_ok("UIDVALIDITY"));
  f.response(test::untagged_ok("UIDVALIDITY", {atom("soon")}));
  f.response(test::untagged_ok("PERMANENTFLAGS", {atom("none")}));
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(s.exists(), 3u);
}

}  // namespace
}  // namespace facteur::imap
