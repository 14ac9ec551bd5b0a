// Every SMTP conformance case is proven able to fail: each scenario under scenarios/smtp runs twice
// against the fake SMTP server of tests/support, once behaving (the case must pass: the positive
// control) and once with the misbehaviour this table names (the case must fail, with a message and,
// where a reply was compared, the expected and the actual reply). A scenario without an entry here
// fails the suite. scenarios/smtp/NEGATIVES.md describes the misbehaviours in words.
#include <algorithm>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"
#include "tests/support/fake_smtp_lab.hpp"
#include "tests/support/outcome_printer.hpp"

namespace facteur::test {
namespace {

using Configure = std::function<void(FakeSmtpConfig&)>;
using M = Misbehaviour;

struct Variant {
  std::string name;          // the misbehaviour, in a few words
  Configure configure;
  std::string why;           // a substring the failure message must hold ("" = any)
  bool compares_reply = true;  // the failing check compares replies: expected/actual are filled
};

struct Entry {
  std::string id;
  std::vector<Variant> variants;
  // Set when the fake cannot offer what the case needs (the positive control must then skip, and
  // the reason says why no fake can prove the check); keep it rare.
  std::string skip_reason = {};
};

// --- configuration helpers --------------------------------------------------------------------

Configure flag(bool M::*member) {
  return [member](FakeSmtpConfig& c) { c.misbehaviour.*member = true; };
}

template <class T>
Configure value(T M::*member, T v) {
  return [member, v](FakeSmtpConfig& c) { c.misbehaviour.*member = v; };
}

// `verb` (or a pseudo-verb) answered with `reply` ("\n" between lines), optionally only when the
// argument contains `contains`.
Configure reply(std::string verb, std::string text, std::string contains = {}) {
  return [=](FakeSmtpConfig& c) {
    ReplyRule r;
    r.verb = verb;
    r.reply = text;
    r.when_arg_contains = contains;
    c.misbehaviour.rules.push_back(r);
  };
}

// Like reply(), only when the argument is exactly `arg` (ignoring case).
Configure reply_if_arg(std::string verb, std::string arg, std::string text) {
  return [=](FakeSmtpConfig& c) {
    ReplyRule r;
    r.verb = verb;
    r.reply = text;
    r.when_arg_is = arg;
    c.misbehaviour.rules.push_back(r);
  };
}

Configure silent(std::string verb, std::string contains = {}) {
  return [=](FakeSmtpConfig& c) {
    ReplyRule r;
    r.verb = verb;
    r.action = ReplyRule::Action::silent;
    r.when_arg_contains = contains;
    c.misbehaviour.rules.push_back(r);
  };
}

Configure closes(std::string verb) {
  return [=](FakeSmtpConfig& c) {
    ReplyRule r;
    r.verb = verb;
    r.action = ReplyRule::Action::close;
    c.misbehaviour.rules.push_back(r);
  };
}

Configure omit(std::string keyword) {
  return [keyword](FakeSmtpConfig& c) { c.misbehaviour.ehlo_omit.push_back(keyword); };
}

// Replaces the EHLO line whose keyword is `keyword` by `line`.
Configure ehlo_line(std::string keyword, std::string line) {
  return [=](FakeSmtpConfig& c) {
    for (auto& ext : c.extensions) {
      if (ext.rfind(keyword, 0) == 0) ext = line;
    }
  };
}

Configure both(Configure a, Configure b) {
  return [a, b](FakeSmtpConfig& c) {
    a(c);
    b(c);
  };
}

// --- the table: scenario id → misbehaviours that must make it fail ------------------------------

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries{
      // RFC 1870 SIZE
      {"smtp/1870/4/size-keyword-syntax", {{"SIZE 10MB", ehlo_line("SIZE", "SIZE 10MB"), "text does not match"}}},
      {"smtp/1870/6/declared-size-over-limit-552", {{"SIZE ignored", flag(&M::size_ignored), "reply code 250"}}},
      {"smtp/1870/6/declared-size-within-limit-accepted",
       {{"any SIZE refused", reply("MAIL", "552 5.3.4 Message size exceeds fixed limit", "SIZE="), "reply code 552"}}},
      // RFC 2034 enhanced status codes
      {"smtp/2034/3/enhanced-codes-on-errors",
       {{"no enhanced codes", flag(&M::no_enhanced_codes), "no enhanced status code"},
        {"class mismatch", reply("RCPT", "503 2.5.1 Error: need MAIL command"), "enhanced code 2.5.1"}}},
      {"smtp/2034/3/enhanced-codes-on-success", {{"no enhanced codes", flag(&M::no_enhanced_codes), "no enhanced"}}},
      {"smtp/2034/3/enhanced-codes-without-ehlo",
       {{"codes only after EHLO", flag(&M::enhanced_only_after_ehlo), "no enhanced status code"}}},
      // RFC 2920 PIPELINING
      {"smtp/2920/3.2/no-354-without-valid-recipient",
       {{"354 without recipient", flag(&M::data_without_rcpt), "reply code 354"}}},
      {"smtp/2920/3.2/refused-rcpt-inside-group",
       {{"refused RCPT unanswered", silent("RCPT", "nobody@"), "pipelined command 3"}}},
      {"smtp/2920/3.2/replies-in-order", {{"pipelined input discarded", flag(&M::discard_pipelined), "no reply"}}},
      {"smtp/2920/3.2/whole-group-answered", {{"pipelined input discarded", flag(&M::discard_pipelined), "no reply"}}},
      // RFC 3030 CHUNKING
      {"smtp/3030/2/bdat-after-last-503",
       {{"refused chunk run as commands", flag(&M::bdat_refusal_keeps_octets), "should have stayed silent"}}},
      {"smtp/3030/2/bdat-chunks-delivered", {{"chunks unanswered", silent("BDAT"), "no reply"}}},
      {"smtp/3030/2/bdat-last-zero-length",
       {{"BDAT 0 LAST refused", reply_if_arg("BDAT-LAST", "0 LAST", "501 5.5.4 Syntax: BDAT count [LAST]"),
         "reply code 501"}}},
      {"smtp/3030/2/bdat-no-dot-unstuffing", {{"BDAT unstuffed", flag(&M::bdat_unstuffs), "lacks"}}},
      {"smtp/3030/2/data-after-bdat-503", {{"DATA after BDAT", flag(&M::bdat_then_data), "reply code 354"}}},
      {"smtp/3030/2/failed-bdat-octets-discarded",
       {{"refused chunk run as commands", flag(&M::bdat_refusal_keeps_octets), "should have stayed silent"}}},
      // RFC 3207 STARTTLS
      {"smtp/3207/3/starttls-announced", {{"STARTTLS not announced", omit("STARTTLS"), "STARTTLS is not announced"}}},
      {"smtp/3207/4.2/pipelined-plaintext-discarded",
       {{"answered after the handshake", flag(&M::starttls_answers_pipelined), "should have stayed silent"},
        {"answered before the handshake", flag(&M::starttls_answers_early), "before the TLS handshake"}}},
      {"smtp/3207/4.2/starttls-inside-tls-refused",
       {{"220 inside TLS", flag(&M::starttls_after_tls), "reply code 220"}}},
      {"smtp/3207/4.2/starttls-not-announced-after-tls",
       {{"STARTTLS after TLS", flag(&M::starttls_after_tls), "STARTTLS is announced"}}},
      {"smtp/3207/4/starttls-220-then-handshake",
       {{"STARTTLS refused", flag(&M::starttls_refused), "STARTTLS"},
        {"220 and no handshake", flag(&M::starttls_no_handshake), "TLS handshake failed"}}},
      {"smtp/3207/4.2/starttls-forgets-ehlo",
       {{"EHLO survives the handshake", flag(&M::starttls_keeps_state), "reply code 250"}}},
      {"smtp/3207/4/starttls-with-parameter-501",
       {{"parameter ignored", reply_if_arg("STARTTLS", "now", "220 2.0.0 Ready to start TLS"), "reply code 220"}}},
      {"smtp/3207/4/tls-required-530",
       {{"MAIL before TLS accepted", reply("MAIL", "250 2.1.0 Ok"), "reply code 250"}}},
      // RFC 3461 DSN
      {"smtp/3461/4.1/notify-invalid-value-501", {{"NOTIFY unchecked", flag(&M::dsn_unchecked), "reply code 250"}}},
      {"smtp/3461/4.1/notify-never-accepted",
       {{"NOTIFY=NEVER refused", reply("RCPT", "501 5.5.4 Error: Bad NOTIFY parameter syntax", "NOTIFY=NEVER"),
         "reply code 501"}}},
      {"smtp/3461/4.1/notify-never-combined-501", {{"NOTIFY unchecked", flag(&M::dsn_unchecked), "reply code 250"}}},
      {"smtp/3461/4.1/notify-orcpt-accepted",
       {{"ORCPT refused", reply("RCPT", "555 5.5.4 Unsupported option: ORCPT", "ORCPT="), "reply code 555"}}},
      {"smtp/3461/4.3/ret-envid-accepted",
       {{"ENVID refused", reply("MAIL", "555 5.5.4 Unsupported option: ENVID", "ENVID="), "reply code 555"}}},
      {"smtp/3461/4.3/ret-invalid-value-501", {{"RET unchecked", flag(&M::dsn_unchecked), "reply code 250"}}},
      {"smtp/3461/4.4/duplicate-envid-501", {{"duplicates accepted", flag(&M::dsn_unchecked), "reply code 250"}}},
      {"smtp/3461/5.2.3/success-dsn-issued",
       {{"report from a non-null sender", flag(&M::success_dsn_with_sender), "Return-Path: <>"}}},
      // RFC 3463 enhanced status code values
      {"smtp/3463/3.2/unknown-mailbox-5.1.1",
       {{"5.7.1 for an unknown user",
         reply("RCPT", "550 5.7.1 <nobody@lab.test>: Recipient address rejected", "nobody@"),
         "enhanced code 5.7.1"}}},
      {"smtp/3463/3.4/size-over-limit-5.3.4",
       {{"5.0.0 for an oversized message", reply("MAIL", "552 5.0.0 Message too big", "SIZE="),
         "enhanced code 5.0.0"}}},
      {"smtp/3463/3.8/relay-refused-x.7.1", {{"open relay", flag(&M::open_relay), "reply code 250"}}},
      // RFC 4954 AUTH
      {"smtp/4954/4/auth-cancel-501", {{"cancel taken as a failure", flag(&M::auth_cancel_ignored), "reply code 535"}}},
      {"smtp/4954/4/auth-cram-md5",
       {{"correct exchange refused", reply("AUTH-END", "535 5.7.8 Error: authentication failed"), "reply code 535"},
        {"250 instead of 235", reply("AUTH-END", "250 2.7.0 Ok"), "reply code 250"}}},
      {"smtp/4954/4/auth-during-transaction-503",
       {{"AUTH inside a transaction", flag(&M::auth_in_transaction), "reply code 235"}}},
      {"smtp/4954/4/auth-login",
       {{"correct exchange refused", reply("AUTH-END", "535 5.7.8 Error: authentication failed"), "reply code 535"}}},
      {"smtp/4954/4/auth-plain",
       {{"correct exchange refused", reply("AUTH-END", "535 5.7.8 Error: authentication failed"), "reply code 535"}}},
      {"smtp/4954/4/auth-plain-without-initial-response",
       {{"PLAIN needs an initial response", reply_if_arg("AUTH", "PLAIN", "501 5.5.2 Initial response required"),
         "reply code 501"},
        {"non-empty PLAIN challenge", flag(&M::plain_nonempty_challenge), "PLAIN expects an empty challenge", false}}},
      {"smtp/4954/4/auth-scram-sha-1",
       {{"correct exchange refused", reply("AUTH-END", "535 5.7.8 Error: authentication failed"), "reply code 535"},
        {"wrong server signature", flag(&M::scram_bad_server_signature), "server signature", false}}},
      {"smtp/4954/4/auth-scram-sha-256",
       {{"correct exchange refused", reply("AUTH-END", "535 5.7.8 Error: authentication failed"), "reply code 535"},
        {"wrong server signature", flag(&M::scram_bad_server_signature), "server signature", false}}},
      {"smtp/4954/4/bad-base64-initial-response-501",
       {{"bad base64 as a failed login", flag(&M::auth_bad_base64_accepted), "reply code 535"}}},
      {"smtp/4954/4/bad-base64-response-501",
       {{"bad base64 as a failed login", flag(&M::auth_bad_base64_accepted), "reply code 535"}}},
      {"smtp/4954/4/plaintext-mechanisms-only-after-tls",
       {{"AUTH before TLS", flag(&M::auth_before_tls), "AUTH=PLAIN is announced"}}},
      {"smtp/4954/4/relay-after-auth", {{"no relay after AUTH", flag(&M::no_relay_after_auth), "reply code 550"}}},
      {"smtp/4954/4/second-auth-503", {{"second AUTH run", flag(&M::auth_twice), "reply code 235"}}},
      {"smtp/4954/4/unknown-mechanism-504",
       {{"535 for an unknown mechanism",
         reply("AUTH", "535 5.7.8 Error: authentication failed: Invalid authentication mechanism", "X-FACTEUR"),
         "reply code 535"}}},
      {"smtp/4954/5/mail-auth-parameter",
       {{"AUTH= refused", reply("MAIL", "555 5.5.4 Unsupported option: AUTH=<>", "AUTH="), "reply code 555"}}},
      {"smtp/4954/6/bad-password-535", {{"any password", flag(&M::auth_any_password), "reply code 235"}}},
      {"smtp/4954/7/received-with-esmtpsa",
       {{"Received without A", flag(&M::received_without_auth), "lacks 'with ESMTPSA'"}}},
      {"smtp/4954/9/three-failures-no-disconnect",
       {{"closes after two failures", value(&M::close_after_auth_failures, 2), "closed"}}},
      // RFC 5321
      {"smtp/5321/2.4/commands-case-insensitive",
       {{"case-sensitive verbs", flag(&M::case_sensitive_commands), "reply code 500"}}},
      {"smtp/5321/3.1/greeting-220-with-domain",
       {{"no domain in the greeting", reply("GREETING", "220 ESMTP ready"), "text does not match"},
        {"554 greeting", value(&M::greeting_code, 554), "reply code 554"}}},
      {"smtp/5321/3.3/refused-recipient-keeps-transaction",
       {{"refusal drops the transaction", flag(&M::refused_rcpt_drops_transaction), "reply code 503"}}},
      {"smtp/5321/3.3/several-recipients-delivered",
       {{"last recipient only", flag(&M::last_rcpt_only), "no delivered message"}}},
      {"smtp/5321/3.3/unknown-recipient-550",
       {{"unknown users accepted", flag(&M::accept_unknown_users), "reply code 250"}}},
      {"smtp/5321/3.5.3/vrfy-unknown-mailbox-not-250",
       {{"VRFY claims a mailbox", reply("VRFY", "250 2.1.5 <nobody@lab.test>"), "reply code 250"}}},
      {"smtp/5321/3.6.2/relay-refused-550",
       {{"open relay", flag(&M::open_relay), "reply code 250"},
        {"554 instead of 550", reply("RCPT", "554 5.7.1 Relay access denied", "remote.example"), "reply code 554"}}},
      {"smtp/5321/4.1.1.1/ehlo-keyword-syntax",
       {{"SIZE=10485760", ehlo_line("SIZE", "SIZE=10485760"), "text does not match"},
        {"_PRIVATE keyword", ehlo_line("VRFY", "_PRIVATE"), "text does not match"}}},
      {"smtp/5321/4.1.1.1/ehlo-reply-starts-with-domain",
       {{"no domain first", reply("EHLO", "250-Hello there\n250 PIPELINING"), "text does not match"}}},
      {"smtp/5321/4.1.1.1/helo-single-line-reply",
       {{"multi-line HELO", reply("HELO", "250-mail.lab.test\n250 PIPELINING"), "reply has 2 lines"}}},
      // (The engine reports this as "no reply within N ms", not "did not close": see the report.)
      {"smtp/5321/4.1.1.10/quit-221-and-close", {{"QUIT keeps the connection", flag(&M::quit_keeps_open), "did not close the connection after 221"}}},
      {"smtp/5321/4.1.1.2/mail-malformed-path-refused",
       {{"any path", flag(&M::bad_syntax_accepted), "reply code 250"}}},
      {"smtp/5321/4.1.1.2/mail-without-colon-501", {{"lenient MAIL", flag(&M::bad_syntax_accepted), "reply code 250"}}},
      {"smtp/5321/4.1.1.3/rcpt-malformed-path-refused",
       {{"any path", flag(&M::bad_syntax_accepted), "reply code 250"}}},
      {"smtp/5321/4.1.1.4/bare-lf-dot-not-end-of-data",
       {{"<LF>.<LF> ends DATA", flag(&M::bare_lf_ends_data), ""}}},
      {"smtp/5321/4.1.1.4/data-354-then-250-delivered",
       {{"250 instead of 354", reply("DATA", "250 2.0.0 Ok"), "reply code 250"}}},
      {"smtp/5321/4.1.1.4/no-extra-line-at-end", {{"blank line added", flag(&M::append_blank_line), "contains"}}},
      {"smtp/5321/4.1.1.4/overlong-text-line-single-reply",
       {{"reply per long line", value<std::size_t>(&M::data_line_reply, 1000), "should have stayed silent"}}},
      {"smtp/5321/4.1.1.5/rset-clears-transaction",
       {{"RSET keeps the transaction", flag(&M::rset_keeps_transaction), "reply code 250"}}},
      {"smtp/5321/4.1.1.5/rset-then-new-transaction",
       {{"RSET breaks MAIL", flag(&M::rset_breaks_mail), "reply code 451"}}},
      {"smtp/5321/4.1.1.6/vrfy-known-mailbox",
       {{"550 for a known user", reply("VRFY", "550 5.1.1 User unknown"), "reply code 550"}}},
      {"smtp/5321/4.1.1.8/help-answered",
       {{"HELP unknown", reply("HELP", "500 5.5.2 Error: command not recognized"), "reply code 500"}}},
      {"smtp/5321/4.1.1.9/noop-250", {{"NOOP unimplemented", reply("NOOP", "502 5.5.1 Error: command not implemented"),
                                       "reply code 502"}}},
      {"smtp/5321/4.1.1.9/noop-parameter-ignored",
       {{"NOOP parameter refused", reply("NOOP", "501 5.5.4 Syntax: NOOP", "facteur-"), "reply code 501"}}},
      {"smtp/5321/4.1.3/ehlo-ipv4-address-literal",
       {{"literal refused", reply("EHLO", "501 5.5.4 Syntax: EHLO hostname", "["), "reply code 501"}}},
      {"smtp/5321/4.1.3/ehlo-ipv6-address-literal",
       {{"literal refused", reply("EHLO", "501 5.5.4 Syntax: EHLO hostname", "[IPv6:"), "reply code 501"}}},
      {"smtp/5321/4.1.4/data-before-mail-refused",
       {{"354 outside a transaction", flag(&M::data_without_rcpt), "reply code 354"}}},
      {"smtp/5321/4.1.4/data-before-rcpt-refused",
       {{"354 without recipient", flag(&M::data_without_rcpt), "reply code 354"}}},
      {"smtp/5321/4.1.4/ehlo-unresolvable-name-not-refused",
       {{"refused for its EHLO name", reply("MAIL", "550 5.7.1 Client host rejected: cannot find your hostname"),
         "reply code 550"}}},
      {"smtp/5321/4.1.4/mail-before-ehlo",
       {{"550 before EHLO", reply("MAIL", "550 5.5.1 Error: send HELO/EHLO first"), "reply code 550"},
        {"closes on MAIL", closes("MAIL"), "closed"}}},
      {"smtp/5321/4.1.4/nested-mail-503", {{"nested MAIL accepted", flag(&M::nested_mail), "reply code 250"}}},
      {"smtp/5321/4.1.4/noop-rset-before-ehlo",
       {{"EHLO demanded first", reply("NOOP", "503 5.5.1 Error: send HELO/EHLO first"), "reply code 503"}}},
      {"smtp/5321/4.1.4/rcpt-before-mail-503", {{"RCPT before MAIL", flag(&M::rcpt_without_mail), "reply code 250"}}},
      {"smtp/5321/4.1.4/rejected-ehlo-keeps-state",
       {{"refused EHLO resets", flag(&M::rejected_ehlo_resets), "reply code 503"}}},
      {"smtp/5321/4.1.4/second-ehlo-resets-transaction",
       {{"EHLO keeps the transaction", flag(&M::helo_keeps_transaction), "reply code 250"}}},
      {"smtp/5321/4.2.4/unknown-command-500",
       {{"unknown verbs accepted", flag(&M::unknown_commands_accepted), "reply code 250"}}},
      {"smtp/5321/4.3.2/data-with-argument-501",
       {{"DATA argument ignored", reply_if_arg("DATA", "now", "354 End data with <CR><LF>.<CR><LF>"),
         "reply code 354"}}},
      {"smtp/5321/4.3.2/quit-with-argument-501",
       {{"QUIT argument ignored", reply_if_arg("QUIT", "now", "221 2.0.0 Bye"), "reply code 221"}}},
      {"smtp/5321/4.3.2/rset-with-argument-501",
       {{"RSET argument ignored", reply_if_arg("RSET", "now", "250 2.0.0 Ok"), "reply code 250"}}},
      {"smtp/5321/4.4/received-trace-with-ehlo-name",
       {{"no Received", flag(&M::no_received), "lacks 'Received: from"}}},
      {"smtp/5321/4.4/return-path-on-delivery", {{"no Return-Path", flag(&M::no_return_path), "lacks 'Return-Path"}}},
      {"smtp/5321/4.5.1/postmaster-at-domain", {{"postmaster refused", flag(&M::reject_postmaster), "reply code 550"}}},
      {"smtp/5321/4.5.1/postmaster-without-domain",
       {{"postmaster refused", flag(&M::reject_postmaster), "reply code 550"}}},
      {"smtp/5321/4.5.2/dot-stuffing-removed",
       {{"doubled dots kept", value(&M::dots, M::Dots::keep_stuffing), "lacks"},
        {"every leading dot dropped", value(&M::dots, M::Dots::drop_leading), "lacks"}}},
      {"smtp/5321/4.5.3.1.10/recipient-over-limit-452",
       {{"550 past 100 recipients",
         both(value<std::size_t>(&M::recipient_limit, 100), value(&M::recipient_limit_code, 550)), "reply code 550"}}},
      {"smtp/5321/4.5.3.1.4/command-line-512-octets",
       {{"256-octet command lines", value<std::size_t>(&M::command_line_limit, 256), "reply code 500"}}},
      {"smtp/5321/4.5.3.1.4/overlong-command-one-reply",
       {{"long line split into commands",
         both(value<std::size_t>(&M::command_line_limit, 512), flag(&M::split_long_commands)),
         "should have stayed silent"}}},
      {"smtp/5321/4.5.3.1.6/text-line-998-delivered",
       {{"lines cut at 512", value<std::size_t>(&M::truncate_lines, 512), "lacks"}}},
      {"smtp/5321/4.5.3.1.8/hundred-recipients-accepted",
       {{"452 past 50 recipients", value<std::size_t>(&M::recipient_limit, 50), "reply code 452"}}},
      {"smtp/5321/4.5.5/null-reverse-path-accepted",
       {{"<> refused", reply_if_arg("MAIL", "FROM:<>", "501 5.1.7 Bad sender address syntax"), "reply code 501"},
        {"no Return-Path", flag(&M::no_return_path), "lacks 'Return-Path: <>'"}}},
      // RFC 6152 8BITMIME
      {"smtp/6152/2/8bitmime-announced", {{"8BITMIME not announced", omit("8BITMIME"), "8BITMIME is not announced"}}},
      {"smtp/6152/3/8bit-body-delivered-intact", {{"8-bit octets mangled", flag(&M::mangle_8bit), "lacks"}}},
      {"smtp/6152/3/body-7bit-accepted",
       {{"BODY=7BIT refused", reply("MAIL", "555 5.5.4 Unsupported option: BODY=7BIT", "BODY=7BIT"),
         "reply code 555"}}},
      // RFC 6409 submission
      {"smtp/6409/4.3/authenticated-submission-delivered",
       {{"MAIL refused after AUTH", reply("MAIL", "530 5.7.0 Authentication required"), "reply code 530"}}},
      {"smtp/6409/4.3/mail-without-auth-refused", {{"open submission", flag(&M::submission_open), "reply code 250"}}},
      {"smtp/6409/8/auth-offered", {{"AUTH never announced", omit("AUTH"), "AUTH is not announced"}}},
      // RFC 6531 SMTPUTF8
      {"smtp/6531/3.1/smtputf8-keyword-and-8bitmime",
       {{"SMTPUTF8 without 8BITMIME", omit("8BITMIME"), "8BITMIME is not announced"}}},
      {"smtp/6531/3.2/utf8-addresses-accepted",
       {{"UTF-8 address refused", reply("MAIL", "553 5.6.7 Non-ASCII address not supported", "SMTPUTF8"),
         "reply code 553"}}},
      {"smtp/6531/3.2/utf8-message-delivered", {{"8-bit octets mangled", flag(&M::mangle_8bit), "lacks"}}},
  };
  return entries;
}

// --- scenarios ------------------------------------------------------------------------------

struct Loaded {
  std::vector<scenario::Scenario> scenarios;
  std::string error;  // why loading failed
};

const Loaded& loaded() {
  static const Loaded l = [] {
    Loaded out;
    try {
      out.scenarios = scenario::load_scenarios({std::string(FACTEUR_SOURCE_DIR) + "/scenarios/smtp"});
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }();
  return l;
}

std::vector<std::string> scenario_ids() {
  std::vector<std::string> ids;
  for (const auto& s : loaded().scenarios) ids.push_back(s.id);
  return ids;
}

const Entry* entry_for(const std::string& id) {
  for (const auto& e : table()) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string describe(const report::CaseResult& r) {
  std::ostringstream out;
  out << "outcome " << report::to_string(r.outcome) << " at step " << r.step << ": " << r.message;
  if (!r.expected.empty() || !r.actual.empty()) out << "\n  expected: " << r.expected << "\n  actual:   " << r.actual;
  const std::size_t from = r.transcript.size() > 12 ? r.transcript.size() - 12 : 0;
  for (std::size_t i = from; i < r.transcript.size(); ++i) {
    const auto& line = r.transcript[i];
    out << "\n  [" << line.session << "] " << line.dir << " " << line.text;
  }
  return out.str();
}

TEST(NegativeSmtpTable, ScenariosLoad) {
  EXPECT_EQ(loaded().error, "");
  EXPECT_FALSE(loaded().scenarios.empty()) << "no scenario under scenarios/smtp";
}

TEST(NegativeSmtpTable, EveryScenarioHasAnEntry) {
  std::vector<std::string> missing;
  for (const auto& id : scenario_ids()) {
    if (!entry_for(id)) missing.push_back(id);
  }
  std::string list;
  for (const auto& id : missing) list += "\n  " + id;
  EXPECT_TRUE(missing.empty()) << missing.size() << " scenario(s) without a negative test in "
                               << "tests/harness/engine/negative_smtp_test.cpp:" << list;
}

TEST(NegativeSmtpTable, EveryEntryNamesAScenario) {
  const auto ids = scenario_ids();
  std::string stale;
  for (const auto& e : table()) {
    if (std::find(ids.begin(), ids.end(), e.id) == ids.end()) stale += "\n  " + e.id;
    EXPECT_TRUE(!e.variants.empty() || !e.skip_reason.empty()) << e.id << " has no misbehaviour";
  }
  EXPECT_EQ(stale, "") << "table entries whose scenario no longer exists";
}

class NegativeSmtp : public ::testing::TestWithParam<std::string> {};

TEST_P(NegativeSmtp, FailsOnlyWhenTheServerMisbehaves) {
  const std::string& id = GetParam();
  const Entry* entry = entry_for(id);
  ASSERT_NE(entry, nullptr) << "no negative-table entry for " << id;
  const auto& all = loaded().scenarios;
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.id == id; });
  ASSERT_NE(it, all.end());
  const scenario::Scenario& s = *it;

  {  // Positive control: the well-behaved fake passes, so a failure below comes from the misbehaviour.
    FakeSmtpLab lab;
    const report::CaseResult r = lab.run(s);
    if (!entry->skip_reason.empty()) {
      EXPECT_EQ(r.outcome, report::Outcome::skip) << "the table says: " << entry->skip_reason << "\n" << describe(r);
      return;
    }
    ASSERT_EQ(r.outcome, report::Outcome::pass) << "positive control: " << describe(r);
  }
  for (const auto& v : entry->variants) {
    SCOPED_TRACE("misbehaviour: " + v.name);
    FakeSmtpConfig config;
    v.configure(config);
    FakeSmtpLab lab(config);
    const report::CaseResult r = lab.run(s);
    EXPECT_EQ(r.outcome, report::Outcome::fail) << describe(r);
    EXPECT_FALSE(r.message.empty());
    if (!v.why.empty()) {
      EXPECT_THAT(r.message, ::testing::HasSubstr(v.why)) << describe(r);
    }
    if (v.compares_reply) {
      EXPECT_FALSE(r.expected.empty()) << "no expected value: " << describe(r);
      EXPECT_FALSE(r.actual.empty()) << "no actual value: " << describe(r);
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, NegativeSmtp, ::testing::ValuesIn(scenario_ids()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NegativeSmtp);

}  // namespace
}  // namespace facteur::test
