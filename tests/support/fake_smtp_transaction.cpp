// The mail transaction: MAIL, RCPT (RFC 5321 §4.1.1.2-3, DSN RFC 3461, SIZE RFC 1870), DATA with
// dot transparency (§4.5.2), BDAT (RFC 3030).
#include <ctime>
#include <set>

#include <fmt/format.h>

#include "tests/support/fake_smtp_session.hpp"

namespace facteur::test {
namespace {

constexpr std::size_t kRecipientLimit = 1000;  // Postfix's smtpd_recipient_limit

struct Path {
  bool ok = false;
  std::string address;
  std::vector<std::string> params;
};

// RFC 5321 §4.1.2 Mailbox, loosely: local-part "@" domain, no spaces or controls, a domain of
// labels or an address literal. UTF-8 octets are let through (RFC 6531). A Path without a domain
// is accepted only where the caller allows it (RCPT TO:<Postmaster>).
bool valid_mailbox(std::string_view a, bool domain_optional) {
  for (unsigned char c : a) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == '\\') {
      return false;
    }
  }
  const auto at = a.rfind('@');
  if (at == std::string_view::npos) return domain_optional && !a.empty();
  const std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  if (local.empty() || domain.empty() || local.find('@') != std::string_view::npos) return false;
  if (domain.front() == '[') return domain.back() == ']' && domain.size() > 2;
  std::size_t label = 0;
  for (unsigned char c : domain) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (std::isalnum(c) || c == '-' || c >= 0x80) {
      ++label;
    } else {
      return false;
    }
  }
  return label > 0;
}

// "FROM:<a@b> SIZE=10" (keyword already checked) → address and parameters.
Path parse_path(std::string_view rest, bool lenient) {
  Path p;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::string_view tail;
  if (!rest.empty() && rest.front() == '<') {
    const auto close = rest.find('>');
    if (close == std::string_view::npos) return p;
    p.address = std::string(rest.substr(1, close - 1));
    tail = rest.substr(close + 1);
    if (!tail.empty() && tail.front() != ' ') return p;
  } else {
    // Postfix's strict_rfc821_envelopes: the address must be in angle brackets.
    if (!lenient || rest.empty()) return p;
    const auto space = rest.find(' ');
    p.address = std::string(rest.substr(0, space));
    tail = space == std::string_view::npos ? std::string_view() : rest.substr(space);
  }
  std::size_t pos = 0;
  while (pos < tail.size()) {
    while (pos < tail.size() && tail[pos] == ' ') ++pos;
    const auto end = std::min(tail.find(' ', pos), tail.size());
    if (end > pos) p.params.emplace_back(tail.substr(pos, end - pos));
    pos = end;
  }
  p.ok = true;
  return p;
}

// "FROM:" / "TO:" at the start of the argument (case-insensitive); lenient also takes "FROM <".
std::optional<std::string_view> after_keyword(std::string_view arg, std::string_view keyword, bool lenient) {
  if (upper(arg.substr(0, keyword.size())) != keyword) return std::nullopt;
  arg.remove_prefix(keyword.size());
  if (!arg.empty() && arg.front() == ':') return arg.substr(1);
  if (lenient) return arg;
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// RFC 3461 §4.1: NOTIFY = "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ).
bool valid_notify(const std::string& value) {
  const std::string v = upper(value);
  if (v == "NEVER") return true;
  std::set<std::string> seen;
  std::size_t pos = 0;
  for (;;) {
    const auto comma = v.find(',', pos);
    const std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item != "SUCCESS" && item != "FAILURE" && item != "DELAY") return false;
    if (!seen.insert(item).second) return false;
    if (comma == std::string::npos) return true;
    pos = comma + 1;
  }
}

// One dot less at the start of each line: DATA's transparency rule, wrongly applied to BDAT.
std::string remove_one_leading_dot(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    const bool skip = line_start && c == '.';
    line_start = c == '\n';
    if (!skip) out.push_back(c);
  }
  return out;
}

std::string drop_leading_dots(std::string_view raw) {
  std::string out;
  bool line_start = true;
  for (char c : raw) {
    if (line_start && c == '.') continue;
    out.push_back(c);
    line_start = c == '\n';
  }
  return out;
}

}  // namespace

void FakeSmtpSession::reset_transaction() { tx_ = Transaction{}; }

std::string FakeSmtpSession::queue_id() {
  return fmt::format("FAKE{:06X}{:04X}", static_cast<unsigned>(std::time(nullptr)) & 0xffffffu, ++messages_);
}

void FakeSmtpSession::mail(const std::string& arg) {
  if (!greeted_ && !bad_.mail_without_helo) return say(503, "5.5.1", "Error: send HELO/EHLO first");
  if (mail_broken_) return say(451, "4.3.0", "Error: internal state lost");
  if (submission() && !tls_) return say(530, "5.7.0", "Must issue a STARTTLS command first");
  if (tx_.active && !bad_.nested_mail) {
    return say(503, "5.5.1", tx_.bdat ? "Error: MAIL after BDAT" : "Error: nested MAIL command");
  }
  const auto rest = after_keyword(arg, "FROM", bad_.bad_syntax_accepted);
  if (!rest) return say(501, "5.5.4", "Syntax: MAIL FROM:<address>");
  const Path path = parse_path(*rest, bad_.bad_syntax_accepted);
  // RFC 5321 §4.5.5: the null reverse-path "<>" is valid.
  if (!path.ok || (!path.address.empty() && !valid_mailbox(path.address, false) && !bad_.bad_syntax_accepted)) {
    return say(501, "5.1.7", "Bad sender address syntax");
  }
  Transaction tx;
  std::set<std::string> seen;
  for (const auto& param : path.params) {
    const auto eq = param.find('=');
    const std::string key = upper(param.substr(0, eq));
    const std::string value = eq == std::string::npos ? std::string() : param.substr(eq + 1);
    // RFC 3461 §4.4 (and RFC 5321 §4.1.2 esmtp-param): a parameter appears once.
    if (!seen.insert(key).second && !bad_.dsn_unchecked) {
      return say(501, "5.5.4", "Error: duplicate " + key + " parameter");
    }
    if (key == "SIZE") {
      if (!all_digits(value)) return say(501, "5.5.4", "Bad message size syntax");
      // RFC 1870 §6.2: a declared size over the fixed limit is refused with 552.
      if (std::stoull(value) > config_.size_limit && !bad_.size_ignored) {
        return say(552, "5.3.4", "Message size exceeds fixed limit");
      }
    } else if (key == "BODY") {
      const std::string v = upper(value);
      if (v != "7BIT" && v != "8BITMIME" && !bad_.unknown_params_accepted) {
        return say(555, "5.5.4", "Unsupported option: " + param);
      }
    } else if (key == "RET") {
      tx.ret = upper(value);
      if (tx.ret != "FULL" && tx.ret != "HDRS" && !bad_.dsn_unchecked) {
        return say(501, "5.5.4", "Bad RET parameter syntax");
      }
    } else if (key == "ENVID") {
      if (value.empty() && !bad_.dsn_unchecked) return say(501, "5.5.4", "Bad ENVID parameter syntax");
      tx.envid = value;
    } else if (key == "SMTPUTF8") {
      if (eq != std::string::npos && !bad_.unknown_params_accepted) {
        return say(555, "5.5.4", "Unsupported option: " + param);
      }
    } else if (key != "AUTH" && !bad_.unknown_params_accepted) {
      return say(555, "5.5.4", "Unsupported option: " + param);
    }
  }
  if (submission() && !authenticated_ && !bad_.submission_open) {
    return say(530, "5.7.0", "<" + path.address + ">: Sender address rejected: Authentication required");
  }
  tx.active = true;
  tx.from = path.address;
  tx_ = std::move(tx);
  say(250, "2.1.0", "Ok");
}

void FakeSmtpSession::rcpt(const std::string& arg) {
  const std::size_t accepted = tx_.rcpts.size();
  rcpt_command(arg);
  const bool refused = tx_.rcpts.size() == accepted;
  // Misbehaviours on the outcome: a refusal that drops the transaction, a RCPT that replaces.
  if (refused && tx_.active && bad_.refused_rcpt_drops_transaction) reset_transaction();
  if (!refused && bad_.last_rcpt_only) tx_.rcpts.erase(tx_.rcpts.begin(), tx_.rcpts.end() - 1);
}

void FakeSmtpSession::rcpt_command(const std::string& arg) {
  if (!tx_.active && !bad_.rcpt_without_mail) return say(503, "5.5.1", "Error: need MAIL command");
  const auto rest = after_keyword(arg, "TO", bad_.bad_syntax_accepted);
  if (!rest) return say(501, "5.5.4", "Syntax: RCPT TO:<address>");
  const Path path = parse_path(*rest, bad_.bad_syntax_accepted);
  const bool valid = path.ok && !path.address.empty() && valid_mailbox(path.address, true);
  if (!valid && !bad_.bad_syntax_accepted) return say(501, "5.1.3", "Bad recipient address syntax");
  Recipient recipient;
  std::set<std::string> seen;
  for (const auto& param : path.params) {
    const auto eq = param.find('=');
    const std::string key = upper(param.substr(0, eq));
    const std::string value = eq == std::string::npos ? std::string() : param.substr(eq + 1);
    if (!seen.insert(key).second && !bad_.dsn_unchecked) {
      return say(501, "5.5.4", "Error: duplicate " + key + " parameter");
    }
    if (key == "NOTIFY") {
      if (!valid_notify(value) && !bad_.dsn_unchecked) {
        return say(501, "5.5.4", "Error: Bad NOTIFY parameter syntax");
      }
      recipient.notify = upper(value);
    } else if (key == "ORCPT") {
      // RFC 3461 §4.2: addr-type ";" xtext.
      const auto semi = value.find(';');
      if ((semi == std::string::npos || semi == 0 || semi + 1 == value.size()) && !bad_.dsn_unchecked) {
        return say(501, "5.5.4", "Error: Bad ORCPT parameter syntax");
      }
      recipient.orcpt = value;
    } else if (!bad_.unknown_params_accepted) {
      return say(555, "5.5.4", "Unsupported option: " + param);
    }
  }
  if (!valid) {  // misbehaviour: whatever is between the brackets is taken, and thrown away
    tx_.rcpts.push_back(std::move(recipient));
    return say(250, "2.1.5", "Ok");
  }
  const std::string address = lower(path.address);
  const auto at = address.rfind('@');
  const std::string local = address.substr(0, at);
  const std::string domain = at == std::string::npos ? config_.domain : address.substr(at + 1);
  const std::string shown = "<" + path.address + ">";
  if (local == "postmaster" && domain == config_.domain) {
    // RFC 5321 §4.5.1: postmaster, with or without the domain, must be accepted.
    if (bad_.reject_postmaster) return say(550, "5.1.1", shown + ": Recipient address rejected: User unknown");
  } else if (domain == config_.domain) {
    if (!config_.passwords.count(local + "@" + domain) && !bad_.accept_unknown_users) {
      return say(550, "5.1.1", shown + ": Recipient address rejected: User unknown in virtual mailbox table");
    }
  } else if ((!authenticated_ || bad_.no_relay_after_auth) && !bad_.open_relay) {
    // RFC 5321 §3.6.2: relaying refused with 550 (Postfix says 554).
    return say(550, "5.7.1", shown + ": Relay access denied");
  }
  const std::size_t limit = bad_.recipient_limit ? bad_.recipient_limit : kRecipientLimit;
  if (tx_.rcpts.size() >= limit) {
    const int code = bad_.recipient_limit_code;
    return say(code, code / 100 == 4 ? "4.5.3" : "5.5.3", "Error: too many recipients");
  }
  recipient.address = local + "@" + domain;
  tx_.rcpts.push_back(std::move(recipient));
  say(250, "2.1.5", "Ok");
}

void FakeSmtpSession::data(const std::string& arg) {
  if (!arg.empty()) return say(501, "5.5.4", "Syntax: DATA");
  if ((!tx_.active || tx_.rcpts.empty()) && !bad_.data_without_rcpt) {
    return say(503, "5.5.1", "Error: need RCPT command");
  }
  if (tx_.bdat && !bad_.bdat_then_data) return say(503, "5.5.1", "Error: DATA after BDAT");
  say(354, "", "End data with <CR><LF>.<CR><LF>");
  if (out_.next == SessionOutput::Next::close) return;
  input_ = Input::data;
  unstuffer_.reset();
  data_raw_.clear();
  data_clean_.clear();
  data_column_ = 0;
}

void FakeSmtpSession::data_input() {
  if (bad_.bare_lf_ends_data) {
    // Bare LF taken as a line end, so <LF>.<LF> ends the message.
    std::string fixed;
    char previous = data_raw_.empty() ? '\n' : data_raw_.back();
    for (char c : in_) {
      if (c == '\n' && previous != '\r') fixed.push_back('\r');
      fixed.push_back(c);
      previous = c;
    }
    in_ = std::move(fixed);
  }
  const auto step = unstuffer_.feed(in_, data_clean_);
  const std::string_view consumed(in_.data(), step.consumed);
  if (bad_.data_line_reply > 0) {
    for (char c : consumed) {
      data_column_ = c == '\n' ? 0 : data_column_ + 1;
      if (data_column_ == bad_.data_line_reply + 1) {
        verb_ = "DATA-LINE";
        say(500, "5.5.2", "Error: line too long");
      }
    }
  }
  data_raw_.append(consumed);
  in_.erase(0, step.consumed);
  if (step.done) end_of_data();
}

void FakeSmtpSession::end_of_data() {
  input_ = Input::command;
  std::string content;
  const std::string_view stuffed = std::string_view(data_raw_).substr(0, data_raw_.size() - 3);  // no ".\r\n"
  switch (bad_.dots) {
    case Misbehaviour::Dots::unstuff: content = std::move(data_clean_); break;
    case Misbehaviour::Dots::keep_stuffing: content = std::string(stuffed); break;
    case Misbehaviour::Dots::drop_leading: content = drop_leading_dots(stuffed); break;
  }
  data_raw_.clear();
  data_clean_.clear();
  verb_ = "DATA-END";
  arg_.clear();
  if (content.size() > config_.size_limit && !bad_.size_ignored) {
    reset_transaction();
    return say(552, "5.3.4", "Error: message file too big");
  }
  const std::string id = queue_id();
  deliver(std::move(content));
  reset_transaction();
  say(250, "2.0.0", "Ok: queued as " + id);
}

void FakeSmtpSession::bdat(const std::string& arg) {
  // RFC 3030 §2: BDAT chunk-size [SP "LAST"].
  const auto space = arg.find(' ');
  const std::string size = arg.substr(0, space);
  const std::string rest = space == std::string::npos ? std::string() : upper(arg.substr(space + 1));
  if (!all_digits(size) || (!rest.empty() && rest != "LAST")) {
    // The chunk cannot be skipped without its size: the session cannot go on (as Postfix does).
    say(521, "5.5.4", "Syntax: BDAT count [LAST]");
    return close_after_reply();
  }
  bdat_remaining_ = std::stoull(size);
  bdat_chunk_ = bdat_remaining_;
  bdat_last_ = !rest.empty();
  if (!tx_.active || tx_.rcpts.empty()) {
    // RFC 3030 §2: the chunk of a refused BDAT is still read, and thrown away.
    input_ = bad_.bdat_refusal_keeps_octets ? Input::command : Input::bdat_skip;
    if (bad_.bdat_refusal_keeps_octets) bdat_remaining_ = 0;
    return say(503, "5.5.1", !tx_.active ? "Error: need MAIL command" : "Error: need RCPT command");
  }
  tx_.bdat = true;
  input_ = Input::bdat;
  if (bad_.bdat_counts_wrong && bdat_remaining_ > 0) --bdat_remaining_;
}

void FakeSmtpSession::bdat_input() {
  const std::size_t n = std::min(bdat_remaining_, in_.size());
  if (input_ == Input::bdat) tx_.body.append(in_, 0, n);
  in_.erase(0, n);
  bdat_remaining_ -= n;
  if (bdat_remaining_ > 0) return;
  const bool skipped = input_ == Input::bdat_skip;
  input_ = Input::command;
  if (!skipped) end_of_bdat_chunk();
}

void FakeSmtpSession::end_of_bdat_chunk() {
  verb_ = bdat_last_ ? "BDAT-LAST" : "BDAT";
  if (!bdat_last_) return say(250, "2.0.0", fmt::format("Ok: {} bytes", bdat_chunk_));
  std::string content = std::move(tx_.body);
  if (bad_.bdat_unstuffs) content = remove_one_leading_dot(content);
  const std::size_t total = content.size();
  if (total > config_.size_limit && !bad_.size_ignored) {
    reset_transaction();
    return say(552, "5.3.4", "Error: message file too big");
  }
  const std::string id = queue_id();
  deliver(std::move(content));
  reset_transaction();
  say(250, "2.0.0", fmt::format("Ok: {} bytes queued as {}", total, id));
}

}  // namespace facteur::test
