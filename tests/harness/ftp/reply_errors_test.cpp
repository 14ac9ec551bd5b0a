// parse_reply / ReplyFramer error paths: each reported at the first octet that proves it, and for
// every longer input (the whole wire included) the same error — never "need more" forever.
#include <gtest/gtest.h>

#include <string>

#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

using test::error_split_everywhere;
using test::feed_in_steps;

TEST(ReplyErrors, FirstDigitOutsideOneToFive) {
  for (std::string_view wire : {"000 x\r\n", "600 x\r\n", "999 x\r\n", "HTTP/1.1 400 Bad Request\r\n", " 220 x\r\n",
                                "\r\n"}) {
    const auto e = error_split_everywhere(wire);
    EXPECT_EQ(e.first_failing_prefix, 1u) << wire;
    EXPECT_NE(e.message.find("is not three digits in 100..599"), std::string::npos) << e.message;
  }
  EXPECT_EQ(error_split_everywhere("SSH-2.0-OpenSSH\r\n").message,
            "reply line 1: code \"S\" is not three digits in 100..599");
}

TEST(ReplyErrors, CodeNotDigits) {
  EXPECT_EQ(error_split_everywhere("2a0 x\r\n").first_failing_prefix, 2u);
  EXPECT_EQ(error_split_everywhere("22x x\r\n").first_failing_prefix, 3u);
  EXPECT_EQ(error_split_everywhere("22\r\n").message, "reply line 1: code \"22\\r\" is not three digits in 100..599");
  EXPECT_EQ(error_split_everywhere("2\n").message, "reply line 1: code \"2\\n\" is not three digits in 100..599");
}

TEST(ReplyErrors, BadSeparator) {
  for (std::string_view wire : {"220x\r\n", "220\tready\r\n", "2200 ready\r\n", "220_ready\r\n", "220=1,2\r\n"}) {
    const auto e = error_split_everywhere(wire);
    EXPECT_EQ(e.first_failing_prefix, 4u) << wire;
    EXPECT_EQ(e.message, "reply line 1: code 220 must be followed by ' ', '-' or CRLF");
  }
  // A CR after the code must be the CR of CRLF: known one octet later.
  const auto cr = error_split_everywhere("220\rready\r\n");
  EXPECT_EQ(cr.first_failing_prefix, 5u);
  EXPECT_EQ(cr.message, "reply line 1: code 220 must be followed by ' ', '-' or CRLF");
}

TEST(ReplyErrors, BareLf) {
  EXPECT_EQ(error_split_everywhere("226 Transfer complete\n").message, "bare LF in reply line 1");
  const auto code_only = error_split_everywhere("226\n");
  EXPECT_EQ(code_only.message, "bare LF in reply line 1");
  EXPECT_EQ(code_only.first_failing_prefix, 4u);
  const auto second = error_split_everywhere("211-Features:\r\n EPSV\n211 End\r\n");
  EXPECT_EQ(second.message, "bare LF in reply line 2");
  EXPECT_EQ(second.first_failing_prefix, 21u);
  EXPECT_EQ(error_split_everywhere("211-a\r\n\n211 End\r\n").message, "bare LF in reply line 2");
  EXPECT_EQ(error_split_everywhere("211-a\r\n211 End\n").message, "bare LF in reply line 2");
  // An LF-only server: the first line already says so.
  EXPECT_EQ(error_split_everywhere("211-Features:\n EPSV\n211 End\n").first_failing_prefix, 14u);
}

// A limit is reported at the first octet that makes it certain: a line with max_line octets and no
// LF yet, a reply reaching max_reply without its last line.
struct LimitCase {
  std::string wire;
  ReplyLimits limits;
  std::string message;
  std::size_t first_failing_prefix;
};

TEST(ReplyErrors, Limits) {
  const auto with = [](std::size_t max_line, std::size_t max_reply) { return ReplyLimits{max_line, max_reply, 10}; };
  std::string endless_feat = "211-Features:\r\n";
  while (endless_feat.size() < 5000) endless_feat += " MORE AND MORE\r\n";
  const LimitCase cases[] = {
      {"220 " + std::string(100, 'x'), with(16, 1000), "reply line 1 exceeds 16 octets", 16},
      {"220 x\r\n", with(2, 1000), "reply line 1 exceeds 2 octets", 2},  // before the code is complete
      {"226 abcde\r\n", with(10, 1000), "reply line 1 exceeds 10 octets", 10},  // the CRLF counts
      {"226\r\n", with(4, 1000), "reply line 1 exceeds 4 octets", 4},          // a code-only line is 5
      {"211-ab\r\n EPSV EPRT\r\n211 End\r\n", with(10, 1000), "reply line 2 exceeds 10 octets", 18},
      {"220 " + std::string(10000, 'x'), ReplyLimits{}, "reply line 1 exceeds 8192 octets", 8192},
      {endless_feat, with(100, 1000), "reply exceeds 1000 octets", 1000},
      {"211-a\r\n211 abcdef\r\n", with(100, 12), "reply exceeds 12 octets", 12},  // the line in flight
      // A line that is not the last, ending at max_reply, leaves no room for the last one.
      {"211-abcde\r\n211 x\r\n", with(100, 11), "reply exceeds 11 octets", 11},
      {"211-a\r\n b\r\n211 x\r\n", with(100, 11), "reply exceeds 11 octets", 11},
  };
  for (const LimitCase& c : cases) {
    const auto e = error_split_everywhere(c.wire, c.limits);
    EXPECT_EQ(e.message, c.message) << c.wire.substr(0, 40);
    EXPECT_EQ(e.first_failing_prefix, c.first_failing_prefix) << c.wire.substr(0, 40);
  }
  // The same octets as a last line fit.
  EXPECT_EQ(test::parse_split_everywhere("211 abcde\r\n", with(100, 11)).code, 211);
}

TEST(ReplyErrors, FloodOfShortLinesIsBoundedByOctets) {
  // Empty lines cost 2 octets each on the wire; the reply limit stops them, keep_lines bounds
  // what is copied meanwhile.
  ReplyLimits limits;
  limits.max_reply = 4096;
  limits.keep_lines = 10;
  std::string wire = "211-x\r\n";
  while (wire.size() < 10000) wire += "\r\n";
  const ReplyParse r = feed_in_steps(wire, 512, limits);
  EXPECT_EQ(r.status, ParseStatus::error);
  EXPECT_EQ(r.error, "reply exceeds 4096 octets");
}

TEST(ReplyFramer, BigReplyInAnyStepsEqualsOneShot) {
  std::string wire = "213-status of /pub:\r\n";
  for (int i = 0; wire.size() < 200000; ++i) {
    wire += "drwxr-xr-x    2 ftp      ftp          4096 Jan 01 12:00 directory-" + std::to_string(i) + "\r\n";
  }
  wire += "213 End of status\r\n";
  ReplyLimits limits;
  limits.keep_lines = 100000;
  const ReplyParse one = parse_reply(wire, limits);
  ASSERT_EQ(one.status, ParseStatus::complete) << one.error;
  EXPECT_EQ(one.consumed, wire.size());
  for (const std::size_t step : {1u, 2u, 3u, 61u, 4096u}) {
    const ReplyParse fed = feed_in_steps(wire, step, limits);
    ASSERT_EQ(fed.status, ParseStatus::complete) << "step " << step << ": " << fed.error;
    EXPECT_EQ(fed.consumed, one.consumed);
    EXPECT_EQ(fed.reply, one.reply);
  }
}

TEST(ReplyFramer, FinishedFramerAnswersTheSameAgain) {
  // Complete: the same reply, whatever follows it (the next reply's octets).
  for (const std::string wire : {"211-Features:\r\n UTF8\r\n211 End\r\n", "226 done\n"}) {
    ReplyFramer framer;
    const ReplyParse first = framer.feed(wire);
    ASSERT_NE(first.status, ParseStatus::need_more);
    const ReplyParse again = framer.feed(wire + "226 next\r\n");
    EXPECT_EQ(again.status, first.status);
    EXPECT_EQ(again.consumed, first.consumed);
    EXPECT_EQ(again.error, first.error);
    EXPECT_EQ(again.reply, first.reply);
  }
}

TEST(ReplyFramer, ShrinkingBufferIsRefused) {
  ReplyFramer framer;
  EXPECT_EQ(framer.feed("211-a\r\n b").status, ParseStatus::need_more);
  const ReplyParse r = framer.feed("211-a\r\n");
  EXPECT_EQ(r.status, ParseStatus::error);
  EXPECT_EQ(r.error, "buffer shrank from 9 to 7 octets between feeds");
}

TEST(ReplyFramer, SameBufferTwiceIsFine) {
  ReplyFramer framer;
  EXPECT_EQ(framer.feed("211-a\r\n21").status, ParseStatus::need_more);
  EXPECT_EQ(framer.feed("211-a\r\n21").status, ParseStatus::need_more);
  EXPECT_EQ(framer.feed("211-a\r\n211 b\r\n").status, ParseStatus::complete);
}

}  // namespace
}  // namespace facteur::ftp
