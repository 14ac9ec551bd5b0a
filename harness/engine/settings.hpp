// What a run gives every case: the target, variables, TLS context, deadlines and limits.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "harness/core/target_url.hpp"
#include "harness/net/connection.hpp"
#include "harness/scenario/template.hpp"
#include "harness/imap/response.hpp"
#include "harness/pop3/response.hpp"
#include "harness/smtp/reply.hpp"

namespace facteur::engine {

// Told how long every step of a case took (a load run records these into histograms). The metric is
// "<protocol>.<step>": smtp.connect, smtp.tls, smtp.ehlo, smtp.mail, smtp.data, imap.select,
// pop3.retr (the command word for imap, pop3, send and raw steps). Called on the case's thread.
struct StepObserver {
  virtual ~StepObserver() = default;
  virtual void on_step(const std::string& metric, std::chrono::steady_clock::duration took, bool failed) = 0;
};

// TLS sessions kept from one case to the next, by host:port (facteur load --tls-resume): a new
// connection offers the last session its VU got from that server, so handshakes can be resumed.
// One per VU: used from one thread only.
struct TlsSessionCache {
  std::map<std::string, net::TlsSession> sessions;
};

struct RunSettings {
  TargetUrl target;
  scenario::Vars vars;                 // --vars files and --var, over the scenario's defaults
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds reply_timeout{10000};
  std::chrono::milliseconds case_timeout{60000};
  bool strict = false;                 // SHOULD/MAY cases fail instead of warn
  bool keep_transcripts = false;       // keep transcripts of passing cases too
  bool starttls = false;               // --starttls: upgrade every session right after EHLO
  smtp::ReplyLimits limits;
  // What one IMAP response or POP3 body may hold: a session buffers at most this much, so a hostile
  // server cannot make facteur's memory grow past it (a 4 GiB literal is refused on sight).
  imap::Limits imap_limits{64 * 1024, 64 * 1024 * 1024, 80 * 1024 * 1024, 64, 1'000'000};
  pop3::Limits pop3_limits{64 * 1024, 64 * 1024 * 1024, 100'000};
  std::size_t max_untagged = 100'000;  // IMAP untagged responses kept for one command
  std::size_t max_read = 16 * 1024;    // octets per read
  std::uint64_t seed = 1;              // templates and generated messages
  StepObserver* observer = nullptr;    // not owned; null outside load runs
  std::string record_dir;              // --record: where each session's received octets go ("" = off)
  std::shared_ptr<TlsSessionCache> tls_sessions;  // null: every TLS connection does a full handshake
};

// What the target announced when probed (EHLO keywords before and after STARTTLS, upper-case,
// "AUTH=PLAIN" style for parameters), used to skip cases whose requirements are missing.
struct Capabilities {
  bool probed = false;
  std::set<std::string> items;
  bool has(const std::string& item) const;
};

}  // namespace facteur::engine
