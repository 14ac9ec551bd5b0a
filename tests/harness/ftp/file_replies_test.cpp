// SIZE and MDTM 213 replies (RFC 3659 §3-4) and the 257 directory name (RFC 959 appendix II):
// the forms servers send and every malformed one with its message.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "harness/ftp/file_replies.hpp"
#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

using test::reply_of;

TEST(Size, Values) {
  EXPECT_EQ(parse_size(reply_of("213 1830\r\n")).value, 1830u);  // RFC 3659 §4.4
  EXPECT_EQ(parse_size(reply_of("213 0\r\n")).value, 0u);
  EXPECT_EQ(parse_size(reply_of("213 18446744073709551615\r\n")).value, 18446744073709551615u);
  EXPECT_EQ(parse_size(reply_of("213 000042\r\n")).value, 42u);
}

TEST(Size, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"550 No such file.\r\n", "SIZE answered 550, not 213"},
      {"213-1830\r\n213 End\r\n", "SIZE answered a multi-line 213, which RFC 3659 does not permit"},
      {"213 18446744073709551616\r\n", "SIZE reply \"18446744073709551616\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213 \r\n", "SIZE reply \"\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213\r\n", "SIZE reply \"\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213 1830 bytes\r\n", "SIZE reply \"1830 bytes\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213  1830\r\n", "SIZE reply \" 1830\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213 -1\r\n", "SIZE reply \"-1\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213 +1\r\n", "SIZE reply \"+1\" is not 213 SP 1*DIGIT of 64 bits"},
      {"213 0x10\r\n", "SIZE reply \"0x10\" is not 213 SP 1*DIGIT of 64 bits"},
  };
  for (const auto& [wire, message] : cases) EXPECT_EQ(parse_size(reply_of(wire)).error, message) << wire;
}

TEST(Mdtm, Values) {
  const Parsed<TimeVal> t = parse_mdtm(reply_of("213 19980615100045.014\r\n"));  // RFC 3659 §3.4
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value.str(), "19980615100045.014");
  EXPECT_EQ(parse_mdtm(reply_of("213 20260101120000\r\n")).value.unix_seconds(), 1767268800);
}

TEST(Mdtm, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"550 D is not retrievable\r\n", "MDTM answered 550, not 213"},
      {"213-20260101120000\r\n213 End\r\n", "MDTM answered a multi-line 213, which RFC 3659 does not permit"},
      {"213 191000101120000\r\n",
       "MDTM reply: time-val \"191000101120000\": 14 digits must be followed by nothing or by \".\" and digits"},
      {"213 20261301120000\r\n", "MDTM reply: time-val \"20261301120000\": month 13 is not in 01..12"},
      {"213 Mon Jan  1 12:00:00 2026\r\n",
       "MDTM reply: time-val \"Mon Jan  1 12:00:00 2026\": does not start with 14 digits YYYYMMDDHHMMSS"},
  };
  for (const auto& [wire, message] : cases) EXPECT_EQ(parse_mdtm(reply_of(wire)).error, message) << wire;
}

DirectoryName directory_ok(std::string_view wire) {
  const Parsed<DirectoryName> d = parse_directory(reply_of(wire));
  EXPECT_TRUE(d.ok()) << wire << ": " << d.error;
  return d.value;
}

TEST(Directory, Names) {
  const DirectoryName quoted = directory_ok("257 \"/a \"\"quoted\"\" dir\" is current directory\r\n");
  EXPECT_EQ(quoted.path, "/a \"quoted\" dir");
  EXPECT_EQ(quoted.commentary, "is current directory");
  EXPECT_TRUE(quoted.quote_first);
  EXPECT_EQ(directory_ok("257 \"/usr/dm/pathname\" directory created\r\n").path, "/usr/dm/pathname");
  EXPECT_EQ(directory_ok("257 \"/usr/dm/foo\"\"bar\" directory created\r\n").path, "/usr/dm/foo\"bar");  // RFC 959
  EXPECT_EQ(directory_ok("257 \"<some.where.overrainbow>\" directory created\r\n").path, "<some.where.overrainbow>");
  EXPECT_EQ(directory_ok("257 \"/\" is the current directory\r\n").path, "/");  // vsftpd
  EXPECT_EQ(directory_ok("257 \"/\"\r\n").commentary, "");
  EXPECT_EQ(directory_ok("257 \"\"\"\"\r\n").path, "\"");
  EXPECT_EQ(directory_ok("257 \"\"\"a\"\"\"\r\n").path, "\"a\"");
  EXPECT_EQ(directory_ok("257 \"/dir with spaces/\xc3\xa9t\xc3\xa9\"\r\n").path, "/dir with spaces/\xc3\xa9t\xc3\xa9");
  // Text before the quote: read, and said.
  const DirectoryName late = directory_ok("257 Current directory is \"/home/ftp\"\r\n");
  EXPECT_EQ(late.path, "/home/ftp");
  EXPECT_FALSE(late.quote_first);
  // A multi-line 257: the first line holds the name.
  EXPECT_EQ(directory_ok("257-\"/pub\" is current directory.\r\n257 Have fun\r\n").path, "/pub");
}

TEST(Directory, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"550 Permission denied.\r\n", "PWD / MKD answered 550, not 257"},
      {"257 MKD command successful.\r\n", "257 reply \"MKD command successful.\" holds no quoted directory name"},
      {"257 \"/unterminated is current directory\r\n",
       "257 reply \"\\\"/unterminated is current directory\": the directory name has no closing quote"},
      {"257 \"/a\"\"\r\n", "257 reply \"\\\"/a\\\"\\\"\": the directory name has no closing quote"},
      {"257 \"\" is current directory\r\n", "257 reply: the directory name \"\" is empty"},
      {"257\r\n", "257 reply \"\" holds no quoted directory name"},
  };
  for (const auto& [wire, message] : cases) EXPECT_EQ(parse_directory(reply_of(wire)).error, message) << wire;
}

}  // namespace
}  // namespace facteur::ftp
