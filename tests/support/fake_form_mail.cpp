#include "tests/support/fake_form_mail.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <string_view>

#include <fmt/format.h>

#include "harness/scenario/mime_encoding.hpp"
#include "tests/support/raw_server.hpp"

namespace facteur::testing {
namespace {
using namespace std::chrono_literals;
using scenario::has_8bit;

// A display name: a quoted-string when it is ASCII (or `raw`; written naively: a CR or LF in it stays, which
// is the header injection the form must refuse earlier), else RFC 2047 encoded-words.
std::string display_name(const std::string& name, bool raw) {
  if (has_8bit(name) && !raw) return scenario::encoded_words(name);
  return "\"" + name + "\"";
}

// The addresses of every Bcc: line of a header section, the first address of each line, as a
// sloppy sendmail -t takes them.
void add_bcc_recipients(const std::string& head, std::vector<std::string>& rcpts) {
  for (std::size_t at = head.find("\nBcc:"); at != std::string::npos; at = head.find("\nBcc:", at + 1)) {
    const auto end = head.find('\r', at);
    const std::string value = head.substr(at + 5, end - at - 5);
    const auto sign = value.find('@');
    if (sign == std::string::npos) continue;
    auto first = value.find_last_of(" \t\"<", sign);
    first = first == std::string::npos ? 0 : first + 1;
    const auto last = value.find_first_of(" \t\">", sign);
    rcpts.push_back(value.substr(first, last == std::string::npos ? std::string::npos : last - first));
  }
}

// A file name for Content-Disposition: quoted when plain, else RFC 2231 UTF-8 percent-encoded.
std::string filename_parameter(const std::string& name) {
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; };
  if (!name.empty() && name.size() <= 100 &&
      std::all_of(name.begin(), name.end(), [&](char c) { return plain(c) || c == ' '; })) {
    return "filename=\"" + name + "\"";
  }
  std::string out = "filename*=UTF-8''";
  for (char c : name) out += plain(c) ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
  return out;
}

}  // namespace

std::string compose_form_mail(const FakeFormConfig& config, const FormMail& mail, std::vector<std::string>& rcpts,
                              int serial) {
  const FakeFormMisbehaviour& bad = config.bad;
  const std::string subject = mail.subject.empty() ? "Contact form" : mail.subject;
  const std::string visitor = display_name(mail.name, bad.raw_utf8_headers) + " <" + mail.email + ">";
  // RFC 5322 §3.6.2: the author is the site (its own address); the visitor goes to Reply-To.
  const std::string from = bad.visitor_as_from ? visitor : "\"fake form\" <" + config.from + ">";
  // RFC 5322 §2.2: header fields are US-ASCII; non-ASCII text goes as RFC 2047 encoded-words.
  const bool encode = has_8bit(subject) && !bad.raw_utf8_headers;
  std::string head = "From: " + from + "\r\nTo: <" + config.rcpt + ">\r\nReply-To: " + visitor + "\r\nSubject: " +
                     (encode ? scenario::encoded_words(subject) : subject) + "\r\nMIME-Version: 1.0\r\n";
  rcpts = {config.rcpt};
  add_bcc_recipients(head, rcpts);
  // RFC 2045 §5: the text labelled with its charset; 8bit, sent with BODY=8BITMIME (RFC 6152).
  const std::string text =
      scenario::crlf_lines("Name: " + mail.name + "\nEmail: " + mail.email + "\n\n" + mail.message);
  const std::string text_type = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n";
  if (!mail.attachment || bad.drops_attachment) return head + text_type + "\r\n" + text;
  // RFC 2046 §5.1: the text, then the file as an attachment (RFC 2183) in base64.
  const PostedFile& file = *mail.attachment;
  const std::string delimiter = "--" + fmt::format("=_fake_form_{:08d}", serial);
  head += "Content-Type: multipart/mixed; boundary=\"" + delimiter.substr(2) + "\"\r\n\r\nThis is a MIME message.\r\n";
  const std::string file_part = "Content-Type: " + (file.type.empty() ? "application/octet-stream" : file.type) +
                                "\r\nContent-Disposition: attachment; " +
                                filename_parameter(file.name.empty() ? "attachment" : file.name) +
                                "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                                scenario::base64_lines(bad.empty_attachment ? std::string() : file.content);
  return head + delimiter + "\r\n" + text_type + "\r\n" + text + delimiter + "\r\n" + file_part + delimiter + "--\r\n";
}

bool send_mail(const FakeFormConfig& c, const std::vector<std::string>& rcpts, const std::string& message) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(c.smtp_port);
  ::inet_pton(AF_INET, c.smtp_host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return false;
  }
  std::atomic<bool> never{false};
  RawConnection conn(fd, never);
  auto reply = [&] {
    for (;;) {
      const std::string line = conn.read_line(5000ms);
      if (line.size() < 4 || line[3] != '-') return line;
    }
  };
  bool ok = reply().rfind("220", 0) == 0;
  auto say = [&](const std::string& line, const char* want) {
    ok = ok && conn.send(line + "\r\n") && reply().rfind(want, 0) == 0;
  };
  // RFC 5321 §4.5.2: a line that starts with "." gets another one.
  std::string stuffed;
  for (std::size_t from = 0; from < message.size();) {
    if (message[from] == '.') stuffed += '.';
    const auto eol = message.find("\r\n", from);
    const std::size_t end = eol == std::string::npos ? message.size() : eol + 2;
    stuffed.append(message, from, end - from);
    from = end;
  }
  if (stuffed.size() < 2 || stuffed.compare(stuffed.size() - 2, 2, "\r\n") != 0) stuffed += "\r\n";
  say("EHLO fake-form.test", "250");
  say("MAIL FROM:<" + c.from + ">" + (has_8bit(message) ? " BODY=8BITMIME" : ""), "250");
  for (const auto& r : rcpts) say("RCPT TO:<" + r + ">", "250");
  say("DATA", "354");
  say(stuffed + ".", "250");
  say("QUIT", "221");
  return ok;
}

}  // namespace facteur::testing
