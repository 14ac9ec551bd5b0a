// Helpers for the reply tests: every wire fed split at every byte (tests/support/split_everywhere.hpp),
// to the one-shot parse_reply and to a ReplyFramer fed one octet at a time and in 7-octet steps,
// which must answer every feed as the one-shot parse of the same octets.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string_view>

#include "harness/ftp/reply.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::ftp {

// gtest shows a reply as its fields.
inline void PrintTo(const Reply& r, std::ostream* os) {
  *os << r.code << (r.multiline ? " multi-line" : "") << ", " << r.line_count << " lines, " << r.wire_bytes
      << " octets: " << testing::PrintToString(r.lines);
}

namespace test {

using facteur::test::ErrorAt;

inline ReplyParse feed_in_steps(std::string_view wire, std::size_t step, const ReplyLimits& limits = {}) {
  return facteur::test::feed_in_steps(wire, step, [&] { return ReplyFramer(limits); });
}

inline void framer_matches_one_shot(std::string_view wire, const ReplyLimits& limits) {
  for (const std::size_t step : {1, 7}) {
    facteur::test::framer_matches_one_shot(
        wire, step, [&] { return ReplyFramer(limits); }, [&](std::string_view in) { return parse_reply(in, limits); },
        [](const ReplyParse& a, const ReplyParse& b) { EXPECT_EQ(a.reply, b.reply); });
  }
}

// The reply a whole wire holds (for the tests of what is read out of replies).
inline Reply reply_of(std::string_view wire, const ReplyLimits& limits = {}) {
  const ReplyParse r = parse_reply(wire, limits);
  EXPECT_EQ(r.status, ParseStatus::complete) << r.error;
  return r.reply;
}

// Every proper prefix → need_more; the whole wire → complete, consuming all of it.
inline Reply parse_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  const ReplyParse full =
      facteur::test::complete_split_everywhere(wire, [&](std::string_view in) { return parse_reply(in, limits); });
  EXPECT_EQ(full.reply.wire_bytes, wire.size());
  framer_matches_one_shot(wire, limits);
  return full.reply;
}

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way.
inline ErrorAt error_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  const ErrorAt found =
      facteur::test::error_split_everywhere(wire, [&](std::string_view in) { return parse_reply(in, limits); });
  framer_matches_one_shot(wire, limits);
  return found;
}

}  // namespace test
}  // namespace facteur::ftp
