// FTP data transfers (the "ftp" step, s4-format.md): the data connection in passive (PASV, EPSV)
// or active (PORT, EPRT) mode, TLS on it under PROT P resuming the control connection's session
// (RFC 4217 §9-10), uploads and downloads streamed in fixed-size chunks with SHA-256 and seeded
// content checked on the fly, TYPE A conversion, REST offsets, and ABOR as urgent data.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

boost::asio::awaitable<void> run_ftp_transfer(CaseRun& run, const scenario::Step& step, Session& s);

}  // namespace facteur::engine
