// What expectations look at in a reply, the same for every protocol: its status ("250", "+OK",
// "OK"), enhanced code, lines, and whether the server closed instead of answering.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/smtp/ehlo.hpp"

namespace facteur::engine {

struct ReplyFacts {
  bool closed = false;               // EOF instead of a reply
  std::string status;                // "250"
  std::string enhanced;              // "2.1.0" or empty
  std::vector<std::string> lines;
  std::optional<smtp::Extensions> extensions;  // when the reply parses as an EHLO response

  std::string text() const;          // lines joined by '\n'
  std::string summary() const;       // "250 2.1.0 Ok" (first line, and "(+N lines)")
};

}  // namespace facteur::engine
