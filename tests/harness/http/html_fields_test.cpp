// <input> values from HTML (harness/http/html_fields.hpp): the attribute forms of the HTML
// tokenizer, character references, raw-text elements and comments, and pages cut at every byte
// (a cut page gives the value or nothing, never a wrong value).
#include <gtest/gtest.h>

#include "harness/http/html_fields.hpp"

namespace facteur::http {
namespace {

const char* kForm = R"(<!doctype html><html><body>
<form method="post" action="/contact.php" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="9026d272606904ed54e0a5e54caff541">
<input type="hidden" name="ref" value="web-aff2ca4108162fb7">
<p><label>Name <input name="name" required maxlength="200"></label></p>
</form></body></html>)";

TEST(HtmlFields, HiddenInputs) {
  EXPECT_EQ(input_value(kForm, "csrf_token"), "9026d272606904ed54e0a5e54caff541");
  EXPECT_EQ(input_value(kForm, "ref"), "web-aff2ca4108162fb7");
  EXPECT_EQ(input_value(kForm, "name"), "");  // no value attribute
  EXPECT_EQ(input_value(kForm, "missing"), std::nullopt);
}

TEST(HtmlFields, AttributeForms) {
  EXPECT_EQ(input_value("<INPUT NAME='t' VALUE='a \"b\"'>", "t"), "a \"b\"");
  EXPECT_EQ(input_value("<input name=t value=abc>", "t"), "abc");
  EXPECT_EQ(input_value("<input name=t value=abc/>", "t"), "abc/");
  EXPECT_EQ(input_value("<input\n\tname = \"t\"\n value = \"v\" />", "t"), "v");
  EXPECT_EQ(input_value("<input value=\"v\" name=\"t\">", "t"), "v");
  EXPECT_EQ(input_value("<input name=\"t\" value=\"first\" value=\"second\">", "t"), "first");
  EXPECT_EQ(input_value("<input disabled name=t value=x>", "t"), "x");
  EXPECT_EQ(input_value("<inputs name=t value=x><input name=t value=y>", "t"), "y");
  EXPECT_EQ(input_value("<input name=\"T\" value=x>", "t"), std::nullopt);  // names compare exactly
}

TEST(HtmlFields, CharacterReferences) {
  EXPECT_EQ(input_value("<input name=t value=\"a&amp;b&lt;&gt;&quot;&apos;&#39;&#x41;&#233;\">", "t"),
            "a&b<>\"''A\xC3\xA9");
  EXPECT_EQ(input_value("<input name=t value=\"&#0;&#xD800;&#x110000;\">", "t"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(input_value("<input name=t value=\"&copy; &amp &#; &#x;\">", "t"), "&copy; &amp &#; &#x;");
  EXPECT_EQ(input_value("<input name=\"a&amp;b\" value=1>", "a&b"), "1");
  EXPECT_EQ(decode_entities("&#128238;"), "\xF0\x9F\x93\xAE");
}

TEST(HtmlFields, CommentsAndRawTextAreSkipped) {
  EXPECT_EQ(input_value("<!-- <input name=t value=old> --><input name=t value=new>", "t"), "new");
  EXPECT_EQ(input_value("<script>var s='<input name=t value=js>';</script><input name=t value=real>", "t"), "real");
  EXPECT_EQ(input_value("<textarea><input name=t value=text></TEXTAREA><input name=t value=real>", "t"), "real");
  EXPECT_EQ(input_value("<p>a < b</p><input name=t value=v>", "t"), "v");
  EXPECT_EQ(input_value("<!-- never closed <input name=t value=v>", "t"), std::nullopt);
}

// A page cut at every byte gives the full value or nothing.
TEST(HtmlFields, CutAtEveryByte) {
  const std::string page = kForm;
  for (std::size_t k = 0; k <= page.size(); ++k) {
    const auto token = input_value(std::string_view(page).substr(0, k), "csrf_token");
    if (token) {
      EXPECT_EQ(*token, "9026d272606904ed54e0a5e54caff541") << "cut at " << k;
    }
    const auto ref = input_value(std::string_view(page).substr(0, k), "ref");
    if (ref) {
      EXPECT_EQ(*ref, "web-aff2ca4108162fb7") << "cut at " << k;
    }
  }
}

}  // namespace
}  // namespace facteur::http
