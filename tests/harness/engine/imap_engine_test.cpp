// The IMAP dialect of the engine against small well-behaved servers scripted on a RawServer: tags
// and completions, untagged responses gathered per command, literals (synchronising, LITERAL+,
// refused), async commands and IDLE. Authentication, STARTTLS and invariants: imap_engine_auth_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/engine/imap_engine_test_support.hpp"

namespace facteur::imap_engine_test {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

}  // namespace
}  // namespace facteur::imap_engine_test
