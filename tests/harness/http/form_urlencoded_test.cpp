// application/x-www-form-urlencoded: what is kept, what is escaped, duplicates and order, the
// inverse, and escaping that is per octet (so a value cut anywhere escapes to the same text).
#include <gtest/gtest.h>

#include "harness/http/form_urlencoded.hpp"

namespace facteur::http {
namespace {

TEST(FormUrlencoded, KeepsUnreservedEscapesTheRest) {
  EXPECT_EQ(form_escape("AZaz09*-._"), "AZaz09*-._");
  EXPECT_EQ(form_escape("a b"), "a+b");
  EXPECT_EQ(form_escape("&=+%"), "%26%3D%2B%25");
  EXPECT_EQ(form_escape("\r\nBcc: x@y"), "%0D%0ABcc%3A+x%40y");
  EXPECT_EQ(form_escape("é"), "%C3%A9");
  EXPECT_EQ(form_escape(std::string("\0", 1)), "%00");
}

TEST(FormUrlencoded, PairsInOrderWithDuplicates) {
  EXPECT_EQ(form_urlencode({{"a", "1"}, {"b", ""}, {"a", "2"}}), "a=1&b=&a=2");
  EXPECT_EQ(form_urlencode({}), "");
  EXPECT_EQ(form_urlencode({{"", ""}}), "=");
}

TEST(FormUrlencoded, QueryAppended) {
  EXPECT_EQ(with_query("/p", {}), "/p");
  EXPECT_EQ(with_query("/p", {{"q", "a b"}}), "/p?q=a+b");
  EXPECT_EQ(with_query("/p?x=1", {{"q", "2"}}), "/p?x=1&q=2");
}

TEST(FormUrlencoded, DecodeInvertsEncode) {
  const FieldList fields{{"name", "Zoë \"x\" <y>"}, {"a&b", "c=d+e%"}, {"empty", ""}, {"name", "again"},
                         {"bin", std::string("\0\r\n\xff", 4)}};
  const auto back = form_urldecode(form_urlencode(fields));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, fields);
}

TEST(FormUrlencoded, DecodeIsStrictAboutEscapes) {
  EXPECT_FALSE(form_urldecode("a=%"));
  EXPECT_FALSE(form_urldecode("a=%4"));
  EXPECT_FALSE(form_urldecode("a=%zz"));
  EXPECT_EQ(form_urldecode("a&&b=1"), (FieldList{{"a", ""}, {"b", "1"}}));
  EXPECT_EQ(form_urldecode(""), FieldList{});
}

// Escaping is per octet: a value cut at every byte escapes to the concatenation of its halves.
TEST(FormUrlencoded, EscapingSplitAtEveryByte) {
  const std::string value = "Zoë a&b=c\r\n%+ \xF0\x9F\x93\xAE";
  const std::string whole = form_escape(value);
  for (std::size_t k = 0; k <= value.size(); ++k) {
    EXPECT_EQ(form_escape(value.substr(0, k)) + form_escape(value.substr(k)), whole) << k;
  }
}

}  // namespace
}  // namespace facteur::http
