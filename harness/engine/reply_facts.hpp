// What expectations look at in a reply, the same for every protocol: its status ("250", "+OK",
// "OK"), enhanced code, lines, and whether the server closed instead of answering.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness/imap/response.hpp"
#include "harness/smtp/ehlo.hpp"

namespace facteur::engine {

struct ReplyFacts {
  bool closed = false;               // EOF instead of a reply
  std::string status;                // "250"
  std::string enhanced;              // "2.1.0" or empty
  std::vector<std::string> lines;
  std::optional<smtp::Extensions> extensions;  // when the reply parses as an EHLO response
  std::string extensions_error;      // why a 2xx reply does not parse as one (RFC 5321 §4.1.1.1)
  // IMAP: what one command brought back (the tagged completion is also status + lines)
  std::vector<imap::Response> untagged;
  std::optional<imap::Response> tagged;
  // POP3: the lines of a multi-line body (dot-unstuffed; the first ones when it is long)
  std::vector<std::string> body;
  std::size_t body_lines = 0;
  bool has_body = false;             // a multi-line (dot-terminated) body followed the status line
  // IMAP CAPABILITY / POP3 CAPA announced in this reply (upper-case), for present/absent
  std::optional<std::set<std::string>> capabilities;
  // HTTP: the response's header fields as received (name, value); `lines` are the reason phrase
  // then the body's lines
  std::optional<std::vector<std::pair<std::string, std::string>>> headers;

  std::string text() const;          // lines joined by '\n'
  std::string summary() const;       // "250 2.1.0 Ok" (first line, and "(+N lines)")
};

}  // namespace facteur::engine
