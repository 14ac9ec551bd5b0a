// FTP control-connection replies as typed values, and the pure framer that produces them
// (RFC 959 §4.2, RFC 1123 §4.1.2.10-11). Nothing here touches a socket: bytes in, "need more" /
// reply / error out (shared/STYLE.md §1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::ftp {

// RFC 959 §4.2.1: what the first digit says about the command's fate.
enum class ReplyClass {
  preliminary = 1,         // 1yz: action started, another reply follows
  completion = 2,          // 2yz: done
  intermediate = 3,        // 3yz: accepted, send the next command of the sequence
  transient_negative = 4,  // 4yz: failed, may work if tried again
  permanent_negative = 5,  // 5yz: failed
};

// RFC 959 §4.2.1: what the second digit says the reply is about. Digits 6-9 are not assigned.
enum class ReplyFunction {
  syntax = 0,
  information = 1,
  connections = 2,
  authentication = 3,
  unspecified = 4,
  file_system = 5,
  unassigned = 6,
};

// One complete reply, single-line ("226 Transfer complete") or multi-line ("211-Features:" …
// "211 End").
struct Reply {
  int code = 0;  // 100..599: three digits, the first 1-5
  // Text of each line, without CRLF: the first after "NNN-" / "NNN ", the last after "NNN "; a line
  // in between as sent, except that a leading "NNN-" with the reply's own code is removed (servers
  // that prefix every line, as RFC 2228 §5.2 asks of protected replies). At most
  // ReplyLimits::keep_lines lines are kept.
  std::vector<std::string> lines;
  std::size_t line_count = 0;  // every line of the reply, kept or not
  bool multiline = false;      // the first line was "NNN-"
  std::size_t wire_bytes = 0;  // octets on the wire, every CRLF included

  ReplyClass klass() const { return static_cast<ReplyClass>(code / 100); }
  ReplyFunction function() const;
  bool preliminary() const { return code / 100 == 1; }
  bool positive() const { return code / 100 <= 3; }  // 1yz, 2yz, 3yz
  bool negative() const { return code / 100 >= 4; }  // 4yz, 5yz
  bool all_lines_kept() const { return lines.size() == line_count; }
  std::string text() const;  // the kept lines joined with '\n'
  friend bool operator==(const Reply&, const Reply&) = default;
};

struct ReplyLimits {
  // Octets per line, CRLF included. RFC 959 names no maximum; a FEAT or STAT line is short.
  std::size_t max_line = 8 * 1024;
  // Octets per reply: bounds what a caller buffers while a multi-line reply is in flight.
  std::size_t max_reply = 1024 * 1024;
  // Lines copied into Reply::lines; later lines are framed and counted, not kept. RFC 1123
  // §4.1.2.11 wants a client with a line limit to skip the excess to the end of the reply rather
  // than fail, so this is not an error.
  std::size_t keep_lines = 10000;
};

enum class ParseStatus { complete, need_more, error };

struct ReplyParse {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;  // octets of the reply (0 unless complete); what follows is the next one's
  Reply reply;               // valid when complete
  std::string error;         // human-readable reason when status == error
};

// Frames one reply out of a buffer that grows between calls, looking at each octet once, so a long
// multi-line reply is not re-read from its start on every read. One framer per reply.
//
// The rules (RFC 959 §4.2):
// - The first line is a code of three digits, the first 1-5, then ' ' (single line), '-' (more
//   lines follow) or CRLF directly (single line without text; RFC 3659 §7.2 writes the end of a
//   reply as "250" [SP text], and servers send "NNN" CRLF).
// - A multi-line reply ends at the first later line that is the same code followed by ' ' or by
//   CRLF. Every other line is text, whatever it begins with: another code, the same code and '-',
//   a space, nothing.
// - Lines end in CRLF. A LF without its CR is an error: RFC 959 §4.2 ends every line with the
//   Telnet end-of-line, and a conformance harness reports a server that does otherwise instead of
//   hiding it (as the SMTP and POP3 framers do). A CR not followed by LF is text.
//
// Every error is reported as soon as the octet proving it is in the buffer (a limit as soon as it
// is certain to be exceeded, even before the line ends), and every longer buffer gives the same
// error. Never throws on any input, never reads past the buffer, never reads octets after the reply.
class ReplyFramer {
 public:
  explicit ReplyFramer(ReplyLimits limits = {});

  // `buffer` holds everything received since the reply began; it may only grow between calls
  // (octets already fed are not looked at again). Once complete, further calls return the same
  // reply (framed again from buffer[0, consumed)); once failed, the same error. A buffer shorter
  // than one fed before is a caller's mistake and fails.
  ReplyParse feed(std::string_view buffer);

 private:
  enum class Phase : unsigned char { first, more, complete, failed };
  enum class Step : unsigned char { line, end, need_more, failed };

  Step frame_line(std::string_view in);
  Step check_code(std::string_view in, std::size_t end);
  void keep(std::string_view text);
  Step fail(std::string message);

  ReplyLimits limits_;
  Phase phase_ = Phase::first;
  std::size_t line_start_ = 0;  // offset of the line being framed
  std::size_t scanned_ = 0;     // octets before this offset hold no LF of the current line
  std::size_t seen_ = 0;        // largest buffer fed so far
  char code_[3] = {};
  Reply reply_;
  std::string error_;
};

// One-shot form: the first reply in `buffer`. Pure: the same input always gives the same result.
ReplyParse parse_reply(std::string_view buffer, const ReplyLimits& limits = {});

}  // namespace facteur::ftp
