// CCC in the FTP dialect (RFC 4217 §5) against a scripted server on a RawServer, TLS done with the
// fake FTP server's stream (tests/support/fake_ftp_tls.hpp): after a 200 to CCC facteur ends TLS on
// the control connection and goes on in clear text; a server that answers 200 and keeps TLS (silent,
// or still sending TLS records) fails the case within the reply deadline. Against the fake FTP server:
// PROT P data connections stay TLS after CCC (they resume the session the control connection had).
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/fake_ftp_server.hpp"
#include "tests/support/fake_ftp_tls.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using report::Outcome;
using testing::FtpStream;
using testing::FtpTlsContext;
using testing::RawConnection;
using testing::RawServer;

enum class AfterCcc {
  clear_text,  // RFC 4217 §5: close_notify both ways, then clear text
  keep_silent, // TLS kept; our close_notify is read as raw octets and never answered
  keep_talking // TLS kept; one more reply goes out as a TLS record
};

// What the server saw, for the test to check after the run.
struct Heard {
  std::mutex m;
  std::string noop;  // "clear" or "tls": how NOOP arrived after CCC
};

RawServer::Script ccc_server(AfterCcc after, std::shared_ptr<FtpTlsContext> tls, std::shared_ptr<Heard> heard) {
  return [after, tls, heard](RawConnection& c) {
    FtpStream control(c.fd(), [&c] { return c.stopping(); });
    control.send("220 ready\r\n", 1s);
    for (;;) {
      std::string line = control.read_line(3s);
      if (line.empty()) return;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      const std::string verb = line.substr(0, line.find(' '));
      if (verb == "AUTH") {
        control.send("234 go ahead\r\n", 1s);
        if (!control.start_tls(*tls, 2s)) return;
      } else if (verb == "USER") {
        control.send("331 password please\r\n", 1s);
      } else if (verb == "PASS") {
        control.send("230 logged in\r\n", 1s);
      } else if (verb == "PBSZ" || verb == "PROT") {
        control.send("200 ok\r\n", 1s);
      } else if (verb == "CCC") {
        control.send("200 clearing\r\n", 1s);
        if (after == AfterCcc::clear_text) {
          if (!control.end_tls(2s)) return;
        } else {
          if (after == AfterCcc::keep_talking) control.send("200 still under TLS\r\n", 1s);
          c.wait_closed(3s);  // raw reads: facteur's close_notify is swallowed, never answered
          return;
        }
      } else if (verb == "NOOP") {
        {
          std::lock_guard lock(heard->m);
          heard->noop = control.tls() ? "tls" : "clear";
        }
        control.send("200 noop\r\n", 1s);
      } else if (verb == "QUIT") {
        control.send("221 bye\r\n", 1s);
        return;
      } else {
        control.send("502 not here\r\n", 1s);
      }
    }
  };
}

struct CccRun {
  report::CaseResult result;
  std::string noop;
  std::chrono::milliseconds took{};
};

CccRun run_ccc(AfterCcc after) {
  auto heard = std::make_shared<Heard>();
  RawServer server(ccc_server(after, std::make_shared<FtpTlsContext>(), heard));
  auto settings = testing::local_settings("ftp", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = 800ms;
  settings.case_timeout = 10s;
  settings.strict = true;  // CCC is a MAY (RFC 4217 §5): a failure would only warn otherwise
  const std::string json = R"j({"facteur": 1, "id": "test/ftp-ccc", "title": "CCC", "protocol": "ftp",
      "spec": [{"rfc": "4217", "section": "5", "level": "MAY"}], "steps": [{"connect": {}},
      {"starttls": true}, {"login": {"user": "u", "password": "p"}},
      {"send": "CCC", "expect": {"code": "200"}}, {"send": "NOOP", "expect": {"code": "200"}}, {"quit": true}]})j";
  const auto started = std::chrono::steady_clock::now();
  CccRun r;
  r.result = testing::run_case_sync(testing::inline_scenario(json), settings);
  r.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::lock_guard lock(heard->m);
  r.noop = heard->noop;
  return r;
}

TEST(FtpCcc, ControlConnectionGoesOnInClearText) {
  const CccRun r = run_ccc(AfterCcc::clear_text);
  EXPECT_EQ(r.result.outcome, Outcome::pass) << text_of(r.result);
  EXPECT_TRUE(transcript_has(r.result, "TLS closed by CCC: the control connection is in clear text"))
      << text_of(r.result);
  EXPECT_EQ(r.noop, "clear") << "the server must read NOOP outside TLS";
}

TEST(FtpCcc, ServerThatNeverSendsCloseNotifyFailsAtTheReplyDeadline) {
  const CccRun r = run_ccc(AfterCcc::keep_silent);
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("the server answered 200 to CCC but did not end TLS on the control connection"));
  EXPECT_THAT(r.result.message, HasSubstr("no TLS close_notify within 800 ms"));
  EXPECT_LT(r.took, 3s) << "the wait for close_notify is bounded by the 800 ms reply deadline";
  EXPECT_EQ(r.noop, "");
}

TEST(FtpCcc, ServerThatKeepsTalkingTlsFails) {
  const CccRun r = run_ccc(AfterCcc::keep_talking);
  EXPECT_EQ(r.result.outcome, Outcome::fail) << text_of(r.result);
  EXPECT_THAT(r.result.message, HasSubstr("the server answered 200 to CCC but did not end TLS on the control connection"));
  EXPECT_LT(r.took, 3s);
  EXPECT_EQ(r.noop, "");
}

TEST(FtpCcc, ProtectedDataConnectionsStayTlsAfterCcc) {
  // The fake refuses clear data connections under PROT P, and with PROT P kept but no TLS session
  // to resume facteur could not open one: both transfers passing shows the session was kept.
  testing::FakeFtpServer server;
  auto settings = testing::local_settings("ftp", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = 1500ms;
  settings.case_timeout = 10s;
  const std::string json = R"j({"facteur": 1, "id": "test/ftp-ccc-data", "title": "CCC then data", "protocol": "ftp",
      "spec": [{"rfc": "4217", "section": "5", "level": "MAY"}], "steps": [{"connect": {}},
      {"starttls": true}, {"login": {"user": "u", "password": "p"}}, {"send": "CCC", "expect": {"code": "200"}},
      {"send": "TYPE I", "expect": {"code": "200"}},
      {"ftp": "STOR c.bin", "channel": "pasv", "upload": {"seeded": {"seed": 5, "size": 70000}}, "expect": {"code": "226"}},
      {"ftp": "RETR c.bin", "channel": "epsv", "download": {"seeded": {"seed": 5, "size": 70000}}, "expect": {"code": "226"}},
      {"quit": true}]})j";
  const report::CaseResult r = testing::run_case_sync(testing::inline_scenario(json), settings);
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_TRUE(transcript_has(r, "TLS closed by CCC")) << text_of(r);
  EXPECT_TRUE(transcript_has(r, "session resumed from the control connection")) << text_of(r);
}

}  // namespace
}  // namespace facteur
