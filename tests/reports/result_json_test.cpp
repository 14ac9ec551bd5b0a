#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render.hpp"
#include "reports/result.hpp"
#include "sample_run.hpp"

namespace facteur::report {
namespace {

using nlohmann::json;
using testing::sample_run;

TEST(ResultJson, RoundTripIsExact) {
  const json first = to_json(sample_run());
  EXPECT_EQ(to_json(result_from_json(first)), first);
  // And through text, as result.json is read back.
  EXPECT_EQ(to_json(result_from_json(json::parse(render_json(sample_run())))), first);
}

TEST(ResultJson, ReadsBackEveryField) {
  const RunResult r = result_from_json(to_json(sample_run()));
  EXPECT_EQ(r.schema_version, 1);
  EXPECT_EQ(r.tool, "facteur");
  EXPECT_EQ(r.target, "smtp://mx.lab:25");
  EXPECT_DOUBLE_EQ(r.duration_ms, 1234.5);
  EXPECT_EQ(r.baseline_file, "baseline.json");
  EXPECT_EQ(r.environment.at("host"), "mx.lab");
  ASSERT_EQ(r.cases.size(), 7u);
  const CaseResult& fail = r.cases[1];
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.step, 3);
  EXPECT_EQ(fail.expected, "503 <bad sequence>");
  ASSERT_EQ(fail.spec.size(), 1u);
  EXPECT_EQ(fail.spec[0].section, "4.1.1.5");
  ASSERT_EQ(fail.transcript.size(), 4u);
  EXPECT_EQ(fail.transcript[0].t_ms, 0.1);  // exact, not approximately
  EXPECT_EQ(fail.transcript[0].dir, '<');
  EXPECT_EQ(fail.transcript[3].dir, '*');
  EXPECT_EQ(r.cases[0].step, -1);
  EXPECT_FALSE(r.cases[0].baseline_reason.has_value());
  EXPECT_EQ(r.cases[5].baseline_reason, "known bug #12");
  EXPECT_FALSE(r.cases[5].baseline_stale);
  EXPECT_TRUE(r.cases[6].baseline_stale);
}

TEST(ResultJson, OmitsEmptyOptionalFields) {
  const json j = to_json(sample_run());
  const json& pass = j["cases"][0];
  for (const char* key : {"message", "expected", "actual", "step", "baseline", "transcript"}) {
    EXPECT_FALSE(pass.contains(key)) << key;
  }
  EXPECT_EQ(j["cases"][1]["step"], 3);
  EXPECT_EQ(j["cases"][5]["baseline"], json({{"reason", "known bug #12"}, {"stale", false}}));
  EXPECT_EQ(j["cases"][6]["baseline"], json({{"reason", "fixed upstream?"}, {"stale", true}}));
}

TEST(ResultJson, WritesTheComputedSummaryAndTheVersion) {
  const json j = to_json(sample_run());
  EXPECT_EQ(j["facteur-result"], 1);
  EXPECT_EQ(j["summary"]["total"], 7);
  EXPECT_EQ(j["summary"]["baselined"], 1);
  EXPECT_EQ(j["summary"]["baseline_stale"], 1);
}

TEST(ResultJson, InvalidUtf8BecomesHexTextSoDumpNeverThrows) {
  const json j = to_json(sample_run());
  std::string text;
  ASSERT_NO_THROW(text = j.dump());
  // Controls are valid JSON (written as \u001b): kept. Only the bytes that are not UTF-8 change.
  EXPECT_EQ(j["cases"][1]["transcript"][2]["text"], "250 <b>ok</b> & \"quoted\" ]]> \x01\x7f \x1b[31mred \\xFF\\xFE end");
}

TEST(ResultJson, RenderedInDocumentOrder) {
  const std::string text = render_json(sample_run());
  EXPECT_EQ(text.rfind("{\n  \"facteur-result\": 1,\n  \"tool\": \"facteur\",", 0), 0u) << text.substr(0, 80);
  EXPECT_LT(text.find("\"summary\""), text.find("\"cases\""));
  EXPECT_EQ(text.back(), '\n');
}

// ---- malformed documents: each error names the JSON path -------------------------------------

void expect_error(const json& j, const std::string& message) {
  try {
    (void)result_from_json(j);
    ADD_FAILURE() << "accepted; expected: " << message;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

json sample() { return to_json(sample_run()); }

TEST(ResultJsonErrors, UnknownOutcome) {
  json j = sample();
  j["cases"][3]["outcome"] = "bogus";
  expect_error(j, "$.cases[3].outcome: unknown outcome 'bogus'");
}

TEST(ResultJsonErrors, OtherVersionsAreRejected) {
  json j = sample();
  j["facteur-result"] = 2;
  expect_error(j, "$[\"facteur-result\"]: unsupported result version 2 (this facteur reads version 1)");
  j["facteur-result"] = "1";
  expect_error(j, "$[\"facteur-result\"]: unsupported result version \"1\" (this facteur reads version 1)");
  j.erase("facteur-result");
  expect_error(j, "$: not a facteur result (no \"facteur-result\" version field)");
  expect_error(json::array(), "$: expected a facteur result object, got array");
}

TEST(ResultJsonErrors, MissingAndMistypedFields) {
  json j = sample();
  j["cases"][0].erase("duration_ms");
  expect_error(j, "$.cases[0].duration_ms: required field is missing");
  j = sample();
  j["strict"] = "yes";
  expect_error(j, "$.strict: expected true or false, got string");
  j = sample();
  j["cases"][2]["title"] = 7;
  expect_error(j, "$.cases[2].title: expected a string, got number");
  j = sample();
  j["cases"][0]["tags"][0] = nullptr;
  expect_error(j, "$.cases[0].tags[0]: expected a string, got null");
  j = sample();
  j["environment"]["host"] = 1;
  expect_error(j, "$.environment.host: expected a string, got number");
  j = sample();
  j["cases"] = json::object();
  expect_error(j, "$.cases: expected an array, got object");
  j = sample();
  j["cases"][4] = "case";
  expect_error(j, "$.cases[4]: expected an object, got string");
}

TEST(ResultJsonErrors, BadValues) {
  json j = sample();
  j["cases"][1]["step"] = -1;
  expect_error(j, "$.cases[1].step: expected a non-negative integer, got -1");
  j = sample();
  j["cases"][1]["duration_ms"] = -0.5;
  expect_error(j, "$.cases[1].duration_ms: must not be negative, got -0.5");
  j = sample();
  j["cases"][1]["transcript"][2]["dir"] = "<<";
  expect_error(j, "$.cases[1].transcript[2].dir: unknown direction '<<' (expected '>', '<' or '*')");
  j = sample();
  j["cases"][1]["spec"][0]["level"] = "must";
  expect_error(j, "$.cases[1].spec[0].level: unknown level 'must' (expected MUST, SHOULD or MAY)");
  j = sample();
  j["cases"][1]["message"] = "";
  expect_error(j, "$.cases[1].message: empty (an empty field is omitted instead)");
  j = sample();
  j["cases"][1]["transcript"] = json::array();
  expect_error(j, "$.cases[1].transcript: empty (an empty transcript is omitted instead)");
}

TEST(ResultJsonErrors, UnknownFieldsAreRejected) {
  json j = sample();
  j["cases"][0]["colour"] = "red";
  expect_error(j, "$.cases[0].colour: unknown field");
  j = sample();
  j["cases"][5]["baseline"]["until"] = "2025";
  expect_error(j, "$.cases[5].baseline.until: unknown field");
  j = sample();
  j["odd key"] = 1;
  expect_error(j, "$[\"odd key\"]: unknown field");
}

TEST(ResultJsonErrors, SummaryMustMatchTheCases) {
  json j = sample();
  j["summary"]["failed"] = 5;
  expect_error(j, "$.summary.failed: 5 does not match the cases (2)");
  j = sample();
  j["cases"][0]["outcome"] = "fail";  // edited a case, not the summary
  expect_error(j, "$.summary.passed: 2 does not match the cases (1)");
}

}  // namespace
}  // namespace facteur::report
