// The IMAP dialect of the engine against small well-behaved servers scripted on a RawServer: tags
// and completions, untagged responses gathered per command, literals (synchronising, LITERAL+,
// refused), async commands, IDLE, LOGIN / AUTHENTICATE with their secrets kept out of the
// transcript, STARTTLS against a server that cannot, and the session invariants.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur {
namespace {
using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;

// --- a scripted IMAP server ----------------------------------------------------------------------

// What a server saw, read by the test after the case (the server runs on its own thread).
class Log {
 public:
  void add(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

struct Command {
  std::string line;  // as received, without CRLF
  std::string tag;
  std::string verb;  // upper-case
  std::string rest;  // after the verb
};

Command split(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  Command c;
  c.line = line;
  const auto sp = line.find(' ');
  c.tag = line.substr(0, sp);
  if (sp == std::string::npos) return c;
  const auto sp2 = line.find(' ', sp + 1);
  c.verb = line.substr(sp + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp - 1);
  for (auto& ch : c.verb) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (sp2 != std::string::npos) c.rest = line.substr(sp2 + 1);
  return c;
}

// Reads `n` octets that end a line (a literal ending in CRLF), line by line.
std::string read_octets(RawConnection& c, std::size_t n) {
  std::string out;
  while (out.size() < n) {
    const std::string line = c.read_line(2s);
    if (line.empty()) break;
    out += line;
  }
  return out;
}

// Answers one command; false leaves it to the default ("tag OK done").
using Handler = std::function<bool(RawConnection&, const Command&)>;

// Greets, then hands each command line to `handle` (every line is logged first). LOGOUT gets BYE,
// OK and a close.
RawServer::Script imap_server(std::string greeting, Handler handle, std::shared_ptr<Log> log) {
  return [greeting = std::move(greeting), handle = std::move(handle), log = std::move(log)](RawConnection& c) {
    c.send(greeting);
    for (;;) {
      const std::string line = c.read_line(3s);
      if (line.empty()) return;
      const Command cmd = split(line);
      log->add(cmd.line);
      if (cmd.verb == "LOGOUT") {
        c.send("* BYE logging out\r\n" + cmd.tag + " OK bye\r\n");
        return;
      }
      if (!handle(c, cmd)) c.send(cmd.tag + " OK done\r\n");
    }
  };
}

const char* const kGreeting = "* OK [CAPABILITY IMAP4rev1] ready\r\n";

std::string scenario(const std::string& steps) {
  return R"j({"facteur": 1, "id": "test/imap-engine", "title": "engine mechanics", "protocol": "imap",
             "spec": [{"rfc": "9051", "section": "2.2.2", "level": "MUST"}],
             "steps": [{"connect": {}}, )j" +
         steps + "]}";
}

report::CaseResult run(RawServer& server, const std::string& steps, bool starttls = false) {
  auto settings = testing::local_settings("imap", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = 1000ms;
  settings.starttls = starttls;
  return testing::run_case_sync(testing::inline_scenario(scenario(steps)), settings);
}

std::string text_of(const report::CaseResult& r) {
  std::string out = std::string(report::to_string(r.outcome)) + ": " + r.message + " [expected: " + r.expected +
                    "] [actual: " + r.actual + "]";
  for (const auto& line : r.transcript) out += "\n  " + std::string(1, line.dir) + " " + line.text;
  return out;
}

bool transcript_has(const report::CaseResult& r, const std::string& needle) {
  for (const auto& line : r.transcript) {
    if (line.text.find(needle) != std::string::npos) return true;
  }
  return false;
}

// SELECT's untagged responses, in the order a server typically sends them.
std::string select_reply(const std::string& tag, int uidvalidity = 42) {
  return "* FLAGS (\\Answered \\Seen \\Deleted)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY " + std::to_string(uidvalidity) +
         "] UIDs valid\r\n* OK [UIDNEXT 4] predicted\r\n" + tag + " OK [READ-WRITE] selected\r\n";
}

// --- tags and completions -------------------------------------------------------------------------

TEST(ImapEngine, TagsIncreaseAndEachCompletionEndsItsCommand) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, [](RawConnection&, const Command&) { return false; }, log));
  const auto r = run(server, R"j({"imap": "NOOP"}, {"imap": "CAPABILITY"}, {"imap": "NOOP"}, {"logout": true})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 NOOP", "F002 CAPABILITY", "F003 NOOP", "F004 LOGOUT"));
}

TEST(ImapEngine, CompletionsArrivingOutOfOrderAreMatchedToTheirTags) {
  // Two async FETCHes; the server completes the second first, each with a code of its own.
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        if (cmd.tag == "F001") return true;  // answered with F002
        if (cmd.tag == "F002") c.send("F002 OK [X-SECOND] second\r\nF001 OK [X-FIRST] first\r\n");
        return cmd.tag == "F002";
      },
      log));
  // "a" is awaited first: its completion comes second, after b's had to be kept aside.
  const auto r = run(server, R"j({"imap": "FETCH 1 FLAGS", "async": true, "tag": "a"},
                                {"imap": "FETCH 2 FLAGS", "async": true, "tag": "b"},
                                {"await": "a", "expect": {"tagged": "OK [X-FIRST]"}},
                                {"await": "b", "expect": {"tagged": "OK [X-SECOND]"}})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 FETCH 1 FLAGS", "F002 FETCH 2 FLAGS"));
}

TEST(ImapEngine, AwaitedCompletionIsCheckedAgainstItsOwnExpectation) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        if (cmd.tag == "F001") return true;
        c.send("F002 OK noop\r\nF001 NO [X-REFUSED] cannot fetch\r\n");
        return true;
      },
      log));
  const auto r = run(server, R"j({"imap": "FETCH 1 FLAGS", "async": true, "tag": "a"}, {"imap": "NOOP"},
                                {"await": "a"})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("completion of a: reply code NO is not acceptable"));
}

TEST(ImapEngine, AwaitOfAnUnknownLabelIsAScenarioError) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, [](RawConnection&, const Command&) { return false; }, log));
  const auto r = run(server, R"j({"await": "nobody"})j");
  EXPECT_EQ(r.outcome, Outcome::error) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("no async imap step is tagged 'nobody'"));
}

// --- untagged responses ------------------------------------------------------------------------------

Handler selecting(int uidvalidity = 42) {
  return [uidvalidity](RawConnection& c, const Command& cmd) {
    if (cmd.verb == "SELECT") return c.send(select_reply(cmd.tag, uidvalidity));
    if (cmd.verb == "X-ECHO") return c.send(cmd.tag + (cmd.rest == "42-3" ? " OK echoed\r\n" : " BAD wrong\r\n"));
    return false;
  };
}

TEST(ImapEngine, UntaggedResponsesAreGatheredPerCommandAndMatchedInAnyOrder) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, selecting(), log));
  // Patterns listed in another order than the server's; $uv and $n bind and are used later. The
  // NOOP after SELECT sees none of SELECT's untagged responses.
  const auto r = run(server, R"j({"imap": "SELECT INBOX",
                                 "expect": {"untagged": ["* OK [UIDVALIDITY $uv]", "* $n EXISTS",
                                                         "* FLAGS ($!unordered \\Deleted \\Seen \\Answered)"]}},
                                {"imap": "NOOP", "expect": {"not_untagged": ["* $ EXISTS", "* FLAGS $*"]}},
                                {"imap": "X-ECHO ${uv}-${n}"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 SELECT INBOX", "F002 NOOP", "F003 X-ECHO 42-3"));
}

TEST(ImapEngine, OrderedUntaggedMatchesOnlyInTheOrderListed) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, selecting(), log));
  const auto in_order = run(server, R"j({"imap": "SELECT INBOX", "expect": {"ordered": true,
                                        "untagged": ["* FLAGS $", "* $ EXISTS", "* OK [UIDNEXT $]"]}})j");
  EXPECT_EQ(in_order.outcome, Outcome::pass) << text_of(in_order);
  const auto reversed = run(server, R"j({"imap": "SELECT INBOX", "expect": {"ordered": true,
                                        "untagged": ["* $ EXISTS", "* FLAGS $"]}})j");
  EXPECT_EQ(reversed.outcome, Outcome::fail) << text_of(reversed);
  EXPECT_THAT(reversed.message, HasSubstr("no untagged response matches '* FLAGS $' (in order)"));
}

TEST(ImapEngine, MissingUntaggedResponseSaysWhatDiffered) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, selecting(), log));
  const auto r = run(server, R"j({"imap": "SELECT INBOX", "expect": {"untagged": "* 5 EXISTS"}})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("SELECT: no untagged response matches '* 5 EXISTS': item 1: expected 5, found 3"));
}

TEST(ImapEngine, NotUntaggedFailsOnAForbiddenResponse) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) { return c.send("* 2 EXPUNGE\r\n" + cmd.tag + " OK done\r\n"); }, log));
  const auto r = run(server, R"j({"imap": "NOOP", "expect": {"not_untagged": "* $ EXPUNGE"}})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("unexpected untagged response * 2 EXPUNGE (matches '* $ EXPUNGE')"));
}

// --- literals --------------------------------------------------------------------------------------

// APPEND with one literal ending in CRLF: the server reads its octets and completes with APPENDUID.
struct AppendSeen {
  std::mutex mutex;
  bool early = false;  // octets arrived before the continuation request
  std::string literal;
};

TEST(ImapEngine, TaggedPatternBindsAppenduidForLaterSteps) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        if (cmd.verb != "APPEND") return false;
        const auto open = cmd.line.rfind('{');
        const std::size_t n = std::stoul(cmd.line.substr(open + 1));
        c.send("+ go ahead\r\n");
        read_octets(c, n);
        c.read_line(2s);  // the CRLF ending the command
        return c.send(cmd.tag + " OK [APPENDUID 42 7] appended\r\n");
      },
      log));
  const auto r = run(server, R"j({"append": {"mailbox": "INBOX", "raw": "Subject: hi\r\n\r\nbody\r\n"},
                                 "expect": {"tagged": "OK [APPENDUID $v $uid]"}},
                                {"imap": "UID FETCH ${uid} (FLAGS)"}, {"imap": "X-VALIDITY ${v}"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  const auto lines = log->lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "F002 UID FETCH 7 (FLAGS)");
  EXPECT_EQ(lines[2], "F003 X-VALIDITY 42");
}

TEST(ImapEngine, TaggedPatternMismatchFails) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting, [](RawConnection& c, const Command& cmd) { return c.send(cmd.tag + " OK no code\r\n"); }, log));
  const auto r = run(server, R"j({"imap": "NOOP", "expect": {"tagged": "OK [APPENDUID $v $uid]"}})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("tagged completion does not match 'OK [APPENDUID $v $uid]'"));
}

// A server that reads a synchronising literal after `delay`, noting whether octets came early.
Handler delayed_continuation(std::shared_ptr<AppendSeen> seen, std::chrono::milliseconds delay) {
  return [seen, delay](RawConnection& c, const Command& cmd) {
    if (cmd.verb != "APPEND") return false;
    const auto open = cmd.line.rfind('{');
    const std::size_t n = std::stoul(cmd.line.substr(open + 1));
    const bool early = !c.read_line(delay).empty();  // nothing may come before "+"
    c.send("+ ready for literal\r\n");
    const std::string octets = read_octets(c, n);
    c.read_line(2s);
    std::lock_guard lock(seen->mutex);
    seen->early = early;
    seen->literal = octets;
    return c.send(cmd.tag + " OK appended\r\n");
  };
}

TEST(ImapEngine, SynchronisingLiteralWaitsForTheContinuationRequest) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(imap_server(kGreeting, delayed_continuation(seen, 200ms), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"]})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 APPEND INBOX {7}"));
  std::lock_guard lock(seen->mutex);
  EXPECT_FALSE(seen->early) << "the literal was sent before the server's \"+\"";
  EXPECT_EQ(seen->literal, "Hello\r\n");
}

TEST(ImapEngine, SyncModeWaitsEvenWhenLiteralPlusIsAnnounced) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(
      imap_server("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n", delayed_continuation(seen, 200ms), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"], "literal_mode": "sync"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 APPEND INBOX {7}"));
  std::lock_guard lock(seen->mutex);
  EXPECT_FALSE(seen->early);
}

// A server that never sends "+": the literal must follow the command at once.
Handler no_continuation(std::shared_ptr<AppendSeen> seen) {
  return [seen](RawConnection& c, const Command& cmd) {
    if (cmd.verb != "APPEND") return false;
    const std::string octets = read_octets(c, 7);
    c.read_line(2s);
    std::lock_guard lock(seen->mutex);
    seen->literal = octets;
    return c.send(cmd.tag + " OK appended\r\n");
  };
}

TEST(ImapEngine, LiteralPlusIsSentAtOnceWhenAnnounced) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(imap_server("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n", no_continuation(seen), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"]})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 APPEND INBOX {7+}"));
  std::lock_guard lock(seen->mutex);
  EXPECT_EQ(seen->literal, "Hello\r\n");
}

TEST(ImapEngine, PlusModeIsSentAtOnceWithoutTheCapability) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(imap_server(kGreeting, no_continuation(seen), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"], "literal_mode": "plus"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 APPEND INBOX {7+}"));
}

// The server refuses the literal with a tagged NO instead of "+": the step sees NO, the octets are
// never sent, and the session goes on.
Handler refuse_literal(std::shared_ptr<AppendSeen> seen) {
  return [seen](RawConnection& c, const Command& cmd) {
    if (cmd.verb != "APPEND") return false;
    c.send(cmd.tag + " NO [TOOBIG] message too large\r\n");
    const std::string next = c.read_line(300ms);
    std::lock_guard lock(seen->mutex);
    seen->early = !next.empty() && next.rfind("F0", 0) != 0;  // anything but the next command
    if (!next.empty()) {
      const Command following = split(next);
      c.send(following.tag + " OK done\r\n");
    }
    return true;
  };
}

TEST(ImapEngine, RefusedSynchronisingLiteralEndsTheCommandWithNo) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(imap_server(kGreeting, refuse_literal(seen), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"],
                                 "expect": {"code": "NO", "tagged": "NO [TOOBIG]"}}, {"imap": "NOOP"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  std::lock_guard lock(seen->mutex);
  EXPECT_FALSE(seen->early) << "the literal was sent after a NO";
}

TEST(ImapEngine, RefusedLiteralFailsTheDefaultExpectation) {
  auto log = std::make_shared<Log>();
  auto seen = std::make_shared<AppendSeen>();
  RawServer server(imap_server(kGreeting, refuse_literal(seen), log));
  const auto r = run(server, R"j({"imap": "APPEND INBOX {}", "literals": ["Hello\r\n"]})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("APPEND: reply code NO is not acceptable"));
}

// --- IDLE -----------------------------------------------------------------------------------------

Handler idling(std::shared_ptr<Log> done_log) {
  return [done_log](RawConnection& c, const Command& cmd) {
    if (cmd.verb != "IDLE") return false;
    c.send("+ idling\r\n");
    std::this_thread::sleep_for(100ms);
    c.send("* 4 EXISTS\r\n");
    const std::string done = c.read_line(3s);
    done_log->add(split(done).line);
    return c.send("* 5 EXISTS\r\n" + cmd.tag + " OK IDLE terminated\r\n");
  };
}

TEST(ImapEngine, IdleExpectDone) {
  auto log = std::make_shared<Log>();
  auto done_log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, idling(done_log), log));
  // expect waits for the update sent 100 ms into IDLE; DONE's completion carries the later one only.
  const auto r = run(server, R"j({"idle": true}, {"expect": {"untagged": "* 4 EXISTS"}},
                                {"done": true, "expect": {"untagged": "* 5 EXISTS", "not_untagged": "* 4 EXISTS"}},
                                {"imap": "NOOP"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(done_log->lines(), ElementsAre("DONE"));
  EXPECT_THAT(log->lines(), ElementsAre("F001 IDLE", "F002 NOOP"));
}

TEST(ImapEngine, ExpectThatNeverComesFailsAtTheReplyDeadline) {
  auto log = std::make_shared<Log>();
  auto done_log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, idling(done_log), log));
  const auto start = std::chrono::steady_clock::now();
  const auto r = run(server, R"j({"idle": true}, {"expect": {"untagged": "* 9 EXISTS"}})j");
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("untagged responses: no untagged response matches '* 9 EXISTS'"));
  EXPECT_GE(ms, 950);
  EXPECT_LT(ms, 2500);
}

// --- authentication ----------------------------------------------------------------------------------

TEST(ImapEngine, LoginSendsThePasswordButTheTranscriptNeverShowsIt) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        if (cmd.verb != "LOGIN") return false;
        return c.send(cmd.tag + (cmd.rest == "\"alice\" \"s3cr3t-Pw\"" ? " OK logged in\r\n" : " NO wrong\r\n"));
      },
      log));
  const auto r = run(server, R"j({"login": {"user": "alice", "password": "s3cr3t-Pw"}}, {"imap": "NOOP"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_TRUE(transcript_has(r, "F001 LOGIN \"alice\" <redacted>")) << text_of(r);
  EXPECT_FALSE(transcript_has(r, "s3cr3t-Pw")) << text_of(r);
}

TEST(ImapEngine, PasswordEchoedByTheServerIsRedactedInTheTranscript) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        return cmd.verb == "LOGIN" && c.send(cmd.tag + " NO [AUTHENTICATIONFAILED] bad password s3cr3t-Pw\r\n");
      },
      log));
  const auto r = run(server, R"j({"login": {"user": "alice", "password": "s3cr3t-Pw"}})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_FALSE(transcript_has(r, "s3cr3t-Pw")) << text_of(r);
  EXPECT_TRUE(transcript_has(r, "bad password <redacted>")) << text_of(r);
}

// The CaseResult's message / expected / actual are not scrubbed of secrets: the server's text goes
// into `actual` as it came (reply.summary()), so a server that echoes the password puts it in the
// report. Reported to the lead (the fix belongs in CaseRun::finish or CaseRun::verify, outside the
// files of this change). Enable once the verdict's fields are redacted like the transcript.
TEST(ImapEngine, PasswordEchoedByTheServerNeverReachesTheVerdict) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(
      kGreeting,
      [](RawConnection& c, const Command& cmd) {
        return cmd.verb == "LOGIN" && c.send(cmd.tag + " NO [AUTHENTICATIONFAILED] bad password s3cr3t-Pw\r\n");
      },
      log));
  const auto r = run(server, R"j({"login": {"user": "alice", "password": "s3cr3t-Pw"}})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, ::testing::Not(HasSubstr("s3cr3t-Pw")));
  EXPECT_THAT(r.expected, ::testing::Not(HasSubstr("s3cr3t-Pw")));
  EXPECT_THAT(r.actual, ::testing::Not(HasSubstr("s3cr3t-Pw")));
}

// AUTHENTICATE PLAIN: "\0alice\0pw-123" is AGFsaWNlAHB3LTEyMw== (RFC 4616).
const char* const kPlainB64 = "AGFsaWNlAHB3LTEyMw==";

Handler plain_auth(std::shared_ptr<Log> responses) {
  return [responses](RawConnection& c, const Command& cmd) {
    if (cmd.verb != "AUTHENTICATE") return false;
    if (cmd.rest == "PLAIN") {  // no initial response: an empty challenge asks for it
      c.send("+ \r\n");
      const Command answer = split(c.read_line(2s));
      responses->add(answer.line);
      return c.send(cmd.tag + (answer.line == kPlainB64 ? " OK authenticated\r\n" : " NO bad\r\n"));
    }
    return c.send(cmd.tag + (cmd.rest == std::string("PLAIN ") + kPlainB64 ? " OK authenticated\r\n" : " NO bad\r\n"));
  };
}

TEST(ImapEngine, AuthenticatePlainWithSaslIrSendsTheInitialResponseOnTheCommandLine) {
  auto log = std::make_shared<Log>();
  auto responses = std::make_shared<Log>();
  RawServer server(imap_server("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n", plain_auth(responses), log));
  const auto r = run(server, R"j({"auth": {"mechanism": "PLAIN", "user": "alice", "password": "pw-123"}})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre(std::string("F001 AUTHENTICATE PLAIN ") + kPlainB64));
  EXPECT_TRUE(responses->lines().empty());
  EXPECT_TRUE(transcript_has(r, "F001 AUTHENTICATE PLAIN <redacted>")) << text_of(r);
  EXPECT_FALSE(transcript_has(r, kPlainB64)) << text_of(r);
  EXPECT_FALSE(transcript_has(r, "pw-123")) << text_of(r);
}

TEST(ImapEngine, AuthenticatePlainWithoutSaslIrAnswersTheEmptyChallenge) {
  auto log = std::make_shared<Log>();
  auto responses = std::make_shared<Log>();
  RawServer server(imap_server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n", plain_auth(responses), log));
  const auto r = run(server, R"j({"auth": {"mechanism": "PLAIN", "user": "alice", "password": "pw-123"}})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
  EXPECT_THAT(log->lines(), ElementsAre("F001 AUTHENTICATE PLAIN"));
  EXPECT_THAT(responses->lines(), ElementsAre(kPlainB64));
  EXPECT_TRUE(transcript_has(r, "<redacted SASL response>")) << text_of(r);
  EXPECT_FALSE(transcript_has(r, kPlainB64)) << text_of(r);
}

TEST(ImapEngine, AuthenticateWithAnUnannouncedMechanismIsSkipped) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server("* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] ready\r\n",
                               [](RawConnection&, const Command&) { return false; }, log));
  const auto r = run(server, R"j({"auth": {"mechanism": "PLAIN", "user": "alice", "password": "pw-123"}})j");
  EXPECT_EQ(r.outcome, Outcome::skip) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("does not announce AUTH=PLAIN"));
  EXPECT_TRUE(log->lines().empty());
}

// --- STARTTLS ---------------------------------------------------------------------------------------

// Says OK to STARTTLS, then answers the ClientHello with plain text and waits for the client to go.
Handler fake_starttls() {
  return [](RawConnection& c, const Command& cmd) {
    if (cmd.verb == "CAPABILITY") return c.send("* CAPABILITY IMAP4rev1 STARTTLS\r\n" + cmd.tag + " OK done\r\n");
    if (cmd.verb != "STARTTLS") return false;
    c.send(cmd.tag + " OK begin TLS now\r\n");
    std::this_thread::sleep_for(100ms);  // the ClientHello arrives meanwhile
    c.send("* BAD this is not TLS\r\n");
    c.wait_closed(2s);  // the ClientHello is read and dropped
    return true;
  };
}

TEST(ImapEngine, StarttlsStepAgainstAServerThatCannotFails) {
  // The server said OK, so a failed handshake is the server's fault: fail, not error.
  auto log = std::make_shared<Log>();
  RawServer server(imap_server("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", fake_starttls(), log));
  const auto r = run(server, R"j({"starttls": true}, {"imap": "NOOP"})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("TLS handshake failed"));
  EXPECT_THAT(log->lines(), ElementsAre("F001 STARTTLS"));  // never a command in plain text after it
}

TEST(ImapEngine, StarttlsOptionAgainstAServerThatCannotIsAnError) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, fake_starttls(), log));
  const auto r = run(server, R"j({"imap": "NOOP"})j", true);
  EXPECT_EQ(r.outcome, Outcome::error) << text_of(r);
  EXPECT_EQ(r.message.rfind("tls:", 0), 0u) << r.message;
  EXPECT_THAT(log->lines(), ElementsAre("F001 CAPABILITY", "F002 STARTTLS"));
}

TEST(ImapEngine, StarttlsOptionAgainstAServerWithoutStarttlsIsAnError) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, [](RawConnection&, const Command&) { return false; }, log));
  const auto r = run(server, R"j({"imap": "NOOP"})j", true);
  EXPECT_EQ(r.outcome, Outcome::error) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("tls: --starttls was asked for, but the server does not announce STARTTLS"));
}

// --- invariants ---------------------------------------------------------------------------------------

TEST(ImapEngine, UidvalidityChangeBetweenTwoSelectsIsAnInvariantViolation) {
  auto log = std::make_shared<Log>();
  auto selects = std::make_shared<int>(0);
  RawServer server(imap_server(
      kGreeting,
      [selects](RawConnection& c, const Command& cmd) {
        if (cmd.verb != "SELECT") return false;
        return c.send(select_reply(cmd.tag, ++*selects == 1 ? 42 : 43));
      },
      log));
  const auto r = run(server, R"j({"imap": "SELECT INBOX"}, {"imap": "SELECT INBOX"})j");
  EXPECT_EQ(r.outcome, Outcome::fail) << text_of(r);
  EXPECT_THAT(r.message, HasSubstr("IMAP invariant imap.uidvalidity-stable"));
}

TEST(ImapEngine, SameUidvalidityAfterAReselectPasses) {
  auto log = std::make_shared<Log>();
  RawServer server(imap_server(kGreeting, selecting(), log));
  const auto r = run(server, R"j({"imap": "SELECT INBOX"}, {"imap": "SELECT INBOX"})j");
  EXPECT_EQ(r.outcome, Outcome::pass) << text_of(r);
}

}  // namespace
}  // namespace facteur
