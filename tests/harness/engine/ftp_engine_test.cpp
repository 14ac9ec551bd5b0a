// The FTP dialect of the engine against a small FTP server scripted on RawServers (one for the
// control connection, one as the passive data port): what a lab server cannot show — a 120 before
// the greeting, USER answered 230, a PASV aimed at another host, an active-mode data connection that
// never comes, a truncated or corrupted download, a stalled one, a missing 226 — must each give a
// clear verdict; uploads arrive as sent (TYPE A conversion included) and ABOR goes out as urgent data.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/seeded_stream.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;

// What the control and data sides share while a case runs.
struct Shared {
  std::mutex m;
  std::condition_variable cv;
  std::string command;        // the transfer command the control connection got
  bool data_done = false;     // the data side has sent or read everything
  bool release_data = false;  // the control side lets a held data connection close
  std::string received;       // what an upload brought
  std::string abort_line;     // the line read on the control connection after the urgent ABOR

  void set_command(const std::string& c) {
    std::lock_guard lock(m);
    command = c;
    cv.notify_all();
  }
  std::string wait_command() {
    std::unique_lock lock(m);
    cv.wait_for(lock, 3s, [&] { return !command.empty(); });
    return command;
  }
  void set(bool Shared::*flag) {
    std::lock_guard lock(m);
    this->*flag = true;
    cv.notify_all();
  }
  bool wait(bool Shared::*flag, std::chrono::milliseconds limit = 3s) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, limit, [&] { return this->*flag; });
  }
};

struct FakeFtp {
  std::string greeting = "220 fake FTP ready\r\n";
  bool user_logs_in = false;             // USER answered 230 at once
  std::string pasv_host = "127,0,0,1";   // the address the 227 names
  std::string payload = "hello\r\n";     // what RETR sends
  bool hold_data = false;                // RETR: keep the data connection open until released
  std::chrono::milliseconds stall{0};    // RETR: pause after the payload before closing
  bool connect_back = true;              // PORT/EPRT: the server connects to the client
  std::string final_reply = "226 Transfer complete.\r\n";  // "" = close the control connection instead
};

// Connects to 127.0.0.1:port (active mode: the server's side); -1 on failure.
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void data_side(const FakeFtp& f, Shared& sh, const std::function<bool(std::string_view)>& send,
               const std::function<std::string()>& read_line) {
  const std::string command = sh.wait_command();
  if (command.rfind("STOR", 0) == 0) {
    for (std::string line = read_line(); !line.empty(); line = read_line()) sh.received += line;
  } else {
    send(f.payload);
    if (f.hold_data) sh.wait(&Shared::release_data, 5s);
    std::this_thread::sleep_for(f.stall);
  }
  sh.set(&Shared::data_done);
}

RawServer::Script control(std::shared_ptr<const FakeFtp> f, std::shared_ptr<Shared> sh, std::uint16_t data_port) {
  return [f, sh, data_port](RawConnection& c) {
    c.send(f->greeting);
    if (f->greeting.rfind("120", 0) == 0) {
      std::this_thread::sleep_for(100ms);
      c.send("220 ready now\r\n");
    }
    std::uint16_t active_port = 0;
    for (;;) {
      std::string line = c.read_line(3s);
      if (line.empty()) return;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      const std::string verb = line.substr(0, line.find(' '));
      if (verb == "USER") {
        c.send(f->user_logs_in ? "230 no password needed\r\n" : "331 password please\r\n");
      } else if (verb == "PASS") {
        c.send("230 logged in\r\n");
      } else if (verb == "TYPE") {
        c.send("200 type set\r\n");
      } else if (verb == "EPSV" && line == "EPSV ALL") {
        c.send("200 EPSV ALL ok\r\n");
      } else if (verb == "PASV") {
        c.send("227 Entering Passive Mode (" + f->pasv_host + "," + std::to_string(data_port / 256) + "," +
               std::to_string(data_port % 256) + ").\r\n");
      } else if (verb == "EPSV") {
        c.send("229 Entering Extended Passive Mode (|||" + std::to_string(data_port) + "|)\r\n");
      } else if (verb == "PORT") {
        int h1, h2, h3, h4, p1, p2;
        std::sscanf(line.c_str() + 5, "%d,%d,%d,%d,%d,%d", &h1, &h2, &h3, &h4, &p1, &p2);
        active_port = static_cast<std::uint16_t>(p1 * 256 + p2);
        c.send("200 PORT ok\r\n");
      } else if (verb == "RETR" || verb == "STOR" || verb == "LIST") {
        c.send("150 here it comes\r\n");
        sh->set_command(line);
        if (active_port != 0) {
          if (!f->connect_back) {
            std::this_thread::sleep_for(1200ms);
            c.send("425 Cannot open data connection.\r\n");
            continue;
          }
          const int fd = connect_to(active_port);
          std::atomic<bool> never{false};
          RawConnection data(fd, never);
          data_side(*f, *sh, [&](std::string_view b) { return data.send(b); }, [&] { return data.read_line(1s); });
        }
        if (f->hold_data) {
          // The client sends IAC IP IAC, DM as urgent data, then ABOR: the DM is not in the normal stream.
          sh->abort_line = c.read_line(3s);
          c.send("426 Connection closed; transfer aborted.\r\n");
          sh->set(&Shared::release_data);
          sh->wait(&Shared::data_done);
          c.send("226 ABOR successful.\r\n");
          continue;
        }
        sh->wait(&Shared::data_done, 5s);
        if (f->final_reply.empty()) return;
        c.send(f->final_reply);
      } else if (verb == "QUIT") {
        c.send("221 bye\r\n");
        return;
      } else {
        c.send("502 not here\r\n");
      }
    }
  };
}

struct Run {
  report::CaseResult result;
  std::shared_ptr<Shared> shared;
};

Run run(const FakeFtp& fake, const std::string& steps, std::chrono::milliseconds reply_timeout = 1000ms) {
  auto f = std::make_shared<const FakeFtp>(fake);
  auto sh = std::make_shared<Shared>();
  RawServer data([f, sh](RawConnection& c) {
    data_side(*f, *sh, [&](std::string_view b) { return c.send(b); }, [&] { return c.read_line(1s); });
  });
  RawServer server(control(f, sh, data.port()));
  auto settings = testing::local_settings("ftp", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = reply_timeout;
  settings.case_timeout = 10s;
  const std::string json = R"j({"facteur": 1, "id": "test/ftp-engine", "title": "engine mechanics", "protocol": "ftp",
      "spec": [{"rfc": "959", "section": "4.2", "level": "MUST"}], "steps": [{"connect": {}}, )j" + steps + "]}";
  Run r;
  r.result = testing::run_case_sync(testing::inline_scenario(json), settings);
  r.shared = sh;
  return r;
}

std::string seeded(std::uint64_t seed, std::size_t n) {
  std::string out(n, '\0');
  scenario::SeededStream s(seed);
  s.fill(out.data(), n);
  return out;
}

const char* const kLogin = R"j({"login": {"user": "u", "password": "s3cret-ftp-pw"}}, {"send": "TYPE I", "expect": 200})j";

TEST(FtpEngine, WaitsFor220After120AndRedactsThePassword) {
  FakeFtp f;
  f.greeting = "120 ready in a moment\r\n";
  const auto r = run(f, std::string(kLogin) + R"j(, {"quit": true})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_TRUE(transcript_has(r.result, "220 ready now"));
  EXPECT_TRUE(transcript_has(r.result, "PASS <redacted>"));
  EXPECT_FALSE(transcript_has(r.result, "s3cret-ftp-pw"));
}

TEST(FtpEngine, UserAnswered230NeedsNoPassword) {
  FakeFtp f;
  f.user_logs_in = true;
  const auto r = run(f, std::string(kLogin) + R"j(, {"quit": true})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_FALSE(transcript_has(r.result, "PASS"));
}

TEST(FtpEngine, PasvDownloadIsCheckedOctetByOctetAndHashed) {
  FakeFtp f;
  f.payload = seeded(5, 100000);
  const auto r = run(f, std::string(kLogin) + R"j(,
      {"ftp": "RETR x", "channel": "pasv", "download": {"seeded": {"seed": 5, "size": 100000}, "capture_sha256": "h"}},
      {"ftp": "RETR x", "channel": "epsv", "download": {"sha256": "${h}", "size": 100000}})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_TRUE(transcript_has(r.result, "data: 100000 octets in"));
}

TEST(FtpEngine, TruncatedDownloadFailsEvenWith226) {
  FakeFtp f;
  f.payload = seeded(5, 99990);
  const auto r = run(f, std::string(kLogin) + R"j(,
      {"ftp": "RETR x", "channel": "pasv", "download": {"seeded": {"seed": 5, "size": 100000}}})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("truncated transfer: 99990 octets of the 100000 expected"));
}

TEST(FtpEngine, CorruptedOctetIsNamed) {
  FakeFtp f;
  f.payload = seeded(5, 1000);
  f.payload[500] = static_cast<char>(f.payload[500] ^ 0x20);
  const auto r = run(f, std::string(kLogin) + R"j(,
      {"ftp": "RETR x", "download": {"seeded": {"seed": 5, "size": 1000}}})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("octet 500 differs from the seeded stream"));
}

TEST(FtpEngine, MissingCompletionReplyFails) {
  FakeFtp f;
  f.final_reply = "";  // the server closes the control connection instead of 226
  auto r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x"})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("RETR after 7 octets: the server closed the connection"));
  f.final_reply = "426 Failure writing network stream.\r\n";
  r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x"})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("RETR after 7 octets: reply code 426"));
}

TEST(FtpEngine, PasvAimedAtAnotherHostIsRefused) {
  FakeFtp f;
  f.pasv_host = "10,1,2,3";
  const auto r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x", "channel": "pasv"})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("PASV: PASV points at 10.1.2.3:"));
  EXPECT_THAT(r.result.message, HasSubstr("not at the server of the control connection (127.0.0.1)"));
}

TEST(FtpEngine, ActiveModeWorksAndAMissingDataConnectionIsReported) {
  FakeFtp f;
  auto r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x", "channel": "port", "download": {"size": 7}})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  f.connect_back = false;
  r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x", "channel": "port"})j");
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("the server did not open the data connection to facteur's 127.0.0.1:"));
  EXPECT_THAT(r.result.message, HasSubstr("the server said 425 Cannot open data connection."));
}

TEST(FtpEngine, StalledDownloadFailsAtTheReplyTimeout) {
  FakeFtp f;
  f.stall = 1500ms;
  const auto start = std::chrono::steady_clock::now();
  const auto r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x"})j", 500ms);
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("RETR: the data connection stalled (no data for 500 ms) after 7 octets"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(FtpEngine, UploadArrivesAsSentWithTypeAConversion) {
  FakeFtp f;
  auto r = run(f, R"j({"login": {"user": "u", "password": "p"}}, {"send": "TYPE A", "expect": 200},
                      {"ftp": "STOR a.txt", "upload": {"text": "one\ntwo\n"}})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_EQ(r.shared->received, "one\r\ntwo\r\n");
  r = run(f, std::string(kLogin) + R"j(, {"ftp": "STOR a.txt", "upload": {"text": "one\ntwo\n"}})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_EQ(r.shared->received, "one\ntwo\n");
}

TEST(FtpEngine, AborGoesAsTelnetIpAndUrgentSynch) {
  FakeFtp f;
  f.payload = std::string(64 * 1024, 'x');
  f.hold_data = true;
  const auto r = run(f, std::string(kLogin) + R"j(, {"ftp": "RETR x", "abort_after": 10})j");
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  // IAC IP IAC in the stream, the DM as the urgent octet (so not in the stream), then ABOR.
  EXPECT_EQ(r.shared->abort_line, std::string("\xFF\xF4\xFF") + "ABOR\r\n");
  EXPECT_TRUE(transcript_has(r.result, "426 Connection closed; transfer aborted."));
  EXPECT_TRUE(transcript_has(r.result, "226 ABOR successful."));
}

TEST(FtpEngine, EpsvAllForbidsOtherModes) {
  FakeFtp f;
  const auto r = run(f, std::string(kLogin) + R"j(, {"send": "EPSV ALL", "expect": 200},
                                                  {"ftp": "RETR x", "channel": "pasv"})j");
  EXPECT_EQ(r.result.outcome, Outcome::error) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("EPSV ALL was accepted in this session"));
}

}  // namespace
}  // namespace facteur
