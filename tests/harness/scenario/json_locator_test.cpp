#include "harness/scenario/json_locator.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace facteur::scenario {
namespace {

Position pos(std::size_t line, std::size_t column) { return Position{line, column}; }

TEST(JsonLocator, NestedObjectsAndArrays) {
  const std::string text =
      "{\n"                                   // 1
      "  \"name\": \"x\",\n"                  // 2
      "  \"steps\": [\n"                      // 3
      "    {\"send\": \"EHLO\"},\n"           // 4
      "    {\"expect\": {\"code\": 250}},\n"  // 5
      "    [1, [2, 3]]\n"                     // 6
      "  ]\n"                                 // 7
      "}\n";
  const JsonLocator loc(text);
  EXPECT_EQ(loc.find(""), pos(1, 1));
  EXPECT_EQ(loc.find("/name"), pos(2, 11));
  EXPECT_EQ(loc.find("/steps"), pos(3, 12));
  EXPECT_EQ(loc.find("/steps/0"), pos(4, 5));
  EXPECT_EQ(loc.find("/steps/0/send"), pos(4, 14));
  EXPECT_EQ(loc.find("/steps/1/expect"), pos(5, 16));
  EXPECT_EQ(loc.find("/steps/1/expect/code"), pos(5, 25));
  EXPECT_EQ(loc.find("/steps/2"), pos(6, 5));
  EXPECT_EQ(loc.find("/steps/2/0"), pos(6, 6));
  EXPECT_EQ(loc.find("/steps/2/1"), pos(6, 9));
  EXPECT_EQ(loc.find("/steps/2/1/1"), pos(6, 13));
  EXPECT_EQ(loc.size(), 13U);
}

TEST(JsonLocator, MissingPointerFallsBackToNearestAncestor) {
  const JsonLocator loc("{\"a\": {\"b\": [10, 20]}}");
  EXPECT_EQ(loc.find("/a/b/1"), pos(1, 18));
  EXPECT_EQ(loc.find("/a/b/7"), pos(1, 13));
  EXPECT_EQ(loc.find("/a/b/7/x/y"), pos(1, 13));
  EXPECT_EQ(loc.find("/a/zz"), pos(1, 7));
  EXPECT_EQ(loc.find("/nope"), pos(1, 1));
  EXPECT_FALSE(loc.find_exact("/a/b/7").has_value());
  EXPECT_FALSE(loc.find_exact("/a/b/01").has_value());  // not an index (RFC 6901 §4)
  EXPECT_EQ(loc.find_exact("/a/b/0"), pos(1, 14));
  EXPECT_EQ(loc.find_exact(""), pos(1, 1));
}

TEST(JsonLocator, KeysWithTildeAndSlashAreEscaped) {
  const JsonLocator loc(R"({"a/b": 1, "m~n": 2, "~1": 3, "": 4, "x": {"/": 5}})");
  EXPECT_EQ(loc.find_exact("/a~1b"), pos(1, 9));
  EXPECT_EQ(loc.find_exact("/m~0n"), pos(1, 19));
  EXPECT_EQ(loc.find_exact("/~01"), pos(1, 28));  // key "~1"
  EXPECT_EQ(loc.find_exact("/"), pos(1, 35));     // key ""
  EXPECT_EQ(loc.find_exact("/x/~1"), pos(1, 49));
  EXPECT_FALSE(loc.find_exact("/a/b").has_value());
}

TEST(JsonLocator, KeysWithJsonEscapesAreDecoded) {
  const JsonLocator loc(R"({"\u0041\"q\\": 1, "caf\u00e9": 2, "\ud83d\udce7": 3})");
  EXPECT_EQ(loc.find_exact("/A\"q\\"), pos(1, 17));
  EXPECT_EQ(loc.find_exact("/caf\xC3\xA9"), pos(1, 33));
  EXPECT_EQ(loc.find_exact("/\xF0\x9F\x93\xA7"), pos(1, 52));
}

TEST(JsonLocator, StringsWithQuotesBracesAndNewlines) {
  const std::string text = "{\"s\": \"a \\\"}{[\\\" ] \\n,\\\\\", \"t\": true}";
  const JsonLocator loc(text);
  EXPECT_EQ(loc.find_exact("/s"), pos(1, 7));
  EXPECT_EQ(loc.find_exact("/t"), pos(1, 33));
  EXPECT_EQ(text.substr(32, 4), "true");
  EXPECT_EQ(loc.size(), 3U);
}

TEST(JsonLocator, CrlfLineEndings) {
  const JsonLocator loc("{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    null\r\n  ]\r\n}\r\n");
  EXPECT_EQ(loc.find_exact("/a"), pos(2, 8));
  EXPECT_EQ(loc.find_exact("/b"), pos(3, 8));
  EXPECT_EQ(loc.find_exact("/b/0"), pos(4, 5));
}

TEST(JsonLocator, ColumnsCountOctetsNotCharacters) {
  // "é" is 2 octets, "日" 3, "📧" 4: columns count octets.
  const JsonLocator loc("{\"\xC3\xA9\": \"\xE6\x97\xA5\", \"k\": [\"\xF0\x9F\x93\xA7\", 1]}");
  EXPECT_EQ(loc.find_exact("/\xC3\xA9"), pos(1, 8));
  EXPECT_EQ(loc.find_exact("/k"), pos(1, 20));
  EXPECT_EQ(loc.find_exact("/k/1"), pos(1, 29));
}

TEST(JsonLocator, TruncatedJsonKeepsWhatItIndexed) {
  const JsonLocator loc("{\"a\": 1,\n \"b\": [true, {\"c\": \"unterminated");
  EXPECT_EQ(loc.find_exact("/a"), pos(1, 7));
  EXPECT_EQ(loc.find_exact("/b/0"), pos(2, 8));
  EXPECT_EQ(loc.find_exact("/b/1"), pos(2, 14));
  EXPECT_FALSE(loc.find_exact("/b/1/c").has_value());
  EXPECT_EQ(loc.find("/b/1/c"), pos(2, 14));
}

TEST(JsonLocator, StopsAtTheFirstError) {
  const JsonLocator bad_number("[1, 2, 01, 4]");
  EXPECT_EQ(bad_number.size(), 4U);  // array, 1, 2, then "0" (the error is the "1" after it)
  const JsonLocator raw_newline("[\"a\nb\", 2]");  // control characters must be escaped
  EXPECT_EQ(raw_newline.size(), 1U);
  const JsonLocator missing_colon("{\"a\" 1}");
  EXPECT_EQ(missing_colon.size(), 1U);
  const JsonLocator lone_surrogate("{\"\\udc00\": 1}");
  EXPECT_EQ(lone_surrogate.size(), 1U);
  const JsonLocator bad_literal("[tru]");
  EXPECT_EQ(bad_literal.size(), 1U);
}

TEST(JsonLocator, EmptyAndGarbageInput) {
  for (const char* text : {"", "   ", "}", "x", "\"", "\xEF\xBB\xBF"}) {
    const JsonLocator loc(text);
    EXPECT_EQ(loc.size(), 0U) << text;
    EXPECT_EQ(loc.find("/a"), pos(1, 1));
    EXPECT_FALSE(loc.find_exact("").has_value());
  }
}

TEST(JsonLocator, ScalarRootAndByteOrderMark) {
  EXPECT_EQ(JsonLocator("  -1.5e+3 ").find_exact(""), pos(1, 3));
  EXPECT_EQ(JsonLocator("\xEF\xBB\xBF{\"a\":1}").find_exact("/a"), pos(1, 9));
}

TEST(JsonLocator, DuplicateKeysPointAtTheLastValue) {
  // nlohmann keeps the last value of a duplicated key.
  const std::string text = R"({"a": {"x": 1}, "a": 2})";
  ASSERT_EQ(nlohmann::json::parse(text)["a"], 2);
  const JsonLocator loc(text);
  EXPECT_EQ(loc.find_exact("/a"), pos(1, 22));
  EXPECT_FALSE(loc.find_exact("/a/x").has_value());
}

TEST(JsonLocator, DeepNestingNeedsNoRecursion) {
  constexpr std::size_t depth = 50'000;
  const std::string text = std::string(depth, '[') + "7" + std::string(depth, ']');
  const JsonLocator loc(text);
  EXPECT_EQ(loc.size(), depth + 1);
  std::string pointer;
  for (std::size_t i = 0; i < depth; ++i) pointer += "/0";
  EXPECT_EQ(loc.find_exact(pointer), pos(1, depth + 1));
}

TEST(JsonLocator, LongKeyWithManyValuesStaysLinear) {
  // Whole-pointer indexing would copy the 300 kB key for each of the 50k values (15 GB).
  std::string text = "{\"" + std::string(300'000, 'k') + "\": [";
  for (int i = 0; i < 50'000; ++i) text += i == 0 ? "0" : ",0";
  text += "]}";
  const JsonLocator loc(text);
  EXPECT_EQ(loc.size(), 50'002U);
  EXPECT_TRUE(loc.find_exact("/" + std::string(300'000, 'k') + "/49999").has_value());
}

TEST(JsonLocator, PositionsAreInTextOrder) {
  const JsonLocator loc(R"({"b": [1, {"c": null}], "a": "x"})");
  const std::vector<Position> expected{pos(1, 1), pos(1, 7), pos(1, 8), pos(1, 11), pos(1, 17), pos(1, 30)};
  EXPECT_EQ(loc.positions(), expected);
}

TEST(PositionOfOffset, LinesAndColumns) {
  const std::string text = "ab\ncd\r\nef";
  EXPECT_EQ(position_of_offset(text, 0), pos(1, 1));
  EXPECT_EQ(position_of_offset(text, 2), pos(1, 3));  // the LF itself
  EXPECT_EQ(position_of_offset(text, 3), pos(2, 1));
  EXPECT_EQ(position_of_offset(text, 5), pos(2, 3));  // the CR
  EXPECT_EQ(position_of_offset(text, 7), pos(3, 1));
  EXPECT_EQ(position_of_offset(text, 9), pos(3, 3));  // end
  EXPECT_EQ(position_of_offset(text, 1000), pos(3, 3));
  EXPECT_EQ(position_of_offset("", 5), pos(1, 1));
}

TEST(PositionOfOffset, AgreesWithNlohmannParseErrors) {
  const std::string text = "{\n  \"a\": 1,\n  \"b\": ]\n}";
  try {
    [[maybe_unused]] const auto parsed = nlohmann::json::parse(text);
    FAIL() << "parse should fail";
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's byte is the 1-based count of octets read, the last being the offending one.
    EXPECT_EQ(position_of_offset(text, e.byte - 1), pos(3, 8));
  }
}

TEST(PointerToPath, Forms) {
  EXPECT_EQ(pointer_to_path(""), "$");
  EXPECT_EQ(pointer_to_path("/steps/3/expect"), "$.steps[3].expect");
  EXPECT_EQ(pointer_to_path("/steps/0/expect/code"), "$.steps[0].expect.code");
  EXPECT_EQ(pointer_to_path("/a b/x-y/_ok9"), "$[\"a b\"][\"x-y\"]._ok9");
  EXPECT_EQ(pointer_to_path("/a~1b/m~0n"), "$[\"a/b\"][\"m~n\"]");
  EXPECT_EQ(pointer_to_path("/"), "$[\"\"]");
  EXPECT_EQ(pointer_to_path("/01/9x"), "$[\"01\"][\"9x\"]");
  EXPECT_EQ(pointer_to_path("/q\"\\"), "$[\"q\\\"\\\\\"]");
  EXPECT_EQ(pointer_to_path("/\n"), "$[\"\\u000a\"]");
  EXPECT_EQ(pointer_to_path("steps/1"), "$.steps[1]");
}

}  // namespace
}  // namespace facteur::scenario
