// Helpers for the response tests: every wire fed split at every byte (tests/support/split_everywhere.hpp),
// to the one-shot parse_response and to a ResponseFramer fed one octet at a time and in 7-octet
// steps, which must answer every feed as the one-shot parse of the same octets.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "harness/pop3/response.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::pop3::test {

inline void expect_same_response(const Response& a, const Response& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.multiline, b.multiline);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.line_count, b.line_count);
  EXPECT_EQ(a.body_octets, b.body_octets);
  EXPECT_EQ(a.wire_bytes, b.wire_bytes);
  EXPECT_EQ(a.body_hash, b.body_hash);
}

inline ParseResult feed_in_steps(std::string_view wire, bool multiline, std::size_t step, const Limits& limits = {}) {
  return facteur::test::feed_in_steps(wire, step, [&] { return ResponseFramer(multiline, limits); });
}

inline void framer_matches_one_shot(std::string_view wire, bool multiline, const Limits& limits) {
  for (const std::size_t step : {1, 7}) {
    facteur::test::framer_matches_one_shot(
        wire, step, [&] { return ResponseFramer(multiline, limits); },
        [&](std::string_view in) { return parse_response(in, multiline, limits); },
        [](const ParseResult& a, const ParseResult& b) { expect_same_response(a.response, b.response); });
  }
}

// Every proper prefix → need_more (consumed 0); the whole wire → complete, consuming all of it.
inline Response parse_split_everywhere(std::string_view wire, bool multiline, const Limits& limits = {}) {
  const ParseResult full = facteur::test::complete_split_everywhere(
      wire, [&](std::string_view in) { return parse_response(in, multiline, limits); });
  EXPECT_EQ(full.response.wire_bytes, wire.size());
  framer_matches_one_shot(wire, multiline, limits);
  return full.response;
}

using facteur::test::ErrorAt;

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way.
inline ErrorAt error_split_everywhere(std::string_view wire, bool multiline, const Limits& limits = {}) {
  const ErrorAt found = facteur::test::error_split_everywhere(
      wire, [&](std::string_view in) { return parse_response(in, multiline, limits); });
  framer_matches_one_shot(wire, multiline, limits);
  return found;
}

// A message as POP3 sends it in a multi-line body: each line dot-stuffed, CRLF-terminated,
// then ".\r\n". `lines` are the message's lines without CRLF.
inline std::string stuffed_body(std::initializer_list<std::string_view> lines) {
  std::string wire;
  for (const std::string_view line : lines) {
    if (!line.empty() && line.front() == '.') wire += '.';
    wire += line;
    wire += "\r\n";
  }
  wire += ".\r\n";
  return wire;
}

}  // namespace facteur::pop3::test
