// What an FTP session has agreed so far, learnt from each command and the reply it got: the
// representation type (RFC 959 §3.1.1, default ASCII), the data channel protection (RFC 2228 §3,
// RFC 4217 §9: PBSZ then PROT), a restart marker waiting for the next transfer (RFC 3659 §5), and
// EPSV ALL (RFC 2428 §4). Pure: the engine feeds it commands and replies.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/ftp/reply.hpp"

namespace facteur::ftp {

struct SessionState {
  char type = 'A';                      // 'A' or 'I' (TYPE L 8 counts as 'I')
  bool pbsz = false;                    // PBSZ accepted
  bool prot_private = false;            // PROT P in force
  bool tls = false;                     // the control connection is under TLS (AUTH TLS or implicit)
  std::optional<std::uint64_t> rest;    // REST n answered 350, not yet used
  bool epsv_all = false;                // EPSV ALL accepted: only EPSV from now on
  bool logged_in = false;               // 230 seen

  // Updates the state from one command (as sent, without CRLF) and its reply.
  void observe(std::string_view command, const Reply& reply);
  // A transfer command (RETR, STOR, …) used the restart marker.
  void transfer_started() { rest.reset(); }
};

}  // namespace facteur::ftp
