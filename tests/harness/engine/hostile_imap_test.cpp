// A harness that survives hostile IMAP servers: for each misbehaviour the case ends with a clear
// reason, within its deadline, with memory bounded, and nothing crashes. Each server is scripted
// byte by byte on a RawServer; the table below pairs a script with the verdict it must produce.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/outcome_printer.hpp"
#include "tests/support/peak_memory.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;
using testing::peak_growth_kib;

const char* kScenario = R"({
  "facteur": 1, "id": "test/hostile-imap", "title": "greeting, CAPABILITY, NOOP", "protocol": "imap",
  "spec": [{"rfc": "9051", "section": "7", "level": "MUST"}],
  "steps": [{"connect": {}}, {"imap": "CAPABILITY"}, {"imap": "NOOP"}]
})";

// --- the run ------------------------------------------------------------------------------------

struct Timed {
  report::CaseResult result;
  double ms = 0;
  long rss_kib = 0;  // peak RSS growth during the case
};

Timed run_against(RawServer& server, const std::string& scheme = "imap", const char* scenario = kScenario,
                  bool keep_transcripts = false, std::chrono::milliseconds reply_timeout = 500ms) {
  auto settings = testing::local_settings(scheme, server.port());
  settings.keep_transcripts = keep_transcripts;
  settings.reply_timeout = reply_timeout;
  Timed t;
  t.rss_kib = peak_growth_kib([&] {
    const auto start = std::chrono::steady_clock::now();
    t.result = testing::run_case_sync(testing::inline_scenario(scenario), settings);
    t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  });
  return t;
}

// --- script helpers ------------------------------------------------------------------------------

// Sleeps `d` in short slices; false once the server is stopping (so no script outlives its test).
bool pause(RawConnection& c, std::chrono::milliseconds d) {
  for (auto left = d; left > 0ms; left -= 50ms) {
    if (c.stopping()) return false;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
  }
  return !c.stopping();
}

// The tag of the next command line ("" when the client went away).
std::string next_tag(RawConnection& c) {
  const std::string line = c.read_line(2s);
  return line.substr(0, line.find(' '));
}

// Answers CAPABILITY, NOOP and LOGOUT properly; `greeting` is sent first.
void polite(RawConnection& c, const std::string& greeting) {
  c.send(greeting);
  for (;;) {
    const std::string line = c.read_line(2s);
    if (line.empty()) return;
    const std::string tag = line.substr(0, line.find(' '));
    const std::string command = line.substr(tag.size() + 1);
    if (command.rfind("CAPABILITY", 0) == 0) c.send("* CAPABILITY IMAP4rev1\r\n" + tag + " OK done\r\n");
    else if (command.rfind("NOOP", 0) == 0) c.send(tag + " OK noop\r\n");
    else if (command.rfind("LOGOUT", 0) == 0) c.send("* BYE\r\n" + tag + " OK bye\r\n");
    else c.send(tag + " BAD unknown\r\n");
  }
}

// Greets, reads the first command and answers it with `reply(tag)`; then behaves.
template <typename Reply>
void first_answer(RawConnection& c, Reply reply) {
  c.send("* OK hostile\r\n");
  const std::string tag = next_tag(c);
  if (tag.empty()) return;
  reply(c, tag);
  c.wait_closed(3s);
}

// Streams `chunk` until the client goes away or `total` octets are out.
void flood(RawConnection& c, const std::string& chunk, std::size_t total) {
  for (std::size_t sent = 0; sent < total && c.send(chunk); sent += chunk.size()) {}
}

// --- the table ----------------------------------------------------------------------------------

struct Hostile {
  const char* name;
  const char* scheme;
  void (*script)(RawConnection&);
  Outcome outcome;
  const char* message;   // a substring of the case's message
  int max_ms;            // the case ends before this
  long max_rss_kib;      // peak RSS growth while the case runs stays under this
};

const Hostile kHostile[] = {
    {"LineThatNeverEnds", "imap",
     [](RawConnection& c) {
       c.send("* OK ");
       flood(c, std::string(64 * 1024, 'a'), 64u << 20);  // up to 64 MiB, never a CRLF
     },
     Outcome::fail, "malformed IMAP response", 2000, 16 * 1024},
    {"TrickleOneBytePerSecond", "imap",
     [](RawConnection& c) {
       for (char ch : std::string("* OK slow greeting\r\n")) {
         if (!c.send(std::string(1, ch)) || !pause(c, 1s)) return;
       }
     },
     Outcome::fail, "no greeting within 500 ms", 1500, 16 * 1024},
    {"FourGibLiteralIsRefusedOnSight", "imap",
     [](RawConnection& c) {
       first_answer(c, [](RawConnection& conn, const std::string&) {
         conn.send("* 1 FETCH (BODY[] {4294967296}\r\n");
         flood(conn, std::string(64 * 1024, 'x'), 64u << 20);
       });
     },
     Outcome::fail, "announces 4294967296 octets, more than the limit of 67108864", 2000, 16 * 1024},
    {"ResetInTheMiddleOfAResponse", "imap",
     [](RawConnection& c) {
       first_answer(c, [](RawConnection& conn, const std::string&) {
         conn.send("* CAPABILITY IMAP4rev1 ID");
         std::this_thread::sleep_for(50ms);
         conn.reset();
       });
     },
     Outcome::fail, "closed", 1500, 16 * 1024},
    {"GarbageInsteadOfTls", "imaps",
     [](RawConnection& c) {
       c.send("* OK this is not a TLS server hello\r\n");
       c.wait_closed(2s);
     },
     Outcome::error, "tls:", 1500, 16 * 1024},
    {"CloseRightAfterTheGreeting", "imap", [](RawConnection& c) { c.send("* OK bye at once\r\n"); },
     Outcome::fail, "closed the connection", 1500, 16 * 1024},
    {"NulInAQuotedString", "imap",
     [](RawConnection& c) {
       first_answer(c, [](RawConnection& conn, const std::string& tag) {
         static const char data[] = "* LIST () \"/\" \"in\0box\"\r\n";
         conn.send(std::string(data, sizeof data - 1) + tag + " OK done\r\n");
       });
     },
     Outcome::fail, "NUL in quoted string", 1500, 16 * 1024},
    {"NeverAnswers", "imap", [](RawConnection& c) { c.wait_closed(3s); }, Outcome::fail,
     "no greeting within 500 ms", 1500, 16 * 1024},
    {"NeverCompletesTheCommand", "imap",
     [](RawConnection& c) { first_answer(c, [](RawConnection&, const std::string&) {}); }, Outcome::fail,
     "no tagged completion within 500 ms", 1500, 16 * 1024},
    {"CompletionForAnUnknownTag", "imap",
     [](RawConnection& c) {
       first_answer(c, [](RawConnection& conn, const std::string& tag) {
         conn.send("X999 OK what command?\r\n" + tag + " OK done\r\n");
       });
     },
     Outcome::fail, "IMAP invariant imap.tag-unknown: tagged completion for tag X999", 1500, 16 * 1024},
    {"LiteralShorterThanAnnounced", "imap",
     [](RawConnection& c) {
       // {3} announces 3 octets, but 5 follow before the list goes on: "lo)" is not SP or ")".
       first_answer(c, [](RawConnection& conn, const std::string& tag) {
         conn.send("* 1 FETCH (BODY[] {3}\r\nHello)\r\n" + tag + " OK done\r\n");
       });
     },
     Outcome::fail, "malformed IMAP response", 1500, 16 * 1024},
    {"LiteralLongerThanAnnounced", "imap",
     [](RawConnection& c) {
       // {4096} announces more than follows: the completion is swallowed as literal octets, and
       // the reply deadline ends the wait.
       first_answer(c, [](RawConnection& conn, const std::string& tag) {
         conn.send("* 1 FETCH (BODY[] {4096}\r\nHello)\r\n" + tag + " OK done\r\n");
       });
     },
     Outcome::fail, "no tagged completion within 500 ms", 1500, 16 * 1024},
    {"ContinuationInsteadOfACompletion", "imap",
     [](RawConnection& c) {
       first_answer(c, [](RawConnection& conn, const std::string&) { conn.send("+ go ahead\r\n"); });
     },
     Outcome::fail, "unexpected continuation request", 1500, 16 * 1024},
};

class HostileImap : public ::testing::TestWithParam<Hostile> {};

TEST_P(HostileImap, EndsWithAClearReasonInTimeAndBoundedMemory) {
  const Hostile& h = GetParam();
  RawServer server(h.script);
  const Timed t = run_against(server, h.scheme);
  EXPECT_EQ(t.result.outcome, h.outcome) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr(h.message)) << text_of(t.result);
  EXPECT_LT(t.ms, h.max_ms);
  EXPECT_LT(t.rss_kib, h.max_rss_kib) << "peak RSS grew by " << t.rss_kib << " KiB";
  RecordProperty("elapsed_ms", static_cast<int>(t.ms));
  RecordProperty("rss_growth_kib", static_cast<int>(t.rss_kib));
}

INSTANTIATE_TEST_SUITE_P(Scripts, HostileImap, ::testing::ValuesIn(kHostile),
                         [](const ::testing::TestParamInfo<Hostile>& p) { return std::string(p.param.name); });

// --- cases with checks of their own --------------------------------------------------------------

TEST(HostileImapServer, WellBehavedControlPasses) {
  RawServer server([](RawConnection& c) { polite(c, "* OK ready\r\n"); });
  const Timed t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
}

TEST(HostileImapServer, NulAndInvalidUtf8InStatusTextAreShownEscaped) {
  // resp-text is any octet but CR and LF to the parser: the case passes, and the transcript shows
  // the odd octets escaped.
  static const char greeting[] = "* OK nul\0here \xff\xfe\r\n";
  RawServer server([](RawConnection& c) { polite(c, std::string(greeting, sizeof greeting - 1)); });
  const Timed t = run_against(server, "imap", kScenario, true);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
  bool seen = false;
  for (const auto& line : t.result.transcript) seen = seen || line.text == "* OK nul\\x00here \\xFF\\xFE";
  EXPECT_TRUE(seen) << text_of(t.result);
}

TEST(HostileImapServer, InvalidUtf8InAQuotedStringIsKept) {
  RawServer server([](RawConnection& c) {
    first_answer(c, [](RawConnection& conn, const std::string& tag) {
      conn.send("* LIST () \"/\" \"caf\xe9 \xc3\x28\"\r\n" + tag + " OK done\r\n");
      const std::string noop = next_tag(conn);
      conn.send(noop + " OK noop\r\n");
    });
  });
  const Timed t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::pass) << text_of(t.result);
}

// A million "* n EXISTS" before one completion: untagged responses are kept until their command
// completes, at most RunSettings::max_untagged of them, so the case fails at that count instead of
// holding a million imap::Response (each about 250 octets however short on the wire). The bound:
// the kept responses, times 3 for the vector's growth (old and new buffers live together, and
// under ASan the old ones sit in quarantine), plus 16 MiB of slack.
TEST(HostileImapServer, MillionUntaggedResponsesBeforeTheCompletionStayBounded) {
  RawServer server([](RawConnection& c) {
    first_answer(c, [](RawConnection& conn, const std::string& tag) {
      std::string block;
      for (int n = 1; n <= 1000; ++n) block += "* " + std::to_string(n) + " EXISTS\r\n";
      for (int i = 0; i < 1000 && conn.send(block); ++i) {}  // a million untagged lines
      conn.send(tag + " OK done\r\n");
    });
  });
  const engine::RunSettings defaults;
  const Timed t = run_against(server);
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message,
              HasSubstr("more than " + std::to_string(defaults.max_untagged) + " untagged responses before a completion"));
  EXPECT_LT(t.ms, 5000);
  const long bound_kib =
      static_cast<long>(3 * defaults.max_untagged * sizeof(imap::Response) / 1024) + 16 * 1024;
  EXPECT_LT(t.rss_kib, bound_kib) << "peak RSS grew by " << t.rss_kib << " KiB";
  RecordProperty("elapsed_ms", static_cast<int>(t.ms));
  RecordProperty("rss_growth_kib", static_cast<int>(t.rss_kib));
  RecordProperty("rss_bound_kib", static_cast<int>(bound_kib));
}

// A literal within max_literal (60 of 64 MiB), then the announcement of another that would take
// the response past max_response (80 MiB): refused as soon as it is announced, after buffering
// only the first. The reply deadline is raised so that the limit, not the clock, ends the case.
// The bound, 3 x max_response: the receive buffer, whose capacity doubles while it grows, and
// under ASan the buffers freed meanwhile, held in quarantine.
TEST(HostileImapServer, LiteralsPastTheResponseLimitAreRefusedWithBoundedMemory) {
  RawServer server([](RawConnection& c) {
    first_answer(c, [](RawConnection& conn, const std::string&) {
      if (!conn.send("* 1 FETCH (BODY[1] {62914560}\r\n")) return;
      flood(conn, std::string(64 * 1024, 'x'), 60u << 20);
      conn.send(" BODY[2] {31457280}\r\n");
      flood(conn, std::string(64 * 1024, 'y'), 30u << 20);
    });
  });
  const engine::RunSettings defaults;
  const Timed t = run_against(server, "imap", kScenario, false, 20s);
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message,
              HasSubstr("makes the response exceed " + std::to_string(defaults.imap_limits.max_response) + " octets"));
  const long limit_kib = static_cast<long>(defaults.imap_limits.max_response / 1024);
  EXPECT_LT(t.rss_kib, 3 * limit_kib) << "peak RSS grew by " << t.rss_kib << " KiB";
  RecordProperty("elapsed_ms", static_cast<int>(t.ms));
  RecordProperty("rss_growth_kib", static_cast<int>(t.rss_kib));
}

// A lone expect step waits for untagged responses: a server flooding other ones must not keep it
// past the reply deadline, however many arrive.
TEST(HostileImapServer, FloodDuringAnExpectStepEndsAtTheReplyDeadline) {
  const char* scenario = R"({
    "facteur": 1, "id": "test/hostile-imap-idle", "title": "IDLE, then wait for an update", "protocol": "imap",
    "spec": [{"rfc": "2177", "section": "3", "level": "MUST"}],
    "steps": [{"connect": {}}, {"idle": true}, {"expect": {"untagged": "* 4000000000 EXISTS"}}]
  })";
  RawServer server([](RawConnection& c) {
    first_answer(c, [](RawConnection& conn, const std::string&) {
      conn.send("+ idling\r\n");
      std::string block;
      for (int n = 1; n <= 1000; ++n) block += "* " + std::to_string(n) + " EXISTS\r\n";
      for (int i = 0; i < 50 && conn.send(block); ++i) {}  // 50,000 updates, none the one awaited
    });
  });
  const Timed t = run_against(server, "imap", scenario);
  EXPECT_EQ(t.result.outcome, Outcome::fail) << text_of(t.result);
  EXPECT_THAT(t.result.message, HasSubstr("no untagged response matches '* 4000000000 EXISTS'"));
  EXPECT_LT(t.ms, 1500);
  RecordProperty("elapsed_ms", static_cast<int>(t.ms));
  RecordProperty("rss_growth_kib", static_cast<int>(t.rss_kib));
}

TEST(HostileImapServer, UnreachablePortIsAConnectError) {
  std::uint16_t port;
  {
    RawServer gone([](RawConnection&) {});
    port = gone.port();
  }
  auto settings = testing::local_settings("imap", port);
  const auto r = testing::run_case_sync(testing::inline_scenario(kScenario), settings);
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message.rfind("connect:", 0), 0u) << r.message;
}

}  // namespace
}  // namespace facteur
