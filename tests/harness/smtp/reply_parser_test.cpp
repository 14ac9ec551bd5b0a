// parse_reply on well-formed replies (RFC 5321 §4.2), every input fed split at every byte.
#include <gtest/gtest.h>

#include <string>

#include "harness/smtp/reply.hpp"
#include "tests/harness/smtp/reply_test_support.hpp"

namespace facteur::smtp {
namespace {

using test::expect_same_reply;
using test::parse_split_everywhere;

constexpr std::string_view kPostfixEhlo =
    "250-mail.lab.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-VRFY\r\n250-ETRN\r\n"
    "250-STARTTLS\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
    "250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";

TEST(ReplyParser, Greeting) {
  const Reply r = parse_split_everywhere("220 mail.lab.test ESMTP Postfix (Debian/GNU)\r\n");
  EXPECT_EQ(r.code, 220);
  EXPECT_EQ(r.klass(), 2);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "mail.lab.test ESMTP Postfix (Debian/GNU)");
  EXPECT_FALSE(r.enhanced.has_value());
  EXPECT_EQ(r.wire_bytes, 46u);
}

TEST(ReplyParser, PostfixEhloTwelveLines) {
  const Reply r = parse_split_everywhere(kPostfixEhlo);
  EXPECT_EQ(r.code, 250);
  ASSERT_EQ(r.lines.size(), 12u);
  EXPECT_EQ(r.lines[0], "mail.lab.test");
  EXPECT_EQ(r.lines[2], "SIZE 10485760");
  EXPECT_EQ(r.lines[6], "AUTH PLAIN LOGIN CRAM-MD5");
  EXPECT_EQ(r.lines[11], "CHUNKING");
  EXPECT_EQ(r.wire_bytes, kPostfixEhlo.size());
  EXPECT_FALSE(r.enhanced.has_value());  // "mail.lab.test" is no status code
}

TEST(ReplyParser, DataGoAhead) {
  const Reply r = parse_split_everywhere("354 End data with <CR><LF>.<CR><LF>\r\n");
  EXPECT_EQ(r.code, 354);
  EXPECT_EQ(r.klass(), 3);
  EXPECT_EQ(r.text(), "End data with <CR><LF>.<CR><LF>");
}

TEST(ReplyParser, QueuedWithEnhancedCode) {
  const Reply r = parse_split_everywhere("250 2.0.0 Ok: queued as 4XyZ1k2mQbz9\r\n");
  EXPECT_EQ(r.code, 250);
  ASSERT_TRUE(r.enhanced.has_value());
  EXPECT_EQ(*r.enhanced, (EnhancedCode{2, 0, 0}));
  EXPECT_EQ(r.enhanced->str(), "2.0.0");
  EXPECT_EQ(r.lines[0], "2.0.0 Ok: queued as 4XyZ1k2mQbz9");  // the text keeps the code
}

TEST(ReplyParser, MultiLineRejectWithEnhancedCode) {
  const Reply r = parse_split_everywhere(
      "550-5.1.1 <nobody@lab.test>: Recipient address rejected:\r\n"
      "550 5.1.1 User unknown in local recipient table\r\n");
  EXPECT_EQ(r.code, 550);
  EXPECT_EQ(r.klass(), 5);
  ASSERT_TRUE(r.enhanced.has_value());
  EXPECT_EQ(*r.enhanced, (EnhancedCode{5, 1, 1}));
  EXPECT_EQ(r.text(),
            "5.1.1 <nobody@lab.test>: Recipient address rejected:\n"
            "5.1.1 User unknown in local recipient table");
}

TEST(ReplyParser, EnhancedCodeComesFromTheFirstLineOnly) {
  const Reply r = parse_split_everywhere("250-first\r\n250 2.0.0 second\r\n");
  EXPECT_FALSE(r.enhanced.has_value());
}

TEST(ReplyParser, EnhancedClassNotCheckedAgainstReplyCode) {
  // RFC 2034 §4 says they must agree; the parser reports what was sent, checks judge it.
  const Reply r = parse_split_everywhere("451 5.7.1 mismatched\r\n");
  ASSERT_TRUE(r.enhanced.has_value());
  EXPECT_EQ(r.enhanced->klass, 5);
}

TEST(ReplyParser, CodeAloneHasEmptyText) {
  // RFC 5321 §4.2: Reply-code [ SP textstring ] CRLF — the text is optional.
  const Reply r = parse_split_everywhere("250\r\n");
  EXPECT_EQ(r.code, 250);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "");
  EXPECT_EQ(r.text(), "");
  EXPECT_EQ(r.wire_bytes, 5u);
}

TEST(ReplyParser, EmptyTextAfterSeparators) {
  EXPECT_EQ(parse_split_everywhere("250 \r\n").lines, std::vector<std::string>{""});
  const Reply r = parse_split_everywhere("221-\r\n221-\r\n221 Bye\r\n");
  EXPECT_EQ(r.lines, (std::vector<std::string>{"", "", "Bye"}));
  EXPECT_EQ(r.text(), "\n\nBye");
}

TEST(ReplyParser, LastLineMayBeCodeAlone) {
  const Reply r = parse_split_everywhere("250-mail.lab.test\r\n250\r\n");
  EXPECT_EQ(r.lines, (std::vector<std::string>{"mail.lab.test", ""}));
}

TEST(ReplyParser, CodeBoundaries) {
  EXPECT_EQ(parse_split_everywhere("200 low\r\n").code, 200);
  EXPECT_EQ(parse_split_everywhere("599 high\r\n").code, 599);
  EXPECT_EQ(parse_split_everywhere("421 4.3.2 Service shutting down\r\n").klass(), 4);
}

TEST(ReplyParser, TextKeepsTabsSpacesAndEightBitOctets) {
  const Reply r = parse_split_everywhere("250 a\tb  c \xC3\xA9t\xC3\xA9 \r\n");
  EXPECT_EQ(r.lines[0], "a\tb  c \xC3\xA9t\xC3\xA9 ");
}

TEST(ReplyParser, EmptyInputNeedsMore) {
  const ReplyParse r = parse_reply("");
  EXPECT_EQ(r.status, ParseStatus::need_more);
  EXPECT_EQ(r.consumed, 0u);
}

TEST(ReplyParser, ConsumedStopsAtTheFirstOfTwoReplies) {
  const std::string first = "250-mail.lab.test\r\n250 SIZE 1000\r\n";
  const std::string second = "250 2.1.0 Ok\r\n";
  const std::string both = first + second;
  const Reply alone = parse_split_everywhere(first);
  for (std::size_t k = first.size(); k <= both.size(); ++k) {
    const ReplyParse r = parse_reply(std::string_view(both).substr(0, k));
    ASSERT_EQ(r.status, ParseStatus::complete) << k;
    EXPECT_EQ(r.consumed, first.size());
    expect_same_reply(r.reply, alone);
  }
}

TEST(ReplyParser, PipelinedRepliesParseOneAfterAnother) {
  // RFC 2920: MAIL, RCPT, DATA answered in one packet.
  const std::string wire =
      "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n554 5.5.1 Error: no valid recipients\r\n";
  std::string_view rest = wire;
  std::vector<int> codes;
  while (!rest.empty()) {
    const ReplyParse r = parse_reply(rest);
    ASSERT_EQ(r.status, ParseStatus::complete) << r.error;
    codes.push_back(r.reply.code);
    rest.remove_prefix(r.consumed);
  }
  EXPECT_EQ(codes, (std::vector<int>{250, 250, 554}));
}

TEST(ReplyParser, TrailingBytesAfterAReplyAreNotLookedAt) {
  // Garbage that follows a complete reply belongs to the next parse.
  const ReplyParse r = parse_reply("250 ok\r\n\n\r\x01garbage");
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.consumed, 8u);
}

}  // namespace
}  // namespace facteur::smtp
