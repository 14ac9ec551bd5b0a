// One IMAP session on the engine: tags, the responses gathered for each command, literals, the
// capabilities last announced and the session's invariants. Used by imap_steps.cpp.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"
#include "harness/imap/invariants.hpp"
#include "harness/imap/response.hpp"

namespace facteur::engine {

struct ImapState : DialectState {
  int next_tag = 1;
  std::set<std::string> caps;                  // upper-case, from the latest CAPABILITY
  bool caps_known = false;
  imap::SessionInvariants invariants;
  std::vector<imap::Response> untagged;        // received since the last completion
  std::map<std::string, std::string> async_tags;      // scenario label → tag on the wire
  std::map<std::string, ReplyFacts> early;     // completions that arrived while waiting for another tag
  std::string idle_tag;                        // the IDLE command in progress

  std::string new_tag();
  bool has(const std::string& capability) const;
  void forget_capabilities();
  void learn(const imap::Response& r);         // CAPABILITY data or [CAPABILITY …] code
};

ImapState& imap_state(Session& s);

// A tagged completion with the untagged responses gathered before it.
ReplyFacts completion(ImapState& st, imap::Response tagged);
// Keeps a completion that arrived while the session waited for another tag.
void remember_early(ImapState& st, imap::Response tagged);

// Reads one response (nullopt when the server closed the connection). Checks it against the
// session's invariants: a violation fails the case.
boost::asio::awaitable<std::optional<imap::Response>> imap_read(CaseRun& run, Session& s, const char* what);
// Takes every response already received (waiting for one before `deadline` when there is none);
// false when none came (or the server closed).
boost::asio::awaitable<bool> imap_wait(CaseRun& run, Session& s, net::Deadline deadline);

// Sends `command` under a new tag: "{}" in it are replaced by `literals`, sent synchronising or
// non-synchronising per the step's literal_mode and the server's LITERAL+/LITERAL-. Returns the tag.
// When the server refuses a synchronising literal, the completion is kept for imap_complete.
boost::asio::awaitable<std::string> imap_send_command(CaseRun& run, const scenario::Step& step, Session& s,
                                                      const std::string& command,
                                                      const std::vector<std::string>* literals,
                                                      std::string_view label = {});
// Reads until the completion of `tag` (untagged responses are gathered into it).
boost::asio::awaitable<ReplyFacts> imap_complete(CaseRun& run, const scenario::Step& step, Session& s,
                                                 const std::string& tag);
// Both of the above.
boost::asio::awaitable<ReplyFacts> imap_command(CaseRun& run, const scenario::Step& step, Session& s,
                                                const std::string& command,
                                                const std::vector<std::string>* literals = nullptr);
// After raw bytes: reads until any tagged completion or a continuation request.
boost::asio::awaitable<ReplyFacts> imap_until_any_completion(CaseRun& run, Session& s);

}  // namespace facteur::engine
