// The ASCII helpers the pure parsers share: locale-free case folding, and octets quoted into messages.
#include <gtest/gtest.h>

#include <string>

#include "harness/core/ascii.hpp"

namespace facteur::ascii {
namespace {

TEST(Ascii, CaseFoldingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(upper("Rest stream-1"), "REST STREAM-1");
  EXPECT_EQ(lower("MLST Size*;MODIFY*;"), "mlst size*;modify*;");
  EXPECT_EQ(upper("\xe9t\xc3\xa9"), "\xe9T\xc3\xa9");  // 8-bit octets stay as they are
  EXPECT_TRUE(iequal("AUTH", "auth"));
  EXPECT_FALSE(iequal("AUTH", "AUTH2"));
  EXPECT_FALSE(iequal("[", "{"));  // only letters fold
}

TEST(Ascii, PrintableEscapesLineBreaksQuotesAndControls) {
  EXPECT_EQ(printable("250 ok\r\n"), "250 ok\\r\\n");
  EXPECT_EQ(printable("say \"hi\" \\"), "say \\\"hi\\\" \\\\");
  EXPECT_EQ(printable(std::string("a\0b\x7f\xff", 5)), "a\\x00b\\x7f\\xff");
}

}  // namespace
}  // namespace facteur::ascii
