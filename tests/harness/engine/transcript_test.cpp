#include "harness/engine/transcript.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace facteur::engine {
namespace {

std::vector<std::string> texts(const Transcript& t) {
  std::vector<std::string> out;
  for (const auto& line : t.lines()) out.push_back(line.text);
  return out;
}

using Lines = std::vector<std::string>;
using namespace std::string_literals;

TEST(Printable, KeepsPrintableAsciiAndTab) {
  EXPECT_EQ(printable(""), "");
  EXPECT_EQ(printable("250 Ok: queued as 4F2A"), "250 Ok: queued as 4F2A");
  EXPECT_EQ(printable("a\tb ~"), "a\tb ~");
}

TEST(Printable, ControlBytesAsHex) {
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("\x01\x1F\x7F"), "\\x01\\x1F\\x7F");
  EXPECT_EQ(printable("a\rb\nc"), "a\\x0Db\\x0Ac");
  EXPECT_EQ(printable("\x1B[31m"), "\\x1B[31m");
}

TEST(Printable, ValidUtf8IsKept) {
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");                  // é, 2 octets
  EXPECT_EQ(printable("\xE2\x82\xAC 5"), "\xE2\x82\xAC 5");            // €, 3 octets
  EXPECT_EQ(printable("\xF0\x9F\x93\xAE"), "\xF0\x9F\x93\xAE");        // 📮, 4 octets
  EXPECT_EQ(printable("\xED\x9F\xBF"), "\xED\x9F\xBF");                // U+D7FF, last before the surrogates
  EXPECT_EQ(printable("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");        // U+10FFFF, the last code point
  EXPECT_EQ(printable("\xE0\xA0\x80"), "\xE0\xA0\x80");                // U+0800, smallest 3-octet form
}

TEST(Printable, InvalidUtf8AsHex) {
  EXPECT_EQ(printable("\x80"), "\\x80");                                // lone continuation
  EXPECT_EQ(printable("\xC3"), "\\xC3");                                // truncated at the end
  EXPECT_EQ(printable("\xC3("), "\\xC3(");                              // bad continuation
  EXPECT_EQ(printable("\xE2\x82"), "\\xE2\\x82");                       // truncated 3-octet form
  EXPECT_EQ(printable("\xC0\xAF"), "\\xC0\\xAF");                       // overlong '/'
  EXPECT_EQ(printable("\xC1\xBF"), "\\xC1\\xBF");                       // overlong
  EXPECT_EQ(printable("\xE0\x80\xAF"), "\\xE0\\x80\\xAF");              // overlong 3-octet '/'
  EXPECT_EQ(printable("\xF0\x80\x80\xAF"), "\\xF0\\x80\\x80\\xAF");     // overlong 4-octet '/'
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xED\\xA0\\x80");              // surrogate U+D800
  EXPECT_EQ(printable("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");     // U+110000
  EXPECT_EQ(printable("\xF5\x80\x80\x80"), "\\xF5\\x80\\x80\\x80");
  EXPECT_EQ(printable("\xF8\x88\x80\x80\x80"), "\\xF8\\x88\\x80\\x80\\x80");
  EXPECT_EQ(printable("\xFE\xFF"), "\\xFE\\xFF");
  EXPECT_EQ(printable("ok\xFF\xC3\xA9"), "ok\\xFF\xC3\xA9");            // resynchronises after a bad octet
}

TEST(Transcript, LinesSplitOnCrlf) {
  Transcript t;
  t.data("main", '<', "250-mail.test\r\n250 HELP\r\n");
  t.data("main", '>', "QUIT\r\n");
  const auto lines = t.lines();
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].text, "250-mail.test");
  EXPECT_EQ(lines[0].dir, '<');
  EXPECT_EQ(lines[0].session, "main");
  EXPECT_EQ(lines[1].text, "250 HELP");
  EXPECT_EQ(lines[2].text, "QUIT");
  EXPECT_EQ(lines[2].dir, '>');
  EXPECT_LE(lines[0].t_ms, lines[2].t_ms);
  EXPECT_GE(lines[0].t_ms, 0.0);
}

TEST(Transcript, BareLfAndMissingLineEndAreShown) {
  Transcript t;
  t.data("main", '>', "MAIL FROM:<a@b>\nRCPT TO:<c@d>\r\nDATA");
  EXPECT_EQ(texts(t), (Lines{"MAIL FROM:<a@b>\\n", "RCPT TO:<c@d>", "DATA (no line end)"}));
}

TEST(Transcript, CrNotBeforeLfIsAControlByte) {
  Transcript t;
  t.data("main", '>', "a\rb\r\n\r\r\n\r\n");
  EXPECT_EQ(texts(t), (Lines{"a\\x0Db", "\\x0D", ""}));
}

TEST(Transcript, EmptyDataAddsNoLine) {
  Transcript t;
  t.data("main", '>', "");
  EXPECT_TRUE(t.lines().empty());
}

TEST(Transcript, ControlAndInvalidBytesInData) {
  Transcript t;
  t.data("main", '<', "250 a\0b\x01\tc\xC3\xA9\xFF\r\n"s);
  EXPECT_EQ(texts(t), Lines{"250 a\\x00b\\x01\tc\xC3\xA9\\xFF"});
}

TEST(Transcript, NotesAndRedactedLines) {
  Transcript t;
  t.note("second", "connect smtp://mail.test:25");
  t.redacted("main", '>', "AUTH PLAIN <redacted>");
  const auto lines = t.lines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].dir, '*');
  EXPECT_EQ(lines[0].session, "second");
  EXPECT_EQ(lines[0].text, "connect smtp://mail.test:25");
  EXPECT_EQ(lines[1].dir, '>');
  EXPECT_EQ(lines[1].text, "AUTH PLAIN <redacted>");
}

TEST(Transcript, SecretsAreRedactedBeforeAndAfterTheyAreKnown) {
  Transcript t;
  t.data("main", '>', "PASS hunter22\r\n");
  t.note("main", "password is hunter22, really hunter22");
  t.add_secret("hunter22");
  t.data("main", '>', "AUTH hunter22hunter22\r\n");
  t.redacted("main", '>', "shown hunter22");
  t.note("main", "hunter2 is not the secret");
  EXPECT_EQ(texts(t), (Lines{"PASS <redacted>", "password is <redacted>, really <redacted>",
                             "AUTH <redacted><redacted>", "shown <redacted>", "hunter2 is not the secret"}));
}

TEST(Transcript, SeveralSecrets) {
  Transcript t;
  t.add_secret("alpha-secret");
  t.data("main", '>', "alpha-secret beta-secret\r\n");
  t.add_secret("beta-secret");
  t.data("main", '>', "beta-secret\r\n");
  EXPECT_EQ(texts(t), (Lines{"<redacted> <redacted>", "<redacted>"}));
}

TEST(Transcript, ShortSecretsAreNotMasked) {
  Transcript t;
  t.add_secret("");
  t.add_secret("ab");
  t.data("main", '>', "ab cab\r\n");
  EXPECT_EQ(texts(t), Lines{"ab cab"});
}

TEST(Transcript, SecretInsideTheRedactionMarkTerminates) {
  // "<redacted>" holds "red", "act", "dac": the search must resume after each replacement.
  Transcript t;
  t.data("main", '>', "red x red\r\n");
  t.add_secret("red");
  t.data("main", '>', "redred\r\n");
  EXPECT_EQ(texts(t), (Lines{"<redacted> x <redacted>", "<redacted><redacted>"}));

  Transcript u;
  u.add_secret("act");
  u.data("main", '>', "react act\r\n");
  EXPECT_EQ(texts(u), Lines{"re<redacted> <redacted>"});
}

TEST(Transcript, LineLimit) {
  Transcript t(3, 100);
  t.data("main", '<', "1\r\n2\r\n");
  t.data("b", '>', "3\r\n4\r\n");
  t.note("main", "5");
  const auto lines = t.lines();
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[2].text, "3");
  EXPECT_EQ(lines[3].text, "transcript truncated: line limit reached");
  EXPECT_EQ(lines[3].dir, '*');
  EXPECT_EQ(lines[3].session, "b");
}

TEST(Transcript, LineLimitInsideOneRead) {
  Transcript t(3, 100);
  t.data("main", '<', "1\r\n2\r\n");
  t.data("main", '<', "3\r\n4\r\n5\r\n");  // the limit falls inside this read
  EXPECT_EQ(texts(t), (Lines{"1", "2", "3", "transcript truncated: line limit reached"}));
}

TEST(Transcript, LongLineIsCutWhenStoredAndStillRedacted) {
  Transcript t(100, 40);
  t.add_secret("early-secret");
  t.data("main", '>', "x early-secret late-secret " + std::string(100000, 'y') + "\r\n");
  t.add_secret("late-secret");
  const auto lines = texts(t);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "x <redacted> <redacted> " + std::string(15, 'y') + "… (99985 more characters)");
}

TEST(Transcript, SecretLearntAfterManyReadsIsRedactedInEach) {
  Transcript t;
  for (int i = 0; i < 50; ++i) t.data("main", '<', "* " + std::to_string(i) + " pw=s3cr3t\r\n");
  t.add_secret("s3cr3t");
  for (const auto& line : texts(t)) EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
}

TEST(Transcript, LineLengthLimit) {
  Transcript t(100, 10);
  t.data("main", '<', std::string(10, 'a') + "\r\n");
  t.data("main", '<', std::string(25, 'b') + "\r\n");
  t.data("main", '<', std::string(9, 'c') + "\xC3\xA9\r\n");  // the cut would split é
  EXPECT_EQ(texts(t), (Lines{std::string(10, 'a'), std::string(10, 'b') + "… (15 more characters)",
                             std::string(9, 'c') + "… (2 more characters)"}));
}

TEST(Transcript, SecretIsRedactedBeforeTheLineIsCut) {
  Transcript t(100, 20);  // "PASS topsecretpassword" would be cut, "PASS <redacted>" is not
  t.add_secret("topsecretpassword");
  t.data("main", '>', "PASS topsecretpassword\r\n");
  EXPECT_EQ(texts(t), Lines{"PASS <redacted>"});
}

TEST(Transcript, Tail) {
  Transcript t;
  t.data("main", '>', "EHLO c\r\n");
  t.data("main", '<', "250 Ok\r\n");
  t.data("other", '>', "NOOP\r\n");
  t.note("main", "done");
  EXPECT_EQ(t.tail(2), "> [other] NOOP\n* done\n");
  EXPECT_EQ(t.tail(10), "> EHLO c\n< 250 Ok\n> [other] NOOP\n* done\n");
  EXPECT_EQ(t.tail(0), "");
  EXPECT_EQ(Transcript().tail(3), "");
}

}  // namespace
}  // namespace facteur::engine
