// Framing, dispatch and the session-level commands (greeting, EHLO/HELO, STARTTLS, RSET, NOOP,
// VRFY, HELP, QUIT). Replies are modelled on what the lab's Postfix 3.7 answers
// (lab/conf/postfix), except where Postfix departs from the RFCs (HELP, QUIT with an argument).
#include "tests/support/fake_smtp_session.hpp"

#include <cctype>

#include "tests/support/fake_smtp_replies.hpp"

namespace facteur::test {
namespace {
constexpr std::size_t kMaxCommandLine = 4096;  // octets with CRLF (RFC 5321 §4.5.3.1.4 asks for 512)

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}
}  // namespace

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

FakeSmtpSession::FakeSmtpSession(const FakeSmtpConfig& config, bool tls, CommandLog log)
    : config_(config), bad_(config.misbehaviour), log_(std::move(log)), tls_(tls) {}

FakeSmtpSession::~FakeSmtpSession() = default;

SessionOutput FakeSmtpSession::take() {
  SessionOutput out = std::move(out_);
  out_ = {};
  if (tls_pending_ && out.next == SessionOutput::Next::read) {
    out.next = SessionOutput::Next::start_tls;
    tls_pending_ = false;
  }
  return out;
}

SessionOutput FakeSmtpSession::start() {
  if (bad_.no_greeting) return take();
  greeting_reply();
  if (bad_.close_after_greeting) out_.next = SessionOutput::Next::close;
  return take();
}

void FakeSmtpSession::greeting_reply() {
  verb_ = "GREETING";
  arg_.clear();
  const int code = bad_.greeting_code;
  if (code != 220) refused_ = true;
  // RFC 2034 §3: no enhanced code on the greeting.
  say(code, "", code == 220 ? config_.hostname + " ESMTP facteur fake (Postfix-like)"
                            : config_.hostname + " Service unavailable");
}

SessionOutput FakeSmtpSession::receive(std::string_view bytes) {
  in_.append(bytes);
  process();
  return take();
}

SessionOutput FakeSmtpSession::tls_started() {
  tls_ = true;
  stop_ = false;
  if (!bad_.starttls_keeps_state) {
    // RFC 3207 §4.2: the server discards any knowledge obtained from the client before TLS.
    greeted_ = extended_ = false;
    helo_name_.clear();
    authenticated_ = false;
    auth_user_.clear();
    sasl_.reset();
    reset_transaction();
  }
  process();
  return take();
}

void FakeSmtpSession::process() {
  while (!stop_) {
    switch (input_) {
      case Input::command:
      case Input::auth:
        if (!command_input()) return;
        break;
      case Input::data:
        if (in_.empty()) return;
        data_input();
        break;
      case Input::bdat:
      case Input::bdat_skip:
        if (in_.empty() && bdat_remaining_ > 0) return;
        bdat_input();
        break;
    }
  }
}

bool FakeSmtpSession::command_input() {
  const auto eol = in_.find('\n');
  if (discarding_line_) {
    in_.erase(0, eol == std::string::npos ? in_.size() : eol + 1);
    discarding_line_ = eol == std::string::npos;
    return !discarding_line_;
  }
  const std::size_t limit = bad_.command_line_limit ? bad_.command_line_limit : kMaxCommandLine;
  const std::size_t length = eol == std::string::npos ? in_.size() : eol + 1;
  if (length > limit) {
    if (bad_.split_long_commands) {
      const std::string piece = in_.substr(0, limit);
      in_.erase(0, limit);
      command(piece);
      return true;
    }
    // One reply for the whole line, whatever its length; the rest of it is skipped.
    verb_ = "LINE-TOO-LONG";
    arg_.clear();
    say(500, "5.5.2", "Error: line too long");
    in_.erase(0, length);
    discarding_line_ = eol == std::string::npos;
    return !discarding_line_;
  }
  if (eol == std::string::npos) return false;
  std::string line = in_.substr(0, eol);
  in_.erase(0, eol + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (input_ == Input::auth) {
    auth_response(line);
    return true;
  }
  command(line);
  // Without pipelining support, what came behind the command is lost.
  if (bad_.discard_pipelined && input_ == Input::command) in_.clear();
  return true;
}

bool FakeSmtpSession::apply_rule(const std::string& verb, const std::string& arg) {
  for (const auto& rule : bad_.rules) {
    if (rule.verb != verb) continue;
    if (!rule.when_arg_contains.empty() && arg.find(rule.when_arg_contains) == std::string::npos) continue;
    if (!rule.when_arg_is.empty() && !equal_ignoring_case(arg, rule.when_arg_is)) continue;
    switch (rule.action) {
      case ReplyRule::Action::replace: out_.bytes += format_literal(rule.reply, bad_); break;
      case ReplyRule::Action::silent: break;
      case ReplyRule::Action::close: close_after_reply(); break;
    }
    return true;
  }
  return false;
}

void FakeSmtpSession::close_after_reply() {
  out_.next = SessionOutput::Next::close;
  stop_ = true;
}

void FakeSmtpSession::say(int code, std::string_view enhanced, std::string text) {
  if (apply_rule(verb_, arg_)) return;
  if (bad_.enhanced_only_after_ehlo && !extended_) enhanced = {};
  out_.bytes += format_reply(code, enhanced, {std::move(text)}, bad_);
}

void FakeSmtpSession::say_lines(int code, const std::vector<std::string>& lines) {
  if (apply_rule(verb_, arg_)) return;
  out_.bytes += format_reply(code, "", lines, bad_);
}

void FakeSmtpSession::command(const std::string& line) {
  if (log_) log_(line, tls_);
  const auto space = line.find(' ');
  const std::string word = line.substr(0, space);
  const std::string verb = upper(word);
  const std::string arg = space == std::string::npos ? std::string() : line.substr(space + 1);
  // A rule on a command answers instead of it (BDAT excepted: its chunk must still be read).
  verb_ = "RULE";
  arg_.clear();
  if (verb != "BDAT" && apply_rule(verb, arg)) return;
  verb_ = verb;
  arg_ = arg;
  if (refused_ && verb != "QUIT") return say(503, "5.5.1", "Error: no service, send QUIT");
  // RFC 5321 §2.4: verbs are case-insensitive.
  if (bad_.case_sensitive_commands && word != verb) return say(500, "5.5.2", "Error: command not recognized");
  if (verb == "EHLO" || verb == "HELO") return ehlo(arg, verb == "EHLO");
  if (verb == "MAIL") return mail(arg);
  if (verb == "RCPT") return rcpt(arg);
  if (verb == "DATA") return data(arg);
  if (verb == "BDAT") return bdat(arg);
  if (verb == "AUTH") return auth(arg);
  if (verb == "STARTTLS") return starttls(arg);
  if (verb == "QUIT") return quit();
  if (verb == "NOOP") return say(250, "2.0.0", "Ok");  // RFC 5321 §4.1.1.9: parameters ignored
  if (verb == "RSET") {
    if (!arg.empty()) return say(501, "5.5.4", "Syntax: RSET");
    if (!bad_.rset_keeps_transaction) reset_transaction();
    mail_broken_ = bad_.rset_breaks_mail;
    return say(250, "2.0.0", "Ok");
  }
  if (verb == "VRFY") {
    if (arg.empty()) return say(501, "5.5.4", "Syntax: VRFY address [SMTPUTF8]");
    // RFC 5321 §3.5.3: 252 = cannot verify, but will accept and attempt delivery.
    return say(252, "2.0.0", arg);
  }
  if (verb == "HELP") return say(214, "2.0.0", "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP");
  if (bad_.unknown_commands_accepted) return say(250, "2.0.0", "Ok");
  say(500, "5.5.2", "Error: command not recognized");
}

void FakeSmtpSession::ehlo(const std::string& arg, bool extended) {
  if (arg.empty()) {
    // RFC 5321 §4.1.4: a refused EHLO leaves the session as it was.
    if (bad_.rejected_ehlo_resets) {
      greeted_ = extended_ = false;
      reset_transaction();
    }
    return say(501, "", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
  }
  greeted_ = true;
  extended_ = extended;
  helo_name_ = arg;
  // RFC 5321 §4.1.4: EHLO/HELO in a session resets the state like RSET.
  if (!bad_.helo_keeps_transaction) reset_transaction();
  if (!extended) return say(250, "", config_.hostname);
  std::vector<std::string> lines{config_.hostname};
  for (const auto& ext : config_.extensions) {
    const std::string keyword = upper(ext.substr(0, ext.find_first_of(" =")));
    bool omit = false;
    for (const auto& o : bad_.ehlo_omit) omit = omit || upper(o) == keyword;
    if (keyword == "STARTTLS" && tls_ && !bad_.starttls_after_tls) omit = true;
    if (keyword == "AUTH" && !tls_ && !bad_.auth_before_tls) omit = true;  // smtpd_tls_auth_only
    if (!omit) lines.push_back(ext);
  }
  say_lines(250, lines);
}

void FakeSmtpSession::starttls(const std::string& arg) {
  if (!arg.empty()) return say(501, "5.5.4", "Syntax: STARTTLS");
  if (tls_) {
    if (!bad_.starttls_after_tls) return say(554, "5.5.1", "Error: TLS already active");
    return say(220, "2.0.0", "Ready to start TLS");  // and nothing happens
  }
  if (bad_.starttls_refused) return say(454, "4.7.0", "TLS not available due to local problem");
  say(220, "2.0.0", "Ready to start TLS");
  if (out_.next == SessionOutput::Next::close || bad_.starttls_no_handshake) return;
  tls_pending_ = true;
  if (bad_.starttls_answers_early) return;  // goes on answering what follows, in plain text
  stop_ = true;
  // RFC 3207 §4.2: commands pipelined behind STARTTLS are discarded, never run after TLS.
  if (!bad_.starttls_answers_pipelined) in_.clear();
}

void FakeSmtpSession::quit() {
  if (!arg_.empty()) return say(501, "5.5.4", "Syntax: QUIT");  // RFC 5321 §4.3.2 (Postfix ignores it)
  say(221, "2.0.0", "Bye");
  if (!bad_.quit_keeps_open) close_after_reply();
}

}  // namespace facteur::test
