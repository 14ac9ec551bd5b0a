// Payloads: template references stay whole, and the parts JSON a finding is written with loads back
// (through the scenario loader's raw parts) into exactly the octets the payload stands for.
#include <gtest/gtest.h>

#include "harness/fuzz/payload.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/template.hpp"

namespace facteur::fuzz {
namespace {

using json = nlohmann::ordered_json;

// The octets a raw step with these parts sends, as the engine would expand them.
std::string sent(const Payload& p, const scenario::Vars& vars = {}) {
  json doc{{"facteur", 1}, {"id", "test/parts"}, {"title", "t"}, {"protocol", "smtp"},
           {"spec", json::array({json{{"rfc", "5321"}, {"section", "2.3.8"}, {"level", "MUST"}}})},
           {"steps", json::array({json{{"connect", true}}, json{{"raw", json{{"parts", to_parts_json(p)}}}}})}};
  const scenario::Scenario s = scenario::parse_scenario(doc.dump(), "parts.json");
  scenario::TemplateContext ctx;
  return scenario::expand(s.steps[1].text, vars, ctx);
}

TEST(Payload, ReferencesAreKeptWhole) {
  const Payload p = from_template("LOGIN ${imap_user} ${imap_password}");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1].kind, Part::Kind::ref);
  EXPECT_EQ(p[1].bytes, "${imap_user}");
  EXPECT_EQ(p[3].bytes, "${imap_password}");
  EXPECT_EQ(p[2].bytes, " ");
}

TEST(Payload, EscapedDollarBraceIsText) {
  const Payload p = from_template("a $${x} b");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].bytes, "a ${x} b");
  EXPECT_EQ(sent(p), "a ${x} b");
}

TEST(Payload, ArbitraryOctetsRoundTripThroughTheLoader) {
  Payload p = text(std::string("EHLO \xff\xc0\x80 caf\xc3\xa9 \0 ${", 19));
  append(p, "\r\n");
  const json parts = to_parts_json(p);
  ASSERT_TRUE(parts.dump().find("\"hex\"") != std::string::npos) << parts.dump();
  EXPECT_EQ(sent(p), std::string("EHLO \xff\xc0\x80 caf\xc3\xa9 \0 ${\r\n", 21));
}

TEST(Payload, RepeatsStayCompactAndExpand) {
  Payload p = text("MAIL FROM:<");
  p.push_back(Part{Part::Kind::repeat, "A", 70000});
  append(p, ">\r\n");
  EXPECT_EQ(size(p), 11u + 70000u + 3u);
  EXPECT_LT(to_parts_json(p).dump().size(), 200u);
  EXPECT_EQ(sent(p), "MAIL FROM:<" + std::string(70000, 'A') + ">\r\n");
}

TEST(Payload, ReferencesExpandAtRunTime) {
  Payload p = from_template("USER ${pop3_user}");
  append(p, "\r\n");
  EXPECT_EQ(sent(p, {{"pop3_user", "dave"}}), "USER dave\r\n");
  EXPECT_EQ(to_parts_json(p).dump(), R"(["USER ","${pop3_user}","\r\n"])");
}

TEST(Payload, DescribeEscapesAndAbbreviates) {
  Payload p = text(std::string("A\r\n\0", 4));
  p.push_back(Part{Part::Kind::repeat, "B", 3000});
  EXPECT_EQ(describe(p), "A\\r\\n\\x00B×3000");
}

}  // namespace
}  // namespace facteur::fuzz
