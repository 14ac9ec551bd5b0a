// A scripted IMAP server for the engine's IMAP tests (imap_engine_test.cpp, imap_engine_auth_test.cpp):
// each command line is split into tag, verb and rest and given to a handler; what it saw is logged.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/outcome_printer.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"
#include "tests/support/server_log.hpp"

namespace facteur::imap_engine_test {
using namespace std::chrono_literals;
using report::Outcome;
using testing::RawConnection;
using testing::RawServer;
using Log = testing::ServerLog;

// --- a scripted IMAP server ----------------------------------------------------------------------


struct Command {
  std::string line;  // as received, without CRLF
  std::string tag;
  std::string verb;  // upper-case
  std::string rest;  // after the verb
};

inline Command split(std::string line) {
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
inline std::string read_octets(RawConnection& c, std::size_t n) {
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
inline RawServer::Script imap_server(std::string greeting, Handler handle, std::shared_ptr<Log> log) {
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

inline const char* const kGreeting = "* OK [CAPABILITY IMAP4rev1] ready\r\n";

inline std::string scenario(const std::string& steps) {
  return R"j({"facteur": 1, "id": "test/imap-engine", "title": "engine mechanics", "protocol": "imap",
             "spec": [{"rfc": "9051", "section": "2.2.2", "level": "MUST"}],
             "steps": [{"connect": {}}, )j" +
         steps + "]}";
}

inline report::CaseResult run(RawServer& server, const std::string& steps, bool starttls = false) {
  auto settings = testing::local_settings("imap", server.port());
  settings.keep_transcripts = true;
  settings.reply_timeout = 1000ms;
  settings.starttls = starttls;
  return testing::run_case_sync(testing::inline_scenario(scenario(steps)), settings);
}

// SELECT's untagged responses, in the order a server typically sends them.
inline std::string select_reply(const std::string& tag, int uidvalidity = 42) {
  return "* FLAGS (\\Answered \\Seen \\Deleted)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY " + std::to_string(uidvalidity) +
         "] UIDs valid\r\n* OK [UIDNEXT 4] predicted\r\n" + tag + " OK [READ-WRITE] selected\r\n";
}

// Answers SELECT (with the given UIDVALIDITY) and X-ECHO (OK only for the argument "42-3").
inline Handler selecting(int uidvalidity = 42) {
  return [uidvalidity](RawConnection& c, const Command& cmd) {
    if (cmd.verb == "SELECT") return c.send(select_reply(cmd.tag, uidvalidity));
    if (cmd.verb == "X-ECHO") return c.send(cmd.tag + (cmd.rest == "42-3" ? " OK echoed\r\n" : " BAD wrong\r\n"));
    return false;
  };
}

}  // namespace facteur::imap_engine_test
