// parse_reply / ReplyFramer on the forms servers send (RFC 959 §4.2): single-line, multi-line with
// every kind of line in between, pipelined replies, the class and function helpers, and the line
// keeping limit of RFC 1123 §4.1.2.11. Each wire is fed split at every byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

using test::parse_split_everywhere;
using Lines = std::vector<std::string>;

TEST(ReplyParser, SingleLine) {
  const Reply r = parse_split_everywhere("226 Transfer complete\r\n");
  EXPECT_EQ(r.code, 226);
  EXPECT_EQ(r.lines, Lines{"Transfer complete"});
  EXPECT_EQ(r.line_count, 1u);
  EXPECT_FALSE(r.multiline);
  EXPECT_EQ(r.wire_bytes, 23u);
  EXPECT_TRUE(r.all_lines_kept());
}

TEST(ReplyParser, VsftpdGreeting) {
  const Reply r = parse_split_everywhere("220 (vsFTPd 3.0.3)\r\n");
  EXPECT_EQ(r.code, 220);
  EXPECT_EQ(r.text(), "(vsFTPd 3.0.3)");
}

TEST(ReplyParser, CodeWithoutText) {
  // RFC 3659 §7.2 writes a last line as "250" [SP text]; servers send "NNN" CRLF and "NNN " CRLF.
  const Reply bare = parse_split_everywhere("200\r\n");
  EXPECT_EQ(bare.code, 200);
  EXPECT_EQ(bare.lines, Lines{""});
  EXPECT_EQ(parse_split_everywhere("200 \r\n").lines, Lines{""});
}

TEST(ReplyParser, VsftpdFeat) {
  const Reply r = parse_split_everywhere(
      "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n");
  EXPECT_EQ(r.code, 211);
  EXPECT_TRUE(r.multiline);
  EXPECT_EQ(r.lines, (Lines{"Features:", " EPRT", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " TVFS",
                            " UTF8", "End"}));
  EXPECT_EQ(r.line_count, 10u);
}

TEST(ReplyParser, Rfc959Example) {
  // RFC 959 §4.2's example: lines in between may start with anything, a padded code included.
  const Reply r = parse_split_everywhere(
      "123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n");
  EXPECT_EQ(r.code, 123);
  EXPECT_EQ(r.lines, (Lines{"First line", "Second line", "  234 A line beginning with numbers", "The last line"}));
}

TEST(ReplyParser, OnlyTheOwnCodeAndSpaceEndsIt) {
  // Another code followed by a space, the own code followed by anything but SP or CRLF: text.
  const Reply r = parse_split_everywhere("220-a\r\n230 not the end\r\n220x nor this\r\n2200\r\n22\r\n220 end\r\n");
  EXPECT_EQ(r.lines, (Lines{"a", "230 not the end", "220x nor this", "2200", "22", "end"}));
  // The own code alone ends it.
  EXPECT_EQ(parse_split_everywhere("211-Status\r\n211\r\n").lines, (Lines{"Status", ""}));
}

TEST(ReplyParser, OwnCodeAndHyphenPrefixIsRemoved) {
  // Servers that prefix every line (RFC 2228 §5.2 protected replies, ProFTPD MultilineRFC2228): the prefix is
  // framing, not text. Another code's prefix is text.
  const Reply r = parse_split_everywhere("230-Welcome\r\n230- to the lab\r\n331-not ours\r\n230 Logged in\r\n");
  EXPECT_EQ(r.lines, (Lines{"Welcome", " to the lab", "331-not ours", "Logged in"}));
  EXPECT_EQ(parse_split_everywhere("211-Features:\r\n211- MDTM\r\n211-\r\n211 End\r\n").lines,
            (Lines{"Features:", " MDTM", "", "End"}));
}

TEST(ReplyParser, EmptyAndOddLinesInBetween) {
  const Reply r = parse_split_everywhere("211-a\r\n\r\n \r\n\t-\r\n211 End\r\n");
  EXPECT_EQ(r.lines, (Lines{"a", "", " ", "\t-", "End"}));
}

TEST(ReplyParser, CrInsideTextIsText) {
  EXPECT_EQ(parse_split_everywhere("226 a\rb\r\n").lines, Lines{"a\rb"});
  EXPECT_EQ(parse_split_everywhere("226 ab\r\r\n").lines, Lines{"ab\r"});
  EXPECT_EQ(parse_split_everywhere("211-x\r\n\r\r\n211 y\r\n").lines, (Lines{"x", "\r", "y"}));
}

TEST(ReplyParser, EightBitText) {
  // RFC 2640 §3.1: UTF-8 pathnames in replies.
  EXPECT_EQ(parse_split_everywhere("257 \"/\xc3\xa9t\xc3\xa9\" is current directory\r\n").lines,
            Lines{"\"/\xc3\xa9t\xc3\xa9\" is current directory"});
}

TEST(ReplyParser, PipelinedRepliesAreFramedOneAtATime) {
  const std::string wire = "150 Opening BINARY mode data connection\r\n226 Transfer complete\r\n";
  const ReplyParse first = parse_reply(wire);
  ASSERT_EQ(first.status, ParseStatus::complete);
  EXPECT_EQ(first.reply.code, 150);
  EXPECT_EQ(first.consumed, 41u);
  const ReplyParse second = parse_reply(std::string_view(wire).substr(first.consumed));
  ASSERT_EQ(second.status, ParseStatus::complete);
  EXPECT_EQ(second.reply.code, 226);
  EXPECT_EQ(first.consumed + second.consumed, wire.size());
}

TEST(ReplyParser, MultiLineFollowedByTheNextReply) {
  const std::string wire = "250-Listing /\r\n type=cdir; /\r\n250 End\r\n226 next\r\n";
  const ReplyParse r = parse_reply(wire);
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.consumed, wire.size() - 10);
  EXPECT_EQ(r.reply.lines.back(), "End");
}

TEST(ReplyParser, Classes) {
  const auto klass = [](std::string_view wire) { return parse_reply(wire).reply.klass(); };
  EXPECT_EQ(klass("150 x\r\n"), ReplyClass::preliminary);
  EXPECT_EQ(klass("226 x\r\n"), ReplyClass::completion);
  EXPECT_EQ(klass("331 x\r\n"), ReplyClass::intermediate);
  EXPECT_EQ(klass("421 x\r\n"), ReplyClass::transient_negative);
  EXPECT_EQ(klass("550 x\r\n"), ReplyClass::permanent_negative);
  const Reply opening = parse_reply("150 x\r\n").reply;
  EXPECT_TRUE(opening.preliminary());
  EXPECT_TRUE(opening.positive());
  EXPECT_FALSE(opening.negative());
  const Reply denied = parse_reply("530 x\r\n").reply;
  EXPECT_FALSE(denied.positive());
  EXPECT_TRUE(denied.negative());
  EXPECT_TRUE(parse_reply("350 x\r\n").reply.positive());
}

TEST(ReplyParser, Functions) {
  const auto function = [](std::string_view wire) { return parse_reply(wire).reply.function(); };
  EXPECT_EQ(function("500 x\r\n"), ReplyFunction::syntax);
  EXPECT_EQ(function("211 x\r\n"), ReplyFunction::information);
  EXPECT_EQ(function("227 x\r\n"), ReplyFunction::connections);
  EXPECT_EQ(function("331 x\r\n"), ReplyFunction::authentication);
  EXPECT_EQ(function("450 x\r\n"), ReplyFunction::file_system);
  EXPECT_EQ(function("541 x\r\n"), ReplyFunction::unspecified);
  EXPECT_EQ(function("599 x\r\n"), ReplyFunction::unassigned);  // framed: the second digit is not checked
  EXPECT_EQ(function("160 x\r\n"), ReplyFunction::unassigned);
}

TEST(ReplyParser, TextJoinsLines) {
  EXPECT_EQ(parse_reply("211-a\r\n b\r\n211 c\r\n").reply.text(), "a\n b\nc");
  EXPECT_EQ(Reply{}.text(), "");
}

TEST(ReplyParser, KeepLinesSkipsTheExcessAndStillCompletes) {
  // RFC 1123 §4.1.2.11: past the line limit, read on to the end of the reply.
  ReplyLimits limits;
  limits.keep_lines = 3;
  std::string wire = "213-status of /\r\n";
  for (int i = 0; i < 50; ++i) wire += "-rw-r--r-- 1 ftp ftp 0 Jan 1 00:00 f" + std::to_string(i) + "\r\n";
  wire += "213 End of status\r\n";
  const Reply r = parse_split_everywhere(wire, limits);
  EXPECT_EQ(r.line_count, 52u);
  EXPECT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[1], "-rw-r--r-- 1 ftp ftp 0 Jan 1 00:00 f0");
  EXPECT_FALSE(r.all_lines_kept());
  EXPECT_EQ(r.wire_bytes, wire.size());
}

TEST(ReplyParser, KeepLinesZeroKeepsNothing) {
  ReplyLimits limits;
  limits.keep_lines = 0;
  const Reply r = parse_split_everywhere("226 x\r\n", limits);
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.line_count, 1u);
}

TEST(ReplyParser, LimitsAreInclusive) {
  ReplyLimits limits;
  limits.max_line = 10;  // "226 abcd" CRLF
  limits.max_reply = 20;
  EXPECT_EQ(parse_split_everywhere("226 abcd\r\n", limits).lines, Lines{"abcd"});
  EXPECT_EQ(parse_split_everywhere("226-abcd\r\n226 abcd\r\n", limits).wire_bytes, 20u);
}

}  // namespace
}  // namespace facteur::ftp
