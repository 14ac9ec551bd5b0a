// What the fake SMTP server does: its correct behaviour (users, limits, extensions, which port it
// plays) and the misbehaviours a negative test switches on, one named flag each.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace facteur::test {

// Which lab port the fake plays (lab/conf/postfix/master.cf).
enum class FakeSmtpMode {
  mta,          // port 25 style: STARTTLS offered, AUTH after TLS, mail to local users without AUTH
  submission,   // RFC 6409: TLS before MAIL or AUTH (530 5.7.0), MAIL only after AUTH
  implicit_tls, // RFC 8314: TLS from the first octet, then as submission
};

// Replaces the server's reply to one command. `verb` is the upper-case command verb, or one of
// the pseudo-verbs GREETING, DATA-END (the reply after the end-of-data dot), BDAT (the reply after
// a chunk; a BDAT rule never stops the chunk from being read), BDAT-LAST, AUTH-END (the final
// reply of a SASL exchange).
struct ReplyRule {
  enum class Action {
    replace,  // send `reply` instead ("\n" separates lines; CRLFs are added)
    silent,   // never answer (the client's reply deadline must fire)
    close,    // close the connection instead of answering
  };
  std::string verb;
  Action action = Action::replace;
  std::string reply;
  std::string when_arg_contains;  // only when the command's argument contains this ("" = always)
  std::string when_arg_is;        // only when the argument is exactly this, ignoring case
};
// On a command verb the rule answers instead of the command, which is not run; on a pseudo-verb
// the action has happened (the message is delivered, the client authenticated) and only the
// reply changes.

// One switch per misbehaviour; everything false/empty/zero is the correct server.
struct Misbehaviour {
  // Greeting and connection.
  bool no_greeting = false;            // accept the connection, never greet
  int greeting_code = 220;             // e.g. 554 ("no service here")
  bool close_after_greeting = false;   // greet, then close at once

  // Reply framing.
  bool no_enhanced_codes = false;      // drop RFC 2034 codes from every reply
  bool enhanced_only_after_ehlo = false;  // …from replies sent before EHLO
  bool bare_lf_replies = false;        // end reply lines with LF instead of CRLF
  bool multiline_code_changes = false; // multi-line replies switch code mid-reply (250-… / 251-… / 250 …)
  bool multiline_last_dash = false;    // the last line of a multi-line reply also carries '-'

  // Command parsing.
  bool case_sensitive_commands = false;  // verbs not in upper case are "not recognized"
  bool unknown_commands_accepted = false;// unknown verbs answered 250
  std::size_t command_line_limit = 0;    // longer lines refused (0: the correct 4096)
  bool split_long_commands = false;      // …or cut into pieces, each answered as a command
  bool discard_pipelined = false;        // input behind each command thrown away (no PIPELINING)

  // EHLO.
  std::vector<std::string> ehlo_omit;  // keywords left out of the EHLO reply
  bool starttls_after_tls = false;     // STARTTLS still announced (and answered 220) inside TLS
  bool auth_before_tls = false;        // AUTH announced and accepted in plain text
  bool rejected_ehlo_resets = false;   // an EHLO refused for its syntax still resets the session

  // STARTTLS (RFC 3207 §4.2).
  bool starttls_answers_pipelined = false;  // commands pipelined behind STARTTLS answered after the handshake
  bool starttls_answers_early = false;      // …answered in plain text right behind the 220
  bool starttls_keeps_state = false;        // EHLO, AUTH and the transaction survive the handshake
  bool starttls_refused = false;            // STARTTLS announced but answered 454 4.7.0
  bool starttls_no_handshake = false;       // 220, then the session goes on in plain text

  // Transaction order and checks (RFC 5321 §4.1.4, §3.3).
  bool mail_without_helo = false;      // MAIL accepted before HELO/EHLO
  bool nested_mail = false;            // a second MAIL inside a transaction accepted
  bool rcpt_without_mail = false;      // RCPT accepted before MAIL
  bool data_without_rcpt = false;      // DATA answered 354 without a recipient
  bool rset_keeps_transaction = false; // RSET answers 250 but keeps MAIL/RCPT
  bool rset_breaks_mail = false;       // after RSET, MAIL is refused for the rest of the session
  bool helo_keeps_transaction = false; // EHLO/HELO answer 250 but keep MAIL/RCPT
  bool quit_keeps_open = false;        // 221, then the connection stays open
  bool accept_unknown_users = false;   // unknown local recipients accepted (no 550 5.1.1)
  bool refused_rcpt_drops_transaction = false;  // a refused RCPT ends the whole transaction
  bool last_rcpt_only = false;         // each RCPT replaces the previous recipients
  bool open_relay = false;             // remote recipients accepted without AUTH
  bool no_relay_after_auth = false;    // remote recipients refused even after AUTH
  bool reject_postmaster = false;      // postmaster refused (RFC 5321 §4.5.1)
  std::size_t recipient_limit = 0;     // RCPTs per transaction (0: the correct 1000)
  int recipient_limit_code = 452;      // …and the reply past it (RFC 5321 §4.5.3.1.10: 452)
  bool size_ignored = false;           // SIZE= over the limit accepted, and oversized messages too
  bool dsn_unchecked = false;          // any NOTIFY / RET value, and repeated parameters, accepted
  bool no_success_dsn = false;         // NOTIFY=SUCCESS accepted, no delivery report sent
  bool success_dsn_with_sender = false;// the delivery report has a non-null Return-Path
  bool unknown_params_accepted = false;// MAIL/RCPT parameters nobody announced accepted
  bool bad_syntax_accepted = false;    // MAIL FROM / RCPT TO paths that are no addresses accepted
  bool submission_open = false;        // submission/implicit TLS accept MAIL without AUTH

  // DATA and BDAT content (RFC 5321 §4.5.2, RFC 3030) and delivery.
  enum class Dots { unstuff, keep_stuffing, drop_leading } dots = Dots::unstuff;
  bool bare_lf_ends_data = false;      // <LF>.<LF> ends DATA (SMTP smuggling)
  std::size_t data_line_reply = 0;     // a text line longer than this gets its own 500 reply (0: off)
  std::size_t truncate_lines = 0;      // delivered lines cut to this many octets (0: off)
  bool append_blank_line = false;      // an empty line added at the end of the message
  bool mangle_8bit = false;            // octets over 127 delivered as '?'
  bool lose_messages = false;          // 250 after the dot, nothing delivered
  bool no_return_path = false;         // delivered without Return-Path
  bool no_received = false;            // delivered without a Received trace header
  bool received_without_auth = false;  // Received says ESMTP(S) after AUTH (RFC 3848 wants …A)
  bool bdat_then_data = false;         // DATA accepted after BDAT in one transaction
  bool bdat_unstuffs = false;          // BDAT chunks dot-unstuffed like DATA
  bool bdat_refusal_keeps_octets = false;  // a refused BDAT's chunk is read as commands
  bool bdat_counts_wrong = false;      // BDAT reads one octet less than announced

  // AUTH (RFC 4954).
  bool auth_any_password = false;      // wrong passwords accepted
  bool auth_twice = false;             // a second AUTH is run instead of 503
  bool auth_in_transaction = false;    // AUTH run inside a mail transaction instead of 503
  bool auth_cancel_ignored = false;    // "*" treated as a (failed) response: 535 instead of 501
  bool auth_bad_base64_accepted = false;  // invalid base64 answered like a wrong password (535)
  bool scram_bad_server_signature = false;  // SCRAM server-final carries a wrong signature
  bool plain_nonempty_challenge = false;    // PLAIN without initial response gets "334 <data>" (RFC 4616 §2: empty)
  int close_after_auth_failures = 0;   // the connection is closed after this many failures (0: never)

  std::vector<ReplyRule> rules;
};

struct FakeSmtpConfig {
  FakeSmtpMode mode = FakeSmtpMode::mta;
  std::string hostname = "mail.lab.test";
  std::string domain = "lab.test";
  std::map<std::string, std::string> passwords{{"alice@lab.test", "Alice-Lab-Pass-1"},
                                               {"bob@lab.test", "Bob-Lab-Pass-2"}};
  std::map<std::string, std::string> maildirs;   // local user → Maildir (set by the server)
  std::size_t size_limit = 10485760;
  // EHLO keywords in order; STARTTLS is left out inside TLS and AUTH outside it (as the lab does).
  std::vector<std::string> extensions{"PIPELINING", "SIZE 10485760", "VRFY", "STARTTLS",
                                      "AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256",
                                      "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"};
  Misbehaviour misbehaviour;
};

}  // namespace facteur::test
