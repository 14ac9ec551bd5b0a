// The IMAP dialect on the engine: tags, literals, untagged responses gathered per command, IDLE,
// SASL, STARTTLS, and the invariants every IMAP session must keep (harness/imap/invariants.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

// Reads and checks the greeting (* OK / * PREAUTH); --starttls upgrades the session after it.
boost::asio::awaitable<void> imap_greeting(CaseRun& run, const scenario::Step& step, Session& s);
boost::asio::awaitable<void> run_imap_step(CaseRun& run, const scenario::Step& step);

// The fixture step: empties a mailbox and APPENDs the fixture messages to it over IMAP, in a
// session of its own named "fixture" (so POP3 cases start from a known maildrop on any server
// that also speaks IMAP).
boost::asio::awaitable<void> run_fixture(CaseRun& run, const scenario::Step& step);

}  // namespace facteur::engine
