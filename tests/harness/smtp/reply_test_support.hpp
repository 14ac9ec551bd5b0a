// Helpers for the reply tests: STYLE.md wants every message fed split at every byte. parse_reply is
// a pure function over the octets received so far, so "split at k" means "only k octets arrived":
// every shorter prefix must ask for more, the whole input must give the same answer every time.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "harness/smtp/reply.hpp"

namespace facteur::smtp::test {

inline void expect_same_reply(const Reply& a, const Reply& b) {
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.enhanced, b.enhanced);
  EXPECT_EQ(a.wire_bytes, b.wire_bytes);
}

// Every proper prefix → need_more (consumed 0); the whole wire → complete, consuming all of it.
inline Reply parse_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  for (std::size_t k = 0; k < wire.size(); ++k) {
    const ReplyParse r = parse_reply(wire.substr(0, k), limits);
    if (r.status != ParseStatus::need_more || r.consumed != 0) {
      ADD_FAILURE() << "prefix of " << k << " octets was not need_more: " << r.error;
      break;
    }
  }
  const ReplyParse full = parse_reply(wire, limits);
  EXPECT_EQ(full.status, ParseStatus::complete) << full.error;
  EXPECT_EQ(full.consumed, wire.size());
  EXPECT_EQ(full.reply.wire_bytes, wire.size());
  EXPECT_TRUE(full.error.empty());
  return full.reply;
}

struct ErrorAt {
  std::size_t first_failing_prefix = 0;  // octets received when the error was first reported
  std::string message;
};

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way
// (never complete), and the whole wire fails.
inline ErrorAt error_split_everywhere(std::string_view wire, const ReplyLimits& limits = {}) {
  ErrorAt found;
  bool failed = false;
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const ReplyParse r = parse_reply(wire.substr(0, k), limits);
    EXPECT_EQ(r.consumed, 0u) << "prefix " << k;
    if (failed) {
      EXPECT_EQ(r.status, ParseStatus::error) << "prefix " << k << " recovered from an error";
      EXPECT_EQ(r.error, found.message) << "prefix " << k;
    } else if (r.status == ParseStatus::error) {
      EXPECT_FALSE(r.error.empty());
      failed = true;
      found = ErrorAt{k, r.error};
    } else {
      EXPECT_EQ(r.status, ParseStatus::need_more) << "prefix " << k;
    }
  }
  EXPECT_TRUE(failed) << "never failed: " << wire;
  return found;
}

}  // namespace facteur::smtp::test
