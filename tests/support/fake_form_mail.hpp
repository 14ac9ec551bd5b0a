// The mail a fake contact form sends for an accepted form, composed as the lab's contact.php
// composes it (RFC 5322 fields, RFC 2047 words for non-ASCII header text, a UTF-8 text part, the
// uploaded file as a base64 attachment) and handed over SMTP to a real server, the way a form
// handler piping into sendmail -t does. The mail-side switches of FakeFormMisbehaviour change it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/support/fake_form_fields.hpp"
#include "tests/support/fake_http_form_config.hpp"

namespace facteur::testing {

struct FormMail {
  std::string name, email, subject, message;
  std::optional<PostedFile> attachment;
};

// The message, CRLF line endings, not dot-stuffed; `rcpts` gets its recipients (the form's own,
// and with header_injection every address a Bcc: line of the header section names).
std::string compose_form_mail(const FakeFormConfig& config, const FormMail& mail, std::vector<std::string>& rcpts,
                              int serial);

// One SMTP transaction (EHLO, MAIL, RCPT…, DATA, QUIT) to config.smtp_host:smtp_port; true when
// the server took the message.
bool send_mail(const FakeFormConfig& config, const std::vector<std::string>& rcpts, const std::string& message);

}  // namespace facteur::testing
