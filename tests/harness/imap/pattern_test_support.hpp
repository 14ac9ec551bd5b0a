// Helpers for the pattern tests: parse a response and a pattern, match them.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "harness/imap/pattern.hpp"
#include "harness/imap/response.hpp"

namespace facteur::imap::test {

inline Response response(std::string_view wire) {
  const ParseResult r = parse_response(wire);
  EXPECT_EQ(r.status, ParseStatus::complete) << wire << ": " << r.error;
  EXPECT_EQ(r.consumed, wire.size());
  return r.response;
}

inline Pattern pattern(std::string_view text) {
  std::string error;
  auto p = parse_pattern(text, &error);
  EXPECT_TRUE(p.has_value()) << text << ": " << error;
  return p ? *p : Pattern{};
}

// Matches `text` against `wire`; on failure `vars` must be left as it was.
inline MatchOutcome try_match(std::string_view text, std::string_view wire, Bindings& vars) {
  const Bindings before = vars;
  const MatchOutcome m = match(pattern(text), response(wire), vars);
  if (m.ok) {
    EXPECT_TRUE(m.why.empty());
  } else {
    EXPECT_EQ(vars, before) << "bindings leaked from a failed match of " << text;
    EXPECT_FALSE(m.why.empty());
  }
  return m;
}

inline MatchOutcome try_match(std::string_view text, std::string_view wire) {
  Bindings vars;
  return try_match(text, wire, vars);
}

}  // namespace facteur::imap::test
