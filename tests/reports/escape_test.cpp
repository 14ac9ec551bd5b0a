#include "reports/escape.hpp"

#include <gtest/gtest.h>

namespace facteur::report::detail {
namespace {

TEST(Escape, XmlTextEscapesMarkupAndTheCdataTerminator) {
  EXPECT_EQ(escape("a<b&c>d ]]> \"q\" 'a'", Escape::xml_text), "a&lt;b&amp;c&gt;d ]]&gt; \"q\" 'a'");
}

TEST(Escape, XmlAttributeAlsoEscapesQuotesAndWhitespace) {
  EXPECT_EQ(escape("\"q\" 'a'\tx\ny", Escape::xml_attribute), "&quot;q&quot; &#39;a&#39;&#9;x&#10;y");
}

TEST(Escape, HtmlEscapesQuotesButKeepsNewlines) {
  EXPECT_EQ(escape("<i a=\"1\">&\n", Escape::html), "&lt;i a=&quot;1&quot;&gt;&amp;\n");
}

TEST(Escape, ControlBytesBecomeVisibleHex) {
  EXPECT_EQ(escape(std::string("a\x01\x1b[31m\x7f\r\0z", 11), Escape::text), "a\\x01\\x1B[31m\\x7F\\x0D\\x00z");
  EXPECT_EQ(escape("a\x01", Escape::xml_text), "a\\x01");
  EXPECT_EQ(escape("a\x01", Escape::html), "a\\x01");
}

TEST(Escape, TextKeepsNewlinesAndTabsLineDoesNot) {
  EXPECT_EQ(escape("a\tb\nc", Escape::text), "a\tb\nc");
  EXPECT_EQ(escape("a\tb\nc", Escape::line), "a\\x09b\\x0Ac");
}

TEST(Escape, ValidUtf8PassesUnchanged) {
  const std::string text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";  // café € 😀
  EXPECT_EQ(escape(text, Escape::text), text);
  EXPECT_EQ(escape(text, Escape::xml_attribute), text);
  EXPECT_EQ(valid_utf8(text), text);
}

TEST(Escape, InvalidUtf8BecomesOneHexEscapePerByte) {
  EXPECT_EQ(escape("a\xff" "b", Escape::text), "a\\xFFb");
  EXPECT_EQ(escape("\xc0\x80", Escape::text), "\\xC0\\x80");              // overlong NUL
  EXPECT_EQ(escape("\xed\xa0\x80", Escape::text), "\\xED\\xA0\\x80");      // UTF-16 surrogate
  EXPECT_EQ(escape("\xf4\x90\x80\x80", Escape::text), "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(escape("x\xe2\x82", Escape::text), "x\\xE2\\x82");            // truncated at the end
  EXPECT_EQ(escape("\xe9t\xe9", Escape::text), "\\xE9t\\xE9");            // Latin-1
}

TEST(Escape, C1ControlsAndNoncharactersAreShownAsBytes) {
  EXPECT_EQ(escape("\xc2\x85", Escape::xml_text), "\\xC2\\x85");      // U+0085 NEL
  EXPECT_EQ(escape("\xc2\x9b", Escape::text), "\\xC2\\x9B");          // U+009B CSI
  EXPECT_EQ(escape("\xef\xbf\xbe", Escape::xml_text), "\\xEF\\xBF\\xBE");  // U+FFFE, not XML
  EXPECT_EQ(escape("\xc2\xa0", Escape::text), "\xc2\xa0");            // U+00A0 is fine
}

TEST(Escape, IsIdempotentOnText) {
  const std::string once = escape("a\x01\xff<", Escape::text);
  EXPECT_EQ(escape(once, Escape::text), once);
}

TEST(Escape, ValidUtf8KeepsControlsAndMarkup) {
  EXPECT_EQ(valid_utf8("<\x01\n\xff>"), "<\x01\n\\xFF>");
}

TEST(Escape, TruncateNeverSplitsACharacter) {
  const std::string text = "ab\xc3\xa9" "cd";  // abécd
  EXPECT_EQ(truncate_utf8(text, 3), "ab");
  EXPECT_EQ(truncate_utf8(text, 4), "ab\xc3\xa9");
  EXPECT_EQ(truncate_utf8(text, 100), text);
  EXPECT_EQ(truncate_utf8("\xf0\x9f\x98\x80", 3), "");
}

}  // namespace
}  // namespace facteur::report::detail
