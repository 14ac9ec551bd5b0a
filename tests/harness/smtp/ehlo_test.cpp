// parse_ehlo on real servers' EHLO replies (RFC 5321 §4.1.1.1, RFC 1869 §4.3), each reply framed
// by parse_reply from every split first.
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/ehlo.hpp"
#include "tests/harness/smtp/reply_test_support.hpp"

namespace facteur::smtp {
namespace {

Extensions ehlo_ok(std::string_view wire) {
  const Reply reply = test::parse_split_everywhere(wire);
  std::string error;
  auto ext = parse_ehlo(reply, &error);
  EXPECT_TRUE(ext.has_value()) << error;
  return ext.value_or(Extensions{});
}

std::string ehlo_error(std::string_view wire) {
  const Reply reply = test::parse_split_everywhere(wire);
  std::string error;
  EXPECT_FALSE(parse_ehlo(reply, &error).has_value()) << wire;
  EXPECT_FALSE(parse_ehlo(reply).has_value());  // no error sink: still fine
  return error;
}

using Params = std::vector<std::string>;

TEST(Ehlo, PostfixFixture) {
  const Extensions ext = ehlo_ok(
      "250-mail.lab.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-VRFY\r\n250-ETRN\r\n"
      "250-STARTTLS\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250-ENHANCEDSTATUSCODES\r\n"
      "250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n");
  EXPECT_EQ(ext.domain, "mail.lab.test");
  EXPECT_EQ(ext.greeting, "");
  EXPECT_EQ(ext.keywords.size(), 11u);
  for (const char* k : {"PIPELINING", "SIZE", "VRFY", "ETRN", "STARTTLS", "AUTH",
                        "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"}) {
    EXPECT_TRUE(ext.has(k)) << k;
  }
  EXPECT_TRUE(ext.has("chunking"));
  EXPECT_TRUE(ext.has("StartTLS"));
  EXPECT_FALSE(ext.has("BINARYMIME"));
  EXPECT_FALSE(ext.has(""));
  EXPECT_EQ(ext.size_limit(), 10485760ULL);
  EXPECT_EQ(ext.auth_mechanisms(), (Params{"PLAIN", "LOGIN", "CRAM-MD5"}));
  ASSERT_NE(ext.params("pipelining"), nullptr);
  EXPECT_TRUE(ext.params("PIPELINING")->empty());
  ASSERT_NE(ext.params("size"), nullptr);
  EXPECT_EQ(*ext.params("size"), Params{"10485760"});
  EXPECT_EQ(ext.params("XCLIENT"), nullptr);
}

TEST(Ehlo, PostfixBeforeStartTlsWithoutAuth) {
  const Extensions ext = ehlo_ok(
      "250-mail.lab.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
      "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n");
  EXPECT_FALSE(ext.has("AUTH"));
  EXPECT_TRUE(ext.auth_mechanisms().empty());
  EXPECT_EQ(ext.size_limit(), 10240000ULL);
}

TEST(Ehlo, EximStyleGreeting) {
  const Extensions ext = ehlo_ok(
      "250-mx.example.org Hello client.lab.test [192.0.2.10]\r\n250-SIZE 52428800\r\n"
      "250-8BITMIME\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250-STARTTLS\r\n"
      "250 HELP\r\n");
  EXPECT_EQ(ext.domain, "mx.example.org");
  EXPECT_EQ(ext.greeting, "Hello client.lab.test [192.0.2.10]");
  EXPECT_EQ(ext.keywords.size(), 7u);
  EXPECT_EQ(ext.size_limit(), 52428800ULL);
  EXPECT_TRUE(ext.has("help"));
}

TEST(Ehlo, DovecotLmtpStyleLowerCaseKeywords) {
  const Extensions ext = ehlo_ok("250-lab.test\r\n250-8bitmime\r\n250-size 100\r\n250 Pipelining\r\n");
  EXPECT_EQ(ext.keywords.count("8BITMIME"), 1u);  // stored upper-cased
  EXPECT_EQ(ext.keywords.count("PIPELINING"), 1u);
  EXPECT_EQ(ext.size_limit(), 100ULL);
}

TEST(Ehlo, SingleLineHasNoExtensions) {
  const Extensions ext = ehlo_ok("250 mail.lab.test at your service\r\n");
  EXPECT_EQ(ext.domain, "mail.lab.test");
  EXPECT_EQ(ext.greeting, "at your service");
  EXPECT_TRUE(ext.keywords.empty());
  EXPECT_EQ(ext.size_limit(), std::nullopt);
}

TEST(Ehlo, AddressLiteralDomain) {
  EXPECT_EQ(ehlo_ok("250 [192.0.2.1]\r\n").domain, "[192.0.2.1]");
}

TEST(Ehlo, ObsoleteAuthEqualsIsMergedIntoAuth) {
  const Extensions ext = ehlo_ok(
      "250-mail.lab.test\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=LOGIN PLAIN XOAUTH2\r\n250 OK\r\n");
  EXPECT_EQ(ext.auth_mechanisms(), (Params{"PLAIN", "LOGIN", "XOAUTH2"}));
  EXPECT_FALSE(ext.has("AUTH=LOGIN"));
  EXPECT_EQ(ext.keywords.size(), 2u);  // AUTH and OK
}

TEST(Ehlo, ObsoleteAuthEqualsAloneOrFirst) {
  EXPECT_EQ(ehlo_ok("250-h\r\n250 AUTH=LOGIN\r\n").auth_mechanisms(), Params{"LOGIN"});
  const Extensions ext = ehlo_ok("250-h\r\n250-auth=login plain\r\n250 AUTH PLAIN CRAM-MD5\r\n");
  EXPECT_EQ(ext.auth_mechanisms(), (Params{"LOGIN", "PLAIN", "CRAM-MD5"}));
}

TEST(Ehlo, AuthMechanismsUpperCased) {
  const Extensions ext = ehlo_ok("250-h\r\n250 auth plain Login\r\n");
  EXPECT_EQ(*ext.params("AUTH"), (Params{"plain", "Login"}));  // as sent
  EXPECT_EQ(ext.auth_mechanisms(), (Params{"PLAIN", "LOGIN"}));
}

TEST(Ehlo, RepeatedKeywordKeepsTheFirstLine) {
  const Extensions ext = ehlo_ok("250-h\r\n250-SIZE 100\r\n250 SIZE 200\r\n");
  EXPECT_EQ(ext.size_limit(), 100ULL);
}

TEST(Ehlo, SizeLimitForms) {
  // RFC 1870 §4: 0 means no fixed maximum; no number conveys nothing.
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE 0\r\n").size_limit(), 0ULL);
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE\r\n").size_limit(), std::nullopt);
  EXPECT_TRUE(ehlo_ok("250-h\r\n250 SIZE\r\n").has("SIZE"));
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE 10M\r\n").size_limit(), std::nullopt);
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE -1\r\n").size_limit(), std::nullopt);
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE 18446744073709551615\r\n").size_limit(),
            18446744073709551615ULL);
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE 18446744073709551616\r\n").size_limit(), std::nullopt);
  EXPECT_EQ(ehlo_ok("250-h\r\n250 SIZE 1000 extra\r\n").size_limit(), 1000ULL);
}

TEST(Ehlo, KeywordsMayStartWithDigitsAndHoldDashes) {
  const Extensions ext = ehlo_ok("250-h\r\n250-8BITMIME\r\n250-X-EXPS GSSAPI NTLM\r\n250 XRCPTFORWARD\r\n");
  EXPECT_EQ(*ext.params("x-exps"), (Params{"GSSAPI", "NTLM"}));
}

TEST(Ehlo, ParamsMayHoldAnyVisibleAscii) {
  const Extensions ext = ehlo_ok("250-h\r\n250 XCLIENT NAME=x ADDR=[::1] a!~\"\r\n");
  EXPECT_EQ(*ext.params("XCLIENT"), (Params{"NAME=x", "ADDR=[::1]", "a!~\""}));
}

TEST(Ehlo, NonTwoHundredIsAnError) {
  EXPECT_EQ(ehlo_error("502 5.5.2 Error: command not recognized\r\n"), "EHLO reply code 502 is not 2xx");
  EXPECT_EQ(ehlo_error("421 4.3.2 Service not available\r\n"), "EHLO reply code 421 is not 2xx");
  EXPECT_EQ(ehlo_error("354 go\r\n"), "EHLO reply code 354 is not 2xx");
}

TEST(Ehlo, EmptyReplyIsAnError) {
  Reply reply;
  reply.code = 250;
  std::string error;
  EXPECT_FALSE(parse_ehlo(reply, &error));
  EXPECT_EQ(error, "EHLO reply has no lines");
}

TEST(Ehlo, KeywordGrammarViolations) {
  // RFC 5321 §4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
  EXPECT_EQ(ehlo_error("250-h\r\n250-PIPELINING\r\n250 X_PIPE_CONNECT\r\n"),
            "EHLO line 3: keyword 'X_PIPE_CONNECT' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250 -DASHFIRST\r\n"),
            "EHLO line 2: keyword '-DASHFIRST' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250-\r\n250 OK\r\n"),
            "EHLO line 2: keyword '' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250  SIZE 1\r\n"),
            "EHLO line 2: keyword '' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250 SIZE=100\r\n"),
            "EHLO line 2: keyword 'SIZE=100' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250 AUTH=\r\n"),
            "EHLO line 2: keyword 'AUTH=' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")");
  EXPECT_EQ(ehlo_error("250-h\r\n250 STÄRTTLS\r\n").substr(0, 22), "EHLO line 2: keyword '");
}

TEST(Ehlo, ParamGrammarViolations) {
  // ehlo-line = ehlo-keyword *( SP ehlo-param ); ehlo-param = 1*(%d33-126)
  EXPECT_EQ(ehlo_error("250-h\r\n250 AUTH PLAIN  LOGIN\r\n"),
            "EHLO line 2: empty parameter (double or trailing space)");
  EXPECT_EQ(ehlo_error("250-h\r\n250 SIZE \r\n"), "EHLO line 2: empty parameter (double or trailing space)");
  EXPECT_EQ(ehlo_error("250-h\r\n250 AUTH PLAIN\tLOGIN\r\n"),
            "EHLO line 2: parameter 'PLAIN\tLOGIN' has a control or non-ASCII octet");
  EXPECT_EQ(ehlo_error("250-h\r\n250 X \xC3\xA9\r\n"),
            "EHLO line 2: parameter '\xC3\xA9' has a control or non-ASCII octet");
  EXPECT_EQ(ehlo_error("250-h\r\n250 AUTH=PLAIN  LOGIN\r\n"),
            "EHLO line 2: empty parameter (double or trailing space)");
  EXPECT_EQ(ehlo_error("250-h\r\n250 X \x7F\r\n"),
            "EHLO line 2: parameter '\x7F' has a control or non-ASCII octet");
}

TEST(Ehlo, ErrorLeavesNoPartialResult) {
  const Reply reply = test::parse_split_everywhere("250-h\r\n250-SIZE 5\r\n250 BAD_KEY\r\n");
  EXPECT_EQ(parse_ehlo(reply), std::nullopt);
}

}  // namespace
}  // namespace facteur::smtp
