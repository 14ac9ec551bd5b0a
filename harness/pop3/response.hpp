// POP3 responses as typed values, and the pure framer that produces them (RFC 1939 §3, RFC 2449 §3,
// RFC 5034 §4). Nothing here touches a socket: bytes in, "need more" / response / error out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::pop3 {

// 64-bit FNV-1a, continuing from `hash` so a body can be hashed piecewise.
inline constexpr std::uint64_t fnv1a64_basis = 0xcbf29ce484222325ULL;
std::uint64_t fnv1a64(std::string_view octets, std::uint64_t hash = fnv1a64_basis);

// One complete response: a status line, and for a multi-line response the body that followed it.
struct Response {
  // "+OK", "-ERR", or a SASL challenge "+ " (RFC 5034 §4 continue-req; a bare "+" CRLF too).
  enum class Kind { ok, err, continuation };
  Kind kind = Kind::ok;
  std::string text;   // status line after "+OK "/"-ERR " (or the challenge after "+ "), no CRLF
  // RFC 2449 §8 extended response code at the start of +OK / -ERR text, without the brackets and
  // upper-cased ("IN-USE", "SYS/TEMP", "AUTH"); "" when none. The text keeps it as sent.
  std::string code;
  bool multiline = false;           // a multi-line body followed the status line
  std::vector<std::string> lines;   // body lines, dot-unstuffed, without CRLF (at most Limits::keep_lines)
  std::size_t line_count = 0;       // every body line, kept or not (the terminator is not a line)
  // Octets of the body as the message is: unstuffed, each line plus CRLF. This is what RFC 1939
  // §5 LIST and §11 count as a message's "exact size".
  std::size_t body_octets = 0;
  std::size_t wire_bytes = 0;       // octets on the wire: status line, stuffing and terminator included
  std::uint64_t body_hash = fnv1a64_basis;  // fnv1a64 of the body_octets octets (of none for a single line)

  bool ok() const { return kind == Kind::ok; }
  bool all_lines_kept() const { return lines.size() == line_count; }
};

struct Limits {
  std::size_t max_line = 64 * 1024;          // octets per line incl. CRLF (RFC 2449 §4: 512 for a status line; servers exceed it)
  std::size_t max_body = 512 * 1024 * 1024;  // body_octets of one response
  std::size_t keep_lines = 100000;           // body lines copied into Response::lines; the rest are only counted
};

enum class ParseStatus { complete, need_more, error };

struct ParseResult {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;  // octets of the response (0 unless complete); what follows is the next one's
  Response response;         // valid when complete
  std::string error;         // human-readable reason when status == error
};

// Frames one response out of a buffer that grows between calls, scanning each octet once, so a
// multi-megabyte RETR is not re-read from its start on every read. One framer per response.
//
// `multiline_if_ok` comes from the command the response answers (see multiline_command): a +OK is
// then followed by a dot-stuffed body ending in ".CRLF"; -ERR and "+ " are always one line.
//
// Lines end in CRLF; a LF without its CR is an error, a CR without its LF is data. A status line
// must start with "+OK", "-ERR" or "+", followed by SP or CRLF. In the body a leading dot is removed
// ("..x" → ".x", ".." → "."), and the line "." ends the response (RFC 1939 §3).
//
// Every error is reported as soon as the octet proving it is in the buffer (a limit as soon as it
// is certain to be exceeded, even before the line ends), and every longer buffer gives the same
// error. Never throws on any input, never reads past the buffer, never reads octets after the
// response.
class ResponseFramer {
 public:
  explicit ResponseFramer(bool multiline_if_ok, Limits limits = {});

  // `buffer` holds everything received since the response began; it may only grow between calls
  // (octets already fed are not looked at again). Once complete, further calls return the same
  // response (parsed again from buffer[0, consumed)); once failed, the same error. A buffer shorter
  // than one fed before is a caller's mistake and fails.
  ParseResult feed(std::string_view buffer);

 private:
  enum class Phase : unsigned char { status, body, complete, failed };
  enum class Step : unsigned char { line, end, need_more, failed };

  Step frame_status(std::string_view in);
  Step frame_body_line(std::string_view in);
  Step fail(std::string message);

  Limits limits_;
  bool multiline_if_ok_ = false;
  Phase phase_ = Phase::status;
  std::size_t line_start_ = 0;   // offset of the line being framed
  std::size_t line_number_ = 1;  // of that line, the status line being 1
  std::size_t scanned_ = 0;      // octets before this offset hold no LF of the current line
  std::size_t seen_ = 0;         // largest buffer fed so far
  Response response_;
  std::string error_;
};

// One-shot form: the first response in `buffer`. Pure: the same input always gives the same result.
ParseResult parse_response(std::string_view buffer, bool multiline_if_ok, const Limits& limits = {});

// Whether a +OK to `command_line` (with or without its CRLF) is multi-line by RFC 1939 / RFC 2449:
// RETR, TOP, CAPA, and LIST / UIDL without an argument. LIST n, UIDL n, AUTH and everything else
// are single-line. Keywords are case-insensitive.
bool multiline_command(std::string_view command_line);

// RFC 2449 §8: the response code at the start of status text ("[SYS/TEMP] try later" → "SYS/TEMP"),
// upper-cased; "" when the text does not start with a well-formed one
// (resp-code = "[" resp-level *("/" resp-level) "]", resp-level = 1*rchar).
std::string parse_response_code(std::string_view text);

}  // namespace facteur::pop3
