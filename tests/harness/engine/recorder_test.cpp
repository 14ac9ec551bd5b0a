// --record: each connection's received octets land in their own file, exactly as the server sent
// them; what the client sent never does; files stop at 1 MiB.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "harness/engine/recorder.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"
#include "tests/support/temp_dir.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using testing::RawConnection;
using testing::RawServer;
using testing::read_file;
using testing::TempDir;

// Octets as an unusual server sends them: a CRLF split across two writes, 8-bit text, a control
// octet inside a line.
const std::string kGreeting = "220 rec.test ESMTP\r\n";
const std::string kEhloFirst = "250-rec.test\r\n250-8BITMIME\r";
const std::string kEhloRest = "\n250 SIZE 1000\r\n";
const std::string kNoop = "250 2.0.0 caf\xC3\xA9 \x01 ok\r\n";
const std::string kQuit = "221 2.0.0 Bye\r\n";

void scripted(RawConnection& c) {
  c.send(kGreeting);
  for (;;) {
    const std::string line = c.read_line(2s);
    if (line.empty()) return;
    if (line.rfind("EHLO", 0) == 0) {
      c.send(kEhloFirst);
      std::this_thread::sleep_for(20ms);
      c.send(kEhloRest);
    } else if (line.rfind("NOOP", 0) == 0) {
      c.send(kNoop);
    } else if (line.rfind("QUIT", 0) == 0) {
      c.send(kQuit);
      return;
    }
  }
}

TEST(Recorder, WritesExactlyTheOctetsEachConnectionReceived) {
  RawServer server(scripted);
  TempDir dir("facteur-record");
  auto settings = testing::local_settings("smtp", server.port());
  settings.record_dir = dir.path().string();
  settings.vars["password"] = "s3cret-pw";
  const auto result = testing::run_case_sync(testing::inline_scenario(R"({
    "facteur": 1, "id": "test/record/bytes", "title": "record", "protocol": "smtp",
    "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}],
    "steps": [{"connect": {}}, {"ehlo": "client.test"}, {"send": "NOOP s3cret-pw", "expect": 250},
              {"silence": 50}, {"quit": true},
              {"connect": {}}, {"quit": true},
              {"connect": {}, "session": "other"}, {"close": true, "session": "other"}]
  })"), settings);
  ASSERT_EQ(result.outcome, report::Outcome::pass) << result.message;

  const auto smtp = dir.path() / "smtp";
  EXPECT_EQ(read_file(smtp / "test_record_bytes.main.bin"), kGreeting + kEhloFirst + kEhloRest + kNoop + kQuit);
  EXPECT_EQ(read_file(smtp / "test_record_bytes.main.2.bin"), kGreeting + kQuit);
  EXPECT_EQ(read_file(smtp / "test_record_bytes.other.bin"), kGreeting);
  // Client octets (and so the password the client sent) are not recorded.
  EXPECT_EQ(read_file(smtp / "test_record_bytes.main.bin").find("s3cret"), std::string::npos);
  EXPECT_EQ(read_file(smtp / "test_record_bytes.main.bin").find("EHLO"), std::string::npos);
}

TEST(Recorder, NoRecordDirWritesNothing) {
  RawServer server(scripted);
  TempDir dir("facteur-record");
  const auto result = testing::run_case_sync(testing::inline_scenario(R"({
    "facteur": 1, "id": "test/record/off", "title": "record", "protocol": "smtp",
    "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}],
    "steps": [{"connect": {}}, {"quit": true}]
  })"), testing::local_settings("smtp", server.port()));
  ASSERT_EQ(result.outcome, report::Outcome::pass) << result.message;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(Recorder, FileStopsAtOneMebibyte) {
  TempDir dir("facteur-record");
  engine::Recorder recorder(dir.path(), "imap/9051/6.4.5/fetch");
  recorder.open("main", Protocol::imap);
  const std::string chunk(300 * 1024, 'x');
  for (int i = 0; i < 4; ++i) EXPECT_EQ(recorder.append("main", chunk), "");
  recorder.append("main", "tail");
  const auto path = recorder.path("main");
  EXPECT_EQ(path, dir.path() / "imap" / "imap_9051_6.4.5_fetch.main.bin");
  EXPECT_EQ(std::filesystem::file_size(path), engine::Recorder::kMaxFile);
}

TEST(Recorder, NothingReceivedMakesNoFile) {
  TempDir dir("facteur-record");
  engine::Recorder recorder(dir.path(), "pop3/1939/quit");
  recorder.open("main", Protocol::pop3);
  EXPECT_EQ(recorder.append("main", ""), "");
  EXPECT_FALSE(std::filesystem::exists(recorder.path("main")));
}

TEST(Recorder, UnwritableDirectoryIsSaidOnce) {
  TempDir dir("facteur-record");
  const std::string blocker = dir.file("pop3", "a file where the protocol folder should be");
  engine::Recorder recorder(dir.path(), "pop3/1939/quit");
  recorder.open("main", Protocol::pop3);
  EXPECT_NE(recorder.append("main", "+OK\r\n").find("cannot write"), std::string::npos);
  EXPECT_EQ(recorder.append("main", "+OK\r\n"), "");
}

}  // namespace
}  // namespace facteur
