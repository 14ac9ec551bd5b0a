// The SMTP dialect on the engine: framing (reply parser) and the SMTP actions of a scenario
// (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, BDAT, pipelined groups, QUIT).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

boost::asio::awaitable<void> run_smtp_step(CaseRun& run, const scenario::Step& step);

// --starttls: EHLO, STARTTLS and the handshake right after the greeting; the scenario goes on over
// TLS (its own EHLO starts the TLS session's state). A server without STARTTLS is an error.
boost::asio::awaitable<void> upgrade_session(CaseRun& run, const scenario::Step& step, Session& s);

// Parses one SMTP reply off the front of `buffer`: complete (consumed set), need more, or an error.
struct FramedReply {
  enum class Status { complete, need_more, error } status = Status::need_more;
  std::size_t consumed = 0;
  ReplyFacts facts;
  std::string error;
};
FramedReply frame_smtp_reply(std::string_view buffer, const smtp::ReplyLimits& limits);

}  // namespace facteur::engine
