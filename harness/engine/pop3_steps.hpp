// The POP3 dialect on the engine: single and multi-line responses, USER/PASS and APOP, SASL
// (RFC 5034), STLS (RFC 2595), and the maildrop invariants (harness/pop3/maildrop.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

boost::asio::awaitable<void> pop3_greeting(CaseRun& run, const scenario::Step& step, Session& s);
boost::asio::awaitable<void> run_pop3_step(CaseRun& run, const scenario::Step& step);

}  // namespace facteur::engine
