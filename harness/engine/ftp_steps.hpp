// The FTP dialect on the engine: control-connection replies framed by harness/ftp (RFC 959 §4.2),
// the greeting (120 then 220), USER/PASS, AUTH TLS with PBSZ/PROT (RFC 4217), CCC back to clear
// text (RFC 4217 §5), QUIT, send/raw/expect, and the session state (TYPE, PROT, REST, EPSV ALL)
// the data transfers (ftp_data.hpp) rely on.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"
#include "harness/ftp/reply.hpp"
#include "harness/ftp/session_state.hpp"

namespace facteur::engine {

struct FtpSession : DialectState {
  ftp::SessionState state;
  // The TLS session the next data connection offers. Under TLS 1.3 a ticket may be single-use
  // (vsftpd refuses a second resumption with the same one), so each data connection resumes with
  // the newest ticket of the control connection's session: the control's own at first, then the
  // one the server sent on the previous data connection (a resumption of it).
  net::TlsSession data_session;
  // The control connection's TLS session once CCC has cleared it (RFC 4217 §5): PROT P data
  // connections still resume it.
  net::TlsSession cleared_session;
};
FtpSession& ftp_session(Session& s);

ReplyFacts ftp_facts(const ftp::Reply& reply);
// One reply before `deadline`; nullopt when the server closed the connection first. A deadline
// that passes fails the case ("no <what> within N ms"), unless `timeout_ok` (then nullopt too,
// with `*timed_out` set).
boost::asio::awaitable<std::optional<ftp::Reply>> read_ftp_reply(CaseRun& run, Session& s, const char* what,
                                                                 net::Deadline deadline, bool timeout_ok = false,
                                                                 bool* timed_out = nullptr);
// Sends one command line (CRLF added) and reads its reply, updating the session state.
// `shown` replaces the line in the transcript when given (a password).
boost::asio::awaitable<ReplyFacts> ftp_exchange(CaseRun& run, Session& s, std::string command,
                                                std::string shown = {});

boost::asio::awaitable<void> ftp_greeting(CaseRun& run, const scenario::Step& step, Session& s);
boost::asio::awaitable<void> run_ftp_step(CaseRun& run, const scenario::Step& step);

}  // namespace facteur::engine
