// SMTP replies as typed values, and the pure parsers that produce them.
// Nothing here touches a socket: bytes in, "need more" / reply / error out (shared/STYLE.md §1).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::smtp {

// RFC 3463 §2: class.subject.detail, e.g. 5.1.1. Parsed from the start of a reply line (RFC 2034 §4).
struct EnhancedCode {
  int klass = 0;    // 2, 4 or 5
  int subject = 0;  // 0..999
  int detail = 0;   // 0..999
  std::string str() const;  // "5.1.1"
  friend bool operator==(const EnhancedCode&, const EnhancedCode&) = default;
};

// One complete (possibly multi-line) reply, RFC 5321 §4.2.
struct Reply {
  int code = 0;                        // 200..599
  std::vector<std::string> lines;      // text of each line after "NNN-"/"NNN " (no CRLF), may be empty
  std::optional<EnhancedCode> enhanced;  // from the first line, when it starts with one
  std::size_t wire_bytes = 0;          // octets the reply took on the wire, CRLFs included

  int klass() const { return code / 100; }
  std::string text() const;            // lines joined with '\n'
};

struct ReplyLimits {
  std::size_t max_line = 4096;          // octets per line incl. CRLF (RFC 5321 §4.5.3.1.5 says 512; servers exceed it)
  std::size_t max_lines = 1000;         // lines in one multi-line reply
  std::size_t max_reply = 256 * 1024;   // octets in one reply
};

enum class ParseStatus { complete, need_more, error };

struct ReplyParse {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;   // octets of input used by a complete reply (0 unless complete)
  Reply reply;                // valid when complete
  std::string error;          // human-readable reason when status == error
};

// Parses the first reply in `input`. Never reads past `input`, never throws on any input.
// Errors: code not three digits or outside 2xx-5xx, separator not ' ' or '-', code changing between
// the lines of one reply, bare LF / CR line ending, a limit exceeded (even before the line ends).
// An error is reported as soon as the octet proving it is in `input`, and every longer input gives
// the same error, so callers may re-parse a growing buffer. Octets after the reply are not read.
// The second code digit is not limited to 0-5 (RFC 5321 §4.2 ABNF); scenarios judge that.
// `enhanced` is taken from the first line whatever its class; RFC 2034 §4 agreement with the reply
// code is for checks to judge, not the parser.
ReplyParse parse_reply(std::string_view input, const ReplyLimits& limits = {});

// Parses an enhanced status code at the start of `text` ("2.1.0 Ok" → 2.1.0); nullopt if none.
std::optional<EnhancedCode> parse_enhanced_code(std::string_view text);

}  // namespace facteur::smtp
