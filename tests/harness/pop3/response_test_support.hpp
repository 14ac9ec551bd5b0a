// Helpers for the response tests. STYLE.md wants every message fed split at every byte: the
// one-shot parse_response over every prefix (each shorter one asks for more), and a ResponseFramer
// fed the buffer growing one octet at a time, which must end exactly like the one-shot parse.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "harness/pop3/response.hpp"

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

// The framer fed `wire` growing by `step` octets at a time (the last feed is all of it).
inline ParseResult feed_in_steps(std::string_view wire, bool multiline, std::size_t step, const Limits& limits = {}) {
  ResponseFramer framer(multiline, limits);
  ParseResult r;
  for (std::size_t k = 0;; k = std::min(wire.size(), k + step)) {
    r = framer.feed(wire.substr(0, k));
    if (r.status != ParseStatus::need_more || k == wire.size()) return r;
  }
}

// Every proper prefix → need_more (consumed 0); the whole wire → complete, consuming all of it;
// the framer fed one octet at a time and in 7-octet steps gives the same response.
inline Response parse_split_everywhere(std::string_view wire, bool multiline, const Limits& limits = {}) {
  for (std::size_t k = 0; k < wire.size(); ++k) {
    const ParseResult r = parse_response(wire.substr(0, k), multiline, limits);
    if (r.status != ParseStatus::need_more || r.consumed != 0) {
      ADD_FAILURE() << "prefix of " << k << " octets was not need_more: " << r.error;
      break;
    }
  }
  const ParseResult full = parse_response(wire, multiline, limits);
  EXPECT_EQ(full.status, ParseStatus::complete) << full.error;
  EXPECT_EQ(full.consumed, wire.size());
  EXPECT_EQ(full.response.wire_bytes, wire.size());
  EXPECT_TRUE(full.error.empty());

  ResponseFramer framer(multiline, limits);
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const ParseResult r = framer.feed(wire.substr(0, k));
    if (k < wire.size()) {
      if (r.status != ParseStatus::need_more) {
        ADD_FAILURE() << "framer: " << k << " octets were not need_more: " << r.error;
        break;
      }
      continue;
    }
    EXPECT_EQ(r.status, ParseStatus::complete) << r.error;
    EXPECT_EQ(r.consumed, full.consumed);
    expect_same_response(r.response, full.response);
  }
  const ParseResult stepped = feed_in_steps(wire, multiline, 7, limits);
  EXPECT_EQ(stepped.status, ParseStatus::complete) << stepped.error;
  expect_same_response(stepped.response, full.response);
  return full.response;
}

struct ErrorAt {
  std::size_t first_failing_prefix = 0;  // octets received when the error was first reported
  std::string message;
};

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way;
// the framer fed one octet at a time fails at the same prefix with the same message.
inline ErrorAt error_split_everywhere(std::string_view wire, bool multiline, const Limits& limits = {}) {
  ErrorAt found;
  bool failed = false;
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const ParseResult r = parse_response(wire.substr(0, k), multiline, limits);
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

  ResponseFramer framer(multiline, limits);
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const ParseResult r = framer.feed(wire.substr(0, k));
    if (k < found.first_failing_prefix) {
      EXPECT_EQ(r.status, ParseStatus::need_more) << "framer, prefix " << k;
    } else {
      EXPECT_EQ(r.status, ParseStatus::error) << "framer, prefix " << k;
      EXPECT_EQ(r.error, found.message) << "framer, prefix " << k;
    }
  }
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
