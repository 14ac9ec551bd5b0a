// Helpers for the session-invariant tests: Response values built by hand (these tests do not use
// the response parser), and a small driver that feeds a scripted session and keeps what it reports.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/imap/invariants.hpp"
#include "harness/imap/response.hpp"

namespace facteur::imap::test {

inline Value atom(std::string text) { return Value{Value::Kind::atom, std::move(text), false, false, '(', {}}; }
inline Value num(std::uint64_t n) { return Value{Value::Kind::number, std::to_string(n), false, false, '(', {}}; }
inline Value str(std::string text) { return Value{Value::Kind::string, std::move(text), false, false, '(', {}}; }
inline Value literal(std::string text) { return Value{Value::Kind::string, std::move(text), true, false, '(', {}}; }
inline Value nil() { return Value{Value::Kind::nil, "", false, false, '(', {}}; }
inline Value list(std::vector<Value> items) {
  return Value{Value::Kind::list, "", false, false, '(', std::move(items)};
}
inline Value atoms(const std::vector<std::string>& texts) {
  std::vector<Value> items;
  for (const auto& t : texts) items.push_back(atom(t));
  return list(std::move(items));
}

// "tag OK [code args] text"
inline Response tagged(std::string tag, std::string status, std::string code = "", std::vector<Value> args = {}) {
  Response r;
  r.kind = Response::Kind::tagged;
  r.tag = std::move(tag);
  r.status = status;
  r.name = std::move(status);
  r.code = std::move(code);
  r.code_args = std::move(args);
  r.text = "done";
  return r;
}

// "* OK [code args] text"
inline Response untagged_ok(std::string code, std::vector<Value> args = {}) {
  Response r;
  r.status = "OK";
  r.name = "OK";
  r.code = std::move(code);
  r.code_args = std::move(args);
  return r;
}

inline Response uidvalidity(std::uint64_t v) { return untagged_ok("UIDVALIDITY", {num(v)}); }
inline Response permanent_flags(const std::vector<std::string>& flags) {
  return untagged_ok("PERMANENTFLAGS", {atoms(flags)});
}

// "* [number] NAME data..."
inline Response data(std::optional<std::uint64_t> number, std::string name, std::vector<Value> values = {}) {
  Response r;
  r.number = number;
  r.name = std::move(name);
  r.data = std::move(values);
  return r;
}

inline Response exists(std::uint64_t n) { return data(n, "EXISTS"); }
inline Response expunge(std::uint64_t seq) { return data(seq, "EXPUNGE"); }
inline Response fetch(std::uint64_t seq, std::vector<Value> attributes) {
  return data(seq, "FETCH", {list(std::move(attributes))});
}
inline Response fetch_uid(std::uint64_t seq, std::uint64_t uid) { return fetch(seq, {atom("UID"), num(uid)}); }
inline Response flags(const std::vector<std::string>& names) { return data(std::nullopt, "FLAGS", {atoms(names)}); }
inline Response status(Value mailbox, std::vector<Value> items) {
  return data(std::nullopt, "STATUS", {std::move(mailbox), list(std::move(items))});
}
inline Response vanished(std::string uids, bool earlier = false) {
  std::vector<Value> values;
  if (earlier) values.push_back(atoms({"EARLIER"}));
  values.push_back(atom(std::move(uids)));
  return data(std::nullopt, "VANISHED", std::move(values));
}

// Feeds a session and keeps every violation, so a test can say "nothing was reported" or look at
// what was.
struct Feed {
  SessionInvariants& session;
  std::vector<Violation> seen;

  void command(std::string_view tag, std::string_view line) { session.on_command(tag, line); }
  std::optional<Violation> response(const Response& r) {
    std::optional<Violation> v = session.on_response(r);
    if (v) seen.push_back(*v);
    return v;
  }
  // tag SELECT mailbox → FLAGS, EXISTS, UIDVALIDITY, tagged OK.
  void select(std::string_view tag, std::string_view mailbox, std::uint64_t count, std::uint64_t validity,
              std::string_view verb = "SELECT") {
    command(tag, std::string(verb) + " " + std::string(mailbox));
    response(flags({"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"}));
    response(exists(count));
    response(uidvalidity(validity));
    response(tagged(std::string(tag), "OK", "READ-WRITE"));
  }
  // `tag FETCH` with one UID per message: uids[i] at seq i+1.
  void fetch_uids(std::string_view tag, const std::vector<std::uint64_t>& uids) {
    command(tag, "FETCH 1:* (UID)");
    for (std::size_t i = 0; i < uids.size(); ++i) response(fetch_uid(i + 1, uids[i]));
    response(tagged(std::string(tag), "OK"));
  }
};

// Asserts in one place that `v` is the violation of `rule` with these texts.
inline void expect_violation(const std::optional<Violation>& v, std::string_view rule, std::string_view message,
                             std::string_view expected, std::string_view actual) {
  ASSERT_TRUE(v.has_value()) << "no violation reported; expected " << rule;
  EXPECT_EQ(v->rule, rule);
  EXPECT_EQ(v->message, message);
  EXPECT_EQ(v->expected, expected);
  EXPECT_EQ(v->actual, actual);
}

}  // namespace facteur::imap::test
