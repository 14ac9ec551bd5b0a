// SMTP replies as the fake server puts them on the wire, with the framing misbehaviours applied
// (missing enhanced codes, bare LF, a code that changes mid-reply, a last line that says '-').
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/fake_smtp_config.hpp"

namespace facteur::test {

// "250-first\r\n250 last\r\n". `enhanced` ("2.1.0", may be empty) prefixes every line's text.
std::string format_reply(int code, std::string_view enhanced, const std::vector<std::string>& lines,
                         const Misbehaviour& bad);

// A rule's literal reply: "\n" separates lines; every line gets the line ending the misbehaviour
// asks for (CRLF, or LF with bare_lf_replies). Nothing else is changed.
std::string format_literal(std::string_view reply, const Misbehaviour& bad);

}  // namespace facteur::test
