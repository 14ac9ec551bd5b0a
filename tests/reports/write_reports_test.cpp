#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "reports/render.hpp"
#include "sample_run.hpp"
#include "test_files.hpp"

namespace facteur::report {
namespace {

using testing::read_file;
using testing::sample_run;
using testing::TempDir;

TEST(WriteReports, WritesTheFourFilesIntoANewDirectory) {
  const TempDir tmp;
  const std::string dir = (tmp.path() / "out" / "run-1").string();
  const WrittenReports written = write_reports(sample_run(), dir);
  EXPECT_EQ(written.json, dir + "/result.json");
  EXPECT_EQ(written.junit, dir + "/junit.xml");
  EXPECT_EQ(written.markdown, dir + "/summary.md");
  EXPECT_EQ(written.html, dir + "/report.html");
  EXPECT_EQ(read_file(written.json), render_json(sample_run()));
  EXPECT_EQ(read_file(written.junit), render_junit(sample_run()));
  EXPECT_EQ(read_file(written.markdown), render_markdown(sample_run()));
  EXPECT_EQ(read_file(written.html), render_html(sample_run()));
  // result.json is the source form: it reads back into the same result.
  const nlohmann::json j = nlohmann::json::parse(read_file(written.json));
  EXPECT_EQ(to_json(result_from_json(j)), to_json(sample_run()));
  EXPECT_EQ(read_file(written.json).substr(0, 24), "{\n  \"facteur-result\": 1,");
  // No temporary files left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 4);
}

TEST(WriteReports, OverwritesAnEarlierRun) {
  const TempDir tmp;
  const std::string dir = tmp.path().string();
  tmp.file("result.json", "old");
  const WrittenReports written = write_reports(sample_run(), dir);
  EXPECT_EQ(read_file(written.json), render_json(sample_run()));
}

TEST(WriteReports, ThrowsWhenTheDirectoryCannotBeCreated) {
  const TempDir tmp;
  const std::string file = tmp.file("not-a-dir", "x");
  try {
    (void)write_reports(sample_run(), file + "/sub");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(file + "/sub: cannot create the report directory: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace facteur::report
