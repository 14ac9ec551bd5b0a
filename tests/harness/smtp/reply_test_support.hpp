// Helpers for the reply tests: STYLE.md wants every message fed split at every byte. parse_reply is
// a pure function over the octets received so far, so "split at k" means "only k octets arrived":
// every shorter prefix must ask for more, the whole input must give the same answer every time.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "harness/smtp/reply.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::smtp::test {

inline void expect_same_reply(const Reply& a, const Reply& b) {
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.enhanced, b.enhanced);
  EXPECT_EQ(a.wire_bytes, b.wire_bytes);
}

// Every proper prefix → need_more (consumed 0); the whole wire → complete, consuming all of it.
inline Reply parse_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  const ReplyParse full =
      facteur::test::complete_split_everywhere(wire, [&](std::string_view in) { return parse_reply(in, limits); });
  EXPECT_EQ(full.reply.wire_bytes, wire.size());
  return full.reply;
}

using facteur::test::ErrorAt;

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way
// (never complete), and the whole wire fails.
inline ErrorAt error_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  return facteur::test::error_split_everywhere(wire, [&](std::string_view in) { return parse_reply(in, limits); });
}

}  // namespace facteur::smtp::test
