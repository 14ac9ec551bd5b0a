// Helpers for the IMAP response tests: STYLE.md wants every message fed split at every byte.
// parse_response is a pure function over the octets received so far, so "split at k" means "only
// k octets arrived": every shorter prefix must ask for more, the whole input must complete.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "harness/imap/response.hpp"
#include "tests/support/split_everywhere.hpp"

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
  const ParseResult full =
      facteur::test::complete_split_everywhere(wire, [&](std::string_view in) { return parse_response(in, limits); });
  EXPECT_EQ(full.response.wire_bytes, wire.size());
  return full.response;
}

using facteur::test::ErrorAt;

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way
// (never complete), and the whole wire fails.
inline ErrorAt error_split_everywhere(std::string_view wire, const Limits& limits = {}) {
  return facteur::test::error_split_everywhere(wire, [&](std::string_view in) { return parse_response(in, limits); });
}

}  // namespace test
}  // namespace facteur::imap
