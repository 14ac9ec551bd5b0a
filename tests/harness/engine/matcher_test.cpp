#include "harness/engine/matcher.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/engine/smtp_steps.hpp"
#include "harness/smtp/ehlo.hpp"
#include "harness/smtp/reply.hpp"

namespace facteur::engine {
namespace {

using scenario::ExpectSet;
using scenario::Expectation;
using scenario::Pattern;
using scenario::Vars;

// The facts the engine derives from a complete SMTP reply on the wire.
ReplyFacts facts(const std::string& wire) {
  const FramedReply framed = frame_smtp_reply(wire, smtp::ReplyLimits{});
  EXPECT_EQ(framed.status, FramedReply::Status::complete) << wire << ": " << framed.error;
  return framed.facts;
}

ReplyFacts closed() {
  ReplyFacts f;
  f.closed = true;
  return f;
}

Pattern pattern(const std::string& source) { return Pattern{source, std::regex(source, std::regex::ECMAScript)}; }

Expectation codes(std::vector<std::string> c) {
  Expectation e;
  e.codes = std::move(c);
  return e;
}

ExpectSet set_of(std::vector<Expectation> alternatives) { return ExpectSet{std::move(alternatives)}; }

// Why `e` does not hold for `reply` ("" when it does).
std::string why(const Expectation& e, const ReplyFacts& reply) {
  Vars vars;
  const MatchResult r = match(set_of({e}), reply, vars);
  EXPECT_EQ(r.ok, r.why.empty());
  return r.ok ? "" : r.why;
}

const char* const kEhlo =
    "250-mail.lab.test Hello client\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10240000\r\n"
    "250-STARTTLS\r\n"
    "250-AUTH PLAIN LOGIN\r\n"
    "250 8BITMIME\r\n";

TEST(CodeMatches, DigitsAndWildcards) {
  EXPECT_TRUE(code_matches("250", "250"));
  EXPECT_FALSE(code_matches("250", "251"));
  EXPECT_TRUE(code_matches("2xx", "250"));
  EXPECT_TRUE(code_matches("2xx", "221"));
  EXPECT_FALSE(code_matches("2xx", "354"));
  EXPECT_TRUE(code_matches("25x", "251"));
  EXPECT_FALSE(code_matches("25x", "221"));
  EXPECT_FALSE(code_matches("25x", "260"));
  EXPECT_TRUE(code_matches("5xx", "554"));
  EXPECT_FALSE(code_matches("5xx", "454"));
  EXPECT_FALSE(code_matches("250", "25"));
  EXPECT_FALSE(code_matches("2xx", "2500"));
  EXPECT_FALSE(code_matches("2xx", ""));
}

TEST(CodeMatches, NamedStatuses) {
  EXPECT_TRUE(code_matches("+OK", "+OK"));
  EXPECT_FALSE(code_matches("+OK", "-ERR"));
  EXPECT_FALSE(code_matches("-ERR", "+OK"));
  EXPECT_TRUE(code_matches("OK", "OK"));
  EXPECT_FALSE(code_matches("OK", "NO"));
  EXPECT_FALSE(code_matches("BAD", "OK"));
  EXPECT_TRUE(code_matches("+", "+"));
}

TEST(EnhancedMatches, PartsAndWildcards) {
  EXPECT_TRUE(enhanced_matches("5.1.1", "5.1.1"));
  EXPECT_FALSE(enhanced_matches("5.1.1", "5.1.2"));
  EXPECT_TRUE(enhanced_matches("5.x.x", "5.7.1"));
  EXPECT_FALSE(enhanced_matches("5.x.x", "4.7.1"));
  EXPECT_TRUE(enhanced_matches("5.1.x", "5.1.10"));
  EXPECT_FALSE(enhanced_matches("5.1.x", "5.2.1"));
  EXPECT_TRUE(enhanced_matches("x.x.x", "2.0.0"));
  EXPECT_TRUE(enhanced_matches("2.x.0", "2.6.0"));
  EXPECT_FALSE(enhanced_matches("5.1.1", "5.1.10"));  // parts compare whole, not by prefix
  EXPECT_FALSE(enhanced_matches("5.1.10", "5.1.1"));
  EXPECT_FALSE(enhanced_matches("5.1.1", "5.1"));
  EXPECT_FALSE(enhanced_matches("5.1", "5.1.1"));
  EXPECT_FALSE(enhanced_matches("5.x.x", "5.1.1.1"));
  EXPECT_FALSE(enhanced_matches("5.x.x", ""));
}

TEST(EnhancedMatches, None) {
  EXPECT_TRUE(enhanced_matches("none", ""));
  EXPECT_FALSE(enhanced_matches("none", "5.1.1"));
}

TEST(ReplyFacts, TextAndSummary) {
  const ReplyFacts f = facts("250-first\r\n250-second\r\n250 third\r\n");
  EXPECT_EQ(f.text(), "first\nsecond\nthird");
  EXPECT_EQ(f.summary(), "250 first (+2 lines)");
  EXPECT_EQ(facts("550 5.1.1 No such user\r\n").summary(), "550 5.1.1 No such user");
  EXPECT_EQ(facts("250 \r\n").summary(), "250");
  EXPECT_EQ(closed().summary(), "connection closed by the server");
  EXPECT_EQ(closed().text(), "");
}

TEST(Match, Codes) {
  EXPECT_EQ(why(codes({"250"}), facts("250 Ok\r\n")), "");
  EXPECT_EQ(why(codes({"250", "251"}), facts("251 Forwarded\r\n")), "");
  EXPECT_EQ(why(codes({"2xx"}), facts("221 Bye\r\n")), "");
  EXPECT_EQ(why(codes({"25x"}), facts("354 Go ahead\r\n")), "reply code 354 is not acceptable");
  EXPECT_EQ(why(codes({"250", "251"}), facts("252 Cannot verify\r\n")), "reply code 252 is not acceptable");
  EXPECT_EQ(why(Expectation{}, facts("554 No\r\n")), "");  // no codes: any status
}

TEST(Match, EnhancedCodes) {
  Expectation e;
  e.enhanced = {"5.1.1", "5.1.x"};
  EXPECT_EQ(why(e, facts("550 5.1.1 No such user\r\n")), "");
  EXPECT_EQ(why(e, facts("550 5.1.3 Bad address syntax\r\n")), "");
  EXPECT_EQ(why(e, facts("550 5.7.1 Relaying denied\r\n")), "enhanced code 5.7.1 is not acceptable");
  EXPECT_EQ(why(e, facts("550 No such user\r\n")), "no enhanced status code");

  e.enhanced = {"5.x.x"};
  EXPECT_EQ(why(e, facts("451 4.3.0 Try later\r\n")), "enhanced code 4.3.0 is not acceptable");

  e.enhanced = {"none"};
  EXPECT_EQ(why(e, facts("250 Ok\r\n")), "");
  EXPECT_EQ(why(e, facts("250 2.0.0 Ok\r\n")), "enhanced code 2.0.0 is not acceptable");
}

TEST(Match, TextIsSearchedInAllLinesJoinedByLf) {
  const ReplyFacts f = facts("250-mail.test greets you\r\n250 HELP\r\n");
  Expectation e;
  e.text = pattern("greets");
  EXPECT_EQ(why(e, f), "");
  e.text = pattern("you\\nHELP");
  EXPECT_EQ(why(e, f), "");
  e.text = pattern("^HELP");  // ECMAScript: ^ anchors at the start of the text only
  EXPECT_EQ(why(e, f), "text does not match /^HELP/");
  e.text = pattern("GREETS");  // case-sensitive
  EXPECT_EQ(why(e, f), "text does not match /GREETS/");
}

TEST(Match, Multiline) {
  Expectation e;
  e.multiline = true;
  EXPECT_EQ(why(e, facts("250-a\r\n250 b\r\n")), "");
  EXPECT_EQ(why(e, facts("250 a\r\n")), "reply has a single line");
  e.multiline = false;
  EXPECT_EQ(why(e, facts("250 a\r\n")), "");
  EXPECT_EQ(why(e, facts("250-a\r\n250-b\r\n250 c\r\n")), "reply has 3 lines");
}

TEST(Match, PresentAndAbsentCapabilities) {
  const ReplyFacts f = facts(kEhlo);
  ASSERT_TRUE(f.extensions.has_value());
  Expectation e;
  e.present = {"STARTTLS", "pipelining", "AUTH=PLAIN", "auth=login", "SIZE=10240000", "8BITMIME"};
  e.absent = {"CHUNKING", "AUTH=CRAM-MD5", "SMTPUTF8", "SIZE=1"};
  EXPECT_EQ(why(e, f), "");

  e = Expectation{};
  e.present = {"STARTTLS", "CHUNKING"};
  EXPECT_EQ(why(e, f), "CHUNKING is not announced");
  e.present = {"AUTH=CRAM-MD5"};
  EXPECT_EQ(why(e, f), "AUTH=CRAM-MD5 is not announced");
  e.present = {"AUTH=PLAI"};  // a parameter matches whole
  EXPECT_EQ(why(e, f), "AUTH=PLAI is not announced");
  e.present = {"DSN=X"};  // keyword not announced at all
  EXPECT_EQ(why(e, f), "DSN=X is not announced");

  e = Expectation{};
  e.absent = {"SMTPUTF8", "starttls"};
  EXPECT_EQ(why(e, f), "starttls is announced");
  e.absent = {"AUTH=login"};
  EXPECT_EQ(why(e, f), "AUTH=login is announced");
}

TEST(Match, CapabilitiesNeedAnEhloResponse) {
  Expectation e;
  e.absent = {"STARTTLS"};
  EXPECT_EQ(why(e, facts("550 5.7.1 Go away\r\n")),
            "the reply announces no capabilities (EHLO, IMAP CAPABILITY or POP3 CAPA)");
  ReplyFacts no_extensions;
  no_extensions.status = "250";
  no_extensions.lines = {"Ok"};
  e.absent.clear();
  e.present = {"STARTTLS"};
  EXPECT_EQ(why(e, no_extensions), "the reply announces no capabilities (EHLO, IMAP CAPABILITY or POP3 CAPA)");
}

TEST(Match, AnEhloReplyThatDoesNotParseSaysWhy) {
  // Postfix's smtp-sink ends its EHLO reply with an empty "250 " line: no ehlo-keyword.
  Expectation e;
  e.present = {"PIPELINING"};
  const std::string why_not = why(e, facts("250-smtp-sink\r\n250-PIPELINING\r\n250 \r\n"));
  EXPECT_NE(why_not.find("the EHLO reply does not parse (RFC 5321 §4.1.1.1)"), std::string::npos) << why_not;
  EXPECT_NE(why_not.find("line 3"), std::string::npos) << why_not;
}

TEST(Match, Closed) {
  Expectation e;
  e.closed = true;
  EXPECT_EQ(why(e, closed()), "");
  EXPECT_EQ(why(e, facts("250 Ok\r\n")), "expected the server to close the connection, got 250 Ok");
  EXPECT_EQ(why(codes({"250"}), closed()), "the server closed the connection instead of replying");
  EXPECT_EQ(why(Expectation{}, closed()), "the server closed the connection instead of replying");
}

TEST(Match, CaptureStoresTheFirstGroupOrTheWholeMatch) {
  Expectation e = codes({"250"});
  e.capture.emplace("queue_id", pattern("queued as ([0-9A-F]+)"));
  e.capture.emplace("whole", pattern("[0-9A-F]{6}"));
  e.capture.emplace("optional", pattern("Ok(:x)?"));
  Vars vars{{"queue_id", "old"}, {"keep", "me"}};
  const MatchResult r = match(set_of({e}), facts("250 2.0.0 Ok: queued as 4F2A9C1B\r\n"), vars);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.why, "");
  EXPECT_EQ(vars, (Vars{{"keep", "me"}, {"optional", ""}, {"queue_id", "4F2A9C1B"}, {"whole", "4F2A9C"}}));
}

TEST(Match, FailedCaptureStoresNothing) {
  Expectation e;
  e.capture.emplace("a", pattern("(Ok)"));
  e.capture.emplace("b", pattern("queued as (\\w+)"));
  Vars vars;
  const MatchResult r = match(set_of({e}), facts("250 Ok\r\n"), vars);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.why, "capture b: text does not match /queued as (\\w+)/");
  EXPECT_TRUE(vars.empty());  // "a" matched, but the expectation as a whole did not
}

TEST(Match, AlternativesReportTheFirstMismatch) {
  Expectation first = codes({"250"});
  Expectation second = codes({"550"});
  second.text = pattern("relay");
  Vars vars;
  MatchResult r = match(set_of({first, second}), facts("550 5.7.1 Access denied\r\n"), vars);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.why, "reply code 550 is not acceptable");

  r = match(set_of({second, first}), facts("550 5.7.1 Access denied\r\n"), vars);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.why, "text does not match /relay/");
}

TEST(Match, AnyAlternativeWillDoAndOnlyItsCapturesAreKept) {
  Expectation first;
  first.capture.emplace("from_first", pattern("(Ok)"));
  first.enhanced = {"5.x.x"};
  Expectation second = codes({"2xx"});
  second.capture.emplace("from_second", pattern("(\\d+\\.\\d+\\.\\d+)"));
  Vars vars;
  const MatchResult r = match(set_of({first, second}), facts("250 2.1.0 Ok\r\n"), vars);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.why, "");
  EXPECT_EQ(vars, (Vars{{"from_second", "2.1.0"}}));
}

TEST(Match, EveryFieldMustHold) {
  Expectation e = codes({"250"});
  e.enhanced = {"2.1.0"};
  e.text = pattern("Ok");
  e.multiline = false;
  EXPECT_EQ(why(e, facts("250 2.1.0 Ok\r\n")), "");
  EXPECT_EQ(why(e, facts("251 2.1.0 Ok\r\n")), "reply code 251 is not acceptable");
  EXPECT_EQ(why(e, facts("250 2.1.5 Ok\r\n")), "enhanced code 2.1.5 is not acceptable");
  EXPECT_EQ(why(e, facts("250 2.1.0 Fine\r\n")), "text does not match /Ok/");
  EXPECT_EQ(why(e, facts("250-2.1.0 Ok\r\n250 2.1.0 Ok\r\n")), "reply has 2 lines");
}

}  // namespace
}  // namespace facteur::engine
