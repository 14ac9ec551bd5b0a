// reports/schema/result-v1.schema.json describes what to_json writes: validated with the Python
// jsonschema package (skipped where it is not installed).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render.hpp"
#include "reports/result.hpp"
#include "sample_run.hpp"
#include "test_files.hpp"

namespace facteur::report {
namespace {

using nlohmann::json;
using testing::TempDir;

constexpr const char* kPython = "/usr/bin/python3";
const std::string kSchema = std::string(FACTEUR_SOURCE_DIR) + "/reports/schema/result-v1.schema.json";

// Checks the schema itself, then prints one line per document: "valid" or "invalid: <first error>".
// One interpreter for all documents: Python's start-up dominates the test time.
constexpr const char* kValidator = R"py(
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(json.load(open(path))))
    print("valid" if not errors else "invalid: " + "/".join(str(p) for p in errors[0].absolute_path) + ": " + errors[0].message)
)py";

class Schema : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::run_command(std::string(kPython) + " -c 'import jsonschema' 2>/dev/null") != 0) {
      GTEST_SKIP() << kPython << " has no jsonschema module";
    }
  }
  // The validator's verdict on each document, in order.
  std::vector<std::string> validate(const std::vector<std::string>& documents) {
    std::string command = std::string(kPython) + " " + dir_.file("validate.py", kValidator) + " " + kSchema;
    for (std::size_t i = 0; i < documents.size(); ++i) {
      command += " " + dir_.file("result-" + std::to_string(i) + ".json", documents[i]);
    }
    return testing::lines_of(testing::capture_command(command + " 2>&1"));
  }

  TempDir dir_;
};

TEST_F(Schema, RenderedResultsAreValid) {
  EXPECT_EQ(validate({render_json(testing::sample_run()), render_json(RunResult{})}),
            (std::vector<std::string>{"valid", "valid"}));
}

TEST_F(Schema, RejectsWhatTheReaderRejects) {
  std::vector<std::string> documents;
  const auto with = [&](auto edit) {
    json j = to_json(testing::sample_run());
    edit(j);
    documents.push_back(j.dump());
  };
  with([](json& j) { j["cases"][3]["outcome"] = "bogus"; });
  with([](json& j) { j["facteur-result"] = 2; });
  with([](json& j) { j["cases"][0]["colour"] = "red"; });
  with([](json& j) { j["cases"][1]["step"] = -1; });
  with([](json& j) { j["cases"][1]["transcript"][0]["dir"] = "x"; });
  with([](json& j) { j["cases"][1]["message"] = ""; });
  with([](json& j) { j["cases"][0].erase("duration_ms"); });
  // The path the validator names; its wording varies between jsonschema versions.
  const std::vector<std::string> rejected_at = {"cases/3/outcome:", "facteur-result:", "cases/0:", "cases/1/step:",
                                                "cases/1/transcript/0/dir:", "cases/1/message:", "cases/0:"};
  const std::vector<std::string> verdicts = validate(documents);
  ASSERT_EQ(verdicts.size(), rejected_at.size());
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    EXPECT_EQ(verdicts[i].rfind("invalid: " + rejected_at[i], 0), 0u) << verdicts[i];
  }
}

}  // namespace
}  // namespace facteur::report
