// A scenario, as loaded and checked from its JSON file (format v1, scenarios/schema/).
// The same scenario drives a conformance case, a load workload and the seeds of network fuzzing.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "harness/core/target_url.hpp"
#include "harness/scenario/http_request.hpp"
#include "harness/scenario/ftp_transfer.hpp"
#include "harness/scenario/message_builder.hpp"
#include "harness/scenario/template.hpp"

namespace facteur::scenario {

inline constexpr int kFormatVersion = 1;

enum class Level { must, should, may };
const char* to_string(Level);

struct SpecRef {
  std::string rfc;
  std::string section;
  Level level = Level::must;
};

// A regular expression with the text it came from (for messages and reports).
struct Pattern {
  std::string source;
  std::regex re;
};

// One acceptable outcome of reading a reply. Every field that is set must hold.
struct Expectation {
  std::vector<std::string> codes;      // "250", "2xx", "25x", "+OK"; empty = any status
  std::vector<std::string> enhanced;   // "5.1.1", "5.x.x"; "none" = must have no enhanced code
  std::optional<Pattern> text;         // searched in the reply text (all lines joined by '\n')
  std::vector<std::string> present;    // capabilities that must be announced (EHLO keywords)
  std::vector<std::string> absent;     // capabilities that must not be announced
  std::optional<bool> multiline;       // the reply must (not) span several lines
  bool closed = false;                 // the server closes the connection instead of replying
  std::map<std::string, Pattern> capture;  // variable ← first group (or whole match) of the pattern
  // IMAP (imaptest-style patterns as on the wire, templates expanded first; harness/imap/pattern.hpp)
  std::vector<std::string> untagged;   // each must match a distinct untagged response
  std::vector<std::string> not_untagged;  // none may match any untagged response
  bool ordered = false;                // `untagged` must match in this order
  std::string tagged;                  // pattern for the tagged completion ("OK [APPENDUID $v $uid]")
  // POP3 multi-line bodies
  std::vector<Pattern> lines;          // each must match (search) some body line
  std::vector<Pattern> not_lines;      // no body line may match
  std::optional<int> line_count;       // number of body lines
  // HTTP response fields: each named field must have a value matching its pattern; none of
  // `absent_headers` may be present (names ASCII case-insensitive)
  std::vector<std::pair<std::string, Pattern>> headers;
  std::vector<std::string> absent_headers;
  std::string pointer;                 // JSON pointer of this expectation, for messages

  std::string describe() const;        // "250 or 251, text ~ /Ok/"
};

// The reply must match one of these (an `expect` array lists acceptable outcomes).
struct ExpectSet {
  std::vector<Expectation> any_of;
  std::string describe() const;
};

// Checks on a message found in a mailbox (lab's Maildir).
struct MailboxCheck {
  std::string maildir;                 // template
  std::string match;                   // template: a string the delivered message must contain
  int timeout_ms = 5000;
  std::vector<std::string> contains;   // templates; compared with line endings normalised to LF
  std::vector<std::string> not_contains;
};

enum class StepKind {
  connect, send, raw, expect, silence, close, sleep, loop, set, drain,  // protocol-neutral
  ehlo, helo, starttls, auth, mail, rcpt, data, bdat, pipeline, quit,  // SMTP actions (starttls,
                                                                      // auth, quit: IMAP/POP3 too)
  imap, await_tag, append, idle, done, login, logout,           // IMAP actions (login: POP3 too)
  pop3,                                                         // POP3 command
  http,                                                         // HTTP request
  ftp,                                                          // FTP command with a data transfer
  mailbox, fixture,                                             // lab checks and set-up
};
const char* to_string(StepKind);

struct Step {
  StepKind kind = StepKind::send;
  std::string session = "main";
  std::string pointer;                  // JSON pointer of the step, for messages
  std::string text;                     // send/raw bytes, ehlo/helo domain, mail/rcpt address, url
  std::vector<std::string> params;      // mail/rcpt parameters (SIZE=…), pipeline lines
  std::optional<ExpectSet> expect;      // final reply; defaults per kind when absent
  std::optional<ExpectSet> expect_intermediate;  // DATA's 354 / STARTTLS before the handshake
  std::vector<std::optional<ExpectSet>> pipeline_expect;  // one per pipelined line
  int replies = 1;                      // raw: how many replies to read afterwards; drain: at least
  int ms = 0;                           // sleep / silence duration; drain: quiet period
  int count = 1;                        // loop; drain: at most this many replies
  std::vector<Step> steps;              // loop body
  std::map<std::string, std::string> assignments;  // set
  // auth
  std::string mechanism, user, password;
  bool initial_response = true;
  bool cancel = false;
  // starttls / connect
  bool required = true;                 // STARTTLS failure ends the session (never fall back)
  bool if_offered = false;              // skip STARTTLS silently when the server has no STARTTLS
  std::vector<std::string> after_starttls;  // plaintext lines pipelined behind STARTTLS (RFC 3207 §4.2 check)
  // data / bdat
  std::optional<MessageSpec> message;
  std::string raw_body;                 // data: octets sent as they are after 354 (no stuffing)
  bool has_raw_body = false;
  std::size_t chunk_size = 0;           // bdat
  std::string capture_message_id;       // variable to receive the generated Message-ID
  std::optional<MailboxCheck> mailbox;
  // imap / append / idle / await
  std::string tag;                      // a label for an async command, used by "await"
  bool async = false;                   // send without waiting for the tagged completion
  std::vector<std::string> literals;    // templates replacing each "{}" of an imap command, sent as literals
  std::string literal_mode = "auto";    // sync | plus | minus | auto (LITERAL+ / LITERAL- when announced)
  std::string date;                     // append: INTERNALDATE template
  // pop3
  std::optional<bool> multiline;        // pop3: override the command's default
  bool apop = false;                    // login: APOP instead of USER/PASS
  // fixture: messages (their octets, loaded with the scenario) put into `text` (mailbox) of `user`
  std::vector<std::string> fixture_files;
  std::string url;                      // fixture: the IMAP URL the messages are put in through
  std::optional<HttpRequest> http;      // http: the request's options
  // ftp: the data transfer's options (and starttls's protect)
  std::optional<FtpTransfer> ftp;
};

struct Scenario {
  std::string file;                     // path it was loaded from
  std::string id;
  std::string title;
  std::string description;
  Protocol protocol = Protocol::smtp;
  std::vector<SpecRef> spec;
  std::vector<std::string> tags;
  std::vector<std::string> requires_;   // capabilities (EHLO keywords, "AUTH=PLAIN", "var:name", "tls")
  Vars vars;                            // defaults; the command line overrides them
  std::map<std::string, std::string> sessions;  // name → URL template ("" = the target)
  std::map<std::string, Protocol> session_protocols;  // name → protocol of its steps
  std::vector<Step> steps;
  int timeout_ms = 0;                   // whole-case deadline; 0 = the run's default
  bool serial = false;                  // never run beside another serial case (shared mailbox state)
  std::string load;                     // the "load" object as JSON text (facteur load reads it), or ""

  Level level() const;                  // strongest level of the spec refs
  // True when every step is one that means the same on every protocol (connect, close, sleep,
  // silence, drain, set, loops of those): such a scenario (a TLS handshake workload) runs against
  // any target, whatever its `protocol`.
  bool protocol_neutral() const;
};

}  // namespace facteur::scenario
