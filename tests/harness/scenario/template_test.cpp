#include "harness/scenario/template.hpp"

#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace facteur::scenario {
namespace {

const Vars vars{{"user", "alice"}, {"host", "mail.lab.test"}, {"a.b-c_9", "dotted"},
                {"empty", ""},     {"loop", "${user}"},       {"dollar", "$${x}"}};

std::string run(std::string_view text, std::uint64_t seed = 0) {
  TemplateContext ctx(seed);
  return expand(text, vars, ctx);
}

// The offset and message of the TemplateError `text` raises (offset npos when none).
std::pair<std::size_t, std::string> error_of(std::string_view text) {
  try {
    (void)run(text);
  } catch (const TemplateError& e) {
    return {e.offset(), e.what()};
  }
  return {std::string::npos, ""};
}

TEST(Template, PlainTextIsUnchanged) {
  EXPECT_EQ(run(""), "");
  EXPECT_EQ(run("MAIL FROM:<a@b>"), "MAIL FROM:<a@b>");
  EXPECT_EQ(run("$ $$ $x {user} $}"), "$ $$ $x {user} $}");
  EXPECT_EQ(run("cost: 5$"), "cost: 5$");
}

TEST(Template, Variables) {
  EXPECT_EQ(run("${user}"), "alice");
  EXPECT_EQ(run("<${user}@${host}>"), "<alice@mail.lab.test>");
  EXPECT_EQ(run("${a.b-c_9}"), "dotted");
  EXPECT_EQ(run("[${empty}]"), "[]");
  EXPECT_EQ(run("$${user}"), "${user}");
  EXPECT_EQ(run("$$${user}"), "$${user}");  // "$" then the escape "$${" then "user}"
  EXPECT_EQ(run("$$$${user}"), "$$${user}");  // the escape is the "$${" just before "user"
  EXPECT_EQ(run("$x${user}"), "$xalice");
}

TEST(Template, Defaults) {
  EXPECT_EQ(run("${missing:-fallback}"), "fallback");
  EXPECT_EQ(run("${missing:-}"), "");
  EXPECT_EQ(run("${user:-fallback}"), "alice");
  EXPECT_EQ(run("${empty:-fallback}"), "");  // set (to empty) is not "not set"
  EXPECT_EQ(run("${missing:-a:-b c}"), "a:-b c");
  EXPECT_EQ(run("${missing:-${user}"), "${user");  // the default is literal, up to the first '}'
}

TEST(Template, ValuesAreNotExpandedAgain) {
  EXPECT_EQ(run("${loop}"), "${user}");
  EXPECT_EQ(run("${dollar}"), "$${x}");
  EXPECT_EQ(run("${missing:-$${user}}"), "$${user}");
}

TEST(Template, Builtins) {
  TemplateContext ctx(7);
  EXPECT_TRUE(std::regex_match(expand("${@uuid}", vars, ctx),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_TRUE(std::regex_match(expand("${@hex:1}", vars, ctx), std::regex("[0-9a-f]")));
  EXPECT_TRUE(std::regex_match(expand("${@hex:17}", vars, ctx), std::regex("[0-9a-f]{17}")));
  EXPECT_TRUE(std::regex_match(expand("${@hex:64}", vars, ctx), std::regex("[0-9a-f]{64}")));
  EXPECT_TRUE(std::regex_match(
      expand("${@date}", vars, ctx),
      std::regex("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                 "[0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] \\+0000")));
}

TEST(Template, SeqCountsPerContext) {
  TemplateContext ctx;
  EXPECT_EQ(expand("${@seq}", vars, ctx), "1");
  EXPECT_EQ(expand("<${@seq}.${@seq}@x>", vars, ctx), "<2.3@x>");
  TemplateContext other;
  EXPECT_EQ(expand("${@seq}", vars, other), "1");
  EXPECT_EQ(ctx.seq, 3U);
}

TEST(Template, SeededRunsAreReproducible) {
  const std::string text = "${@uuid} ${@hex:40} ${@hex:5}";
  EXPECT_EQ(run(text, 42), run(text, 42));
  EXPECT_NE(run(text, 42), run(text, 43));
  TemplateContext ctx(42);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(expand("${@uuid}", vars, ctx));
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(Template, Errors) {
  EXPECT_EQ(error_of("ab ${user"), std::make_pair(std::size_t{3}, std::string("unterminated \"${\"")));
  EXPECT_EQ(error_of("${"), std::make_pair(std::size_t{0}, std::string("unterminated \"${\"")));
  EXPECT_EQ(error_of("x${}"), std::make_pair(std::size_t{3}, std::string("empty variable name")));
  EXPECT_EQ(error_of("x${:-d}"), std::make_pair(std::size_t{3}, std::string("empty variable name")));
  EXPECT_EQ(error_of("x${@}"), std::make_pair(std::size_t{4}, std::string("empty variable name")));
  EXPECT_EQ(error_of("hello ${foo} x"), std::make_pair(std::size_t{6}, std::string("unknown variable 'foo'")));
  EXPECT_EQ(error_of("${user}${nope.x}"), std::make_pair(std::size_t{7}, std::string("unknown variable 'nope.x'")));
  EXPECT_EQ(error_of(" ${@time}"), std::make_pair(std::size_t{1}, std::string("unknown built-in '@time'")));
  EXPECT_EQ(error_of("${@hex:0}"), std::make_pair(std::size_t{7}, std::string("bad @hex argument '0' (expected 1..64)")));
  EXPECT_EQ(error_of("${@hex:65}").first, 7U);
  EXPECT_EQ(error_of("${@hex:08}").first, 7U);
  EXPECT_EQ(error_of("${@hex:x}").first, 7U);
  EXPECT_EQ(error_of("${@hex:-3}").first, 7U);
  EXPECT_EQ(error_of("${@hex:100}").first, 7U);
  EXPECT_EQ(error_of("${@hex}"), std::make_pair(std::size_t{6}, std::string("bad @hex argument '' (expected 1..64)")));
  EXPECT_EQ(error_of("${@seq:3}"), std::make_pair(std::size_t{6}, std::string("built-in '@seq' takes no argument")));
  EXPECT_EQ(error_of("${us er}"), std::make_pair(std::size_t{4}, std::string("invalid character octet 0x20 in variable name")));
  EXPECT_EQ(error_of("${1abc}"), std::make_pair(std::size_t{2}, std::string("invalid character '1' in variable name")));
  EXPECT_EQ(error_of("${user:x}"), std::make_pair(std::size_t{6}, std::string("invalid character ':' in variable name")));
  EXPECT_EQ(error_of("${@uuid!}").first, 7U);
}

TEST(Template, CheckTemplateFindsSyntaxErrorsOnly) {
  EXPECT_NO_THROW(check_template("${anything} ${x:-y} ${@uuid} ${@hex:8} ${@seq} ${@date} $${"));
  EXPECT_THROW(check_template("${"), TemplateError);
  EXPECT_THROW(check_template("${}"), TemplateError);
  EXPECT_THROW(check_template("${@nope}"), TemplateError);
  EXPECT_THROW(check_template("${@hex:99}"), TemplateError);
  try {
    check_template("abc ${x");
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.offset(), 4U);
  }
}

TEST(Template, HasReferences) {
  EXPECT_FALSE(has_references(""));
  EXPECT_FALSE(has_references("plain $ text {x}"));
  EXPECT_FALSE(has_references("$${user}"));
  EXPECT_TRUE(has_references("${user}"));
  EXPECT_FALSE(has_references("a $$$${user}"));
  EXPECT_TRUE(has_references("a $x${user}"));
  EXPECT_TRUE(has_references("unterminated ${"));
}

}  // namespace
}  // namespace facteur::scenario
