// Helpers for the IMAP response tests: STYLE.md wants every message fed split at every byte.
// parse_response is a pure function over the octets received so far, so "split at k" means "only
// k octets arrived": every shorter prefix must ask for more, the whole input must complete.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "harness/imap/response.hpp"

namespace facteur::imap {

// gtest shows values as on the wire.
inline void PrintTo(const Value& v, std::ostream* os) { *os << v.wire(); }

namespace test {

inline Value atom(std::string text) { return Value{Value::Kind::atom, std::move(text), false, false, '(', {}}; }
inline Value number(std::string digits) { return Value{Value::Kind::number, std::move(digits), false, false, '(', {}}; }
inline Value quoted(std::string text) { return Value{Value::Kind::string, std::move(text), false, false, '(', {}}; }
inline Value literal(std::string text, bool binary = false) {
  return Value{Value::Kind::string, std::move(text), true, binary, '(', {}};
}
inline Value nil() { return Value{Value::Kind::nil, {}, false, false, '(', {}}; }
inline Value list(std::vector<Value> items, char open = '(') {
  return Value{Value::Kind::list, {}, false, false, open, std::move(items)};
}

// Every proper prefix → need_more (consumed 0, no error); the whole wire → complete, consuming it.
inline Response parse_split_everywhere(std::string_view wire, const Limits& limits = {}) {
  for (std::size_t k = 0; k < wire.size(); ++k) {
    const ParseResult r = parse_response(wire.substr(0, k), limits);
    if (r.status != ParseStatus::need_more || r.consumed != 0 || !r.error.empty()) {
      ADD_FAILURE() << "prefix of " << k << " octets was not need_more: " << r.error;
      break;
    }
  }
  const ParseResult full = parse_response(wire, limits);
  EXPECT_EQ(full.status, ParseStatus::complete) << full.error;
  EXPECT_EQ(full.consumed, wire.size());
  EXPECT_EQ(full.response.wire_bytes, wire.size());
  EXPECT_TRUE(full.error.empty());
  return full.response;
}

struct ErrorAt {
  std::size_t first_failing_prefix = 0;  // octets received when the error was first reported
  std::string message;
};

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way
// (never complete), and the whole wire fails.
inline ErrorAt error_split_everywhere(std::string_view wire, const Limits& limits = {}) {
  ErrorAt found;
  bool failed = false;
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const ParseResult r = parse_response(wire.substr(0, k), limits);
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

}  // namespace test
}  // namespace facteur::imap
