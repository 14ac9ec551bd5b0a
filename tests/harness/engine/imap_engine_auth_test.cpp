// The IMAP dialect's authentication, STARTTLS and invariant checks against scripted servers: LOGIN and
// AUTHENTICATE with their secrets kept out of transcripts and verdicts, STARTTLS against a server that
// cannot, and a UIDVALIDITY change between two SELECTs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/engine/imap_engine_test_support.hpp"

namespace facteur::imap_engine_test {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;

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
}  // namespace facteur::imap_engine_test
