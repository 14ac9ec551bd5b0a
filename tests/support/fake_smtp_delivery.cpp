// Final delivery into the local Maildirs: trace headers (RFC 5321 §4.4, RFC 3848 "with" types),
// the content misbehaviours, and success delivery status notifications (RFC 3461 §5.2.3, RFC 3464).
#include <ctime>
#include <set>

#include <fmt/format.h>

#include "tests/support/fake_smtp_session.hpp"
#include "tests/support/maildir.hpp"

namespace facteur::test {
namespace {

std::string rfc5322_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string truncate_lines(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t column = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n') {
      column = 0;
      out.push_back(c);
      continue;
    }
    if (column++ < limit) out.push_back(c);
  }
  return out;
}

// The header section of a message (up to the first empty line).
std::string header_section(std::string_view content) {
  const auto end = content.find("\r\n\r\n");
  return std::string(content.substr(0, end == std::string_view::npos ? content.size() : end + 2));
}

}  // namespace

std::string FakeSmtpSession::trace_headers(const std::string& rcpt) const {
  std::string out;
  if (!bad_.no_return_path) out += "Return-Path: <" + tx_.from + ">\r\n";
  out += "Delivered-To: " + rcpt + "\r\n";
  if (!bad_.no_received) {
    // RFC 3848: ESMTP, plus S with TLS, plus A after AUTH.
    const std::string with = std::string(tls_ ? "ESMTPS" : "ESMTP") +
                             (authenticated_ && !bad_.received_without_auth ? "A" : "");
    out += fmt::format("Received: from {} (localhost [127.0.0.1])\r\n\tby {} (facteur fake) with {} id {}\r\n"
                       "\tfor <{}>; {}\r\n",
                       helo_name_.empty() ? "unknown" : helo_name_, config_.hostname, with, messages_, rcpt,
                       rfc5322_now());
  }
  return out;
}

void FakeSmtpSession::deliver(std::string content) {
  if (bad_.lose_messages) return;
  if (bad_.truncate_lines > 0) content = truncate_lines(content, bad_.truncate_lines);
  if (bad_.append_blank_line) content += "\r\n";
  if (bad_.mangle_8bit) {
    for (char& c : content) {
      if (static_cast<unsigned char>(c) > 127) c = '?';
    }
  }
  std::set<std::string> done;
  std::vector<std::string> delivered;
  for (const auto& rcpt : tx_.rcpts) {
    std::string target = rcpt.address;
    if (target == "postmaster@" + config_.domain && !config_.maildirs.empty()) target = config_.maildirs.begin()->first;
    const auto it = config_.maildirs.find(target);
    if (it == config_.maildirs.end()) continue;  // relayed recipients are discarded
    if (!done.insert(target).second) continue;   // one copy per mailbox
    if (deliver_to_maildir(it->second, trace_headers(rcpt.address) + content) &&
        rcpt.notify.find("SUCCESS") != std::string::npos) {
      delivered.push_back(rcpt.orcpt.empty() ? rcpt.address : rcpt.orcpt);
    }
  }
  if (!delivered.empty() && !bad_.no_success_dsn) send_success_dsn(delivered, content);
}

void FakeSmtpSession::send_success_dsn(const std::vector<std::string>& delivered, const std::string& content) {
  // RFC 3461 §6.1: notifications go to the reverse-path, from the null reverse-path.
  const auto sender = config_.maildirs.find(lower(tx_.from));
  if (sender == config_.maildirs.end()) return;  // only local senders get reports here
  const std::string boundary = fmt::format("fake-dsn-{}", messages_);
  std::string dsn = fmt::format(
      "Return-Path: <{4}>\r\nDelivered-To: {0}\r\nFrom: MAILER-DAEMON@{1} (Mail Delivery System)\r\nTo: {0}\r\n"
      "Subject: Successful Mail Delivery Report\r\nDate: {2}\r\nAuto-Submitted: auto-replied\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"{3}\"\r\n\r\n"
      "--{3}\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n\r\n"
      "--{3}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; {1}\r\n",
      sender->first, config_.hostname, rfc5322_now(), boundary,
      bad_.success_dsn_with_sender ? "MAILER-DAEMON@" + config_.hostname : std::string());
  if (!tx_.envid.empty()) dsn += "Original-Envelope-Id: " + tx_.envid + "\r\n";
  for (const auto& rcpt : delivered) {
    dsn += fmt::format("\r\nFinal-Recipient: rfc822; {}\r\nAction: delivered\r\nStatus: 2.0.0\r\n", rcpt);
  }
  // RFC 3461 §4.3: RET=HDRS returns the headers only.
  const bool full = tx_.ret != "HDRS";
  dsn += fmt::format("\r\n--{}\r\nContent-Type: {}\r\n\r\n{}\r\n--{}--\r\n", boundary,
                     full ? "message/rfc822" : "text/rfc822-headers", full ? content : header_section(content),
                     boundary);
  deliver_to_maildir(sender->second, dsn);
}

}  // namespace facteur::test
