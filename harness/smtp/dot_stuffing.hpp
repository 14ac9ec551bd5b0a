// The DATA payload codec (RFC 5321 §4.5.2): transparency dots and the end-of-data marker.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace facteur::smtp {

// Turns a message into its DATA wire form: every line that begins with '.' gets one more '.',
// line endings are normalised to CRLF (bare LF and bare CR become CRLF), a final CRLF is added if
// missing, and ".\r\n" terminates. An empty message gives ".\r\n".
std::string dot_stuff(std::string_view message);

// Streaming form of dot_stuff for bodies too large to hold: feed chunks (split anywhere, even
// between CR and LF), then finish(), which also resets the stuffer for the next message.
class DotStuffer {
 public:
  void feed(std::string_view chunk, std::string& out);
  void finish(std::string& out);

 private:
  bool at_line_start_ = true;
  bool pending_cr_ = false;
};

// Incremental decoder for a dot-stuffed payload (a DATA body seen by a server, or a POP3 multi-line
// response): removes one leading dot per line and stops at "CRLF.CRLF".
class DotUnstuffer {
 public:
  struct Step {
    std::size_t consumed = 0;  // octets of input used
    bool done = false;         // end marker seen (consumed includes it)
  };
  // Appends the decoded octets to `out`. Never consumes more than `input` holds, nor anything past
  // the end marker (what follows it is the caller's). The payload must start at a line start, so
  // ".\r\n" as the first line is the end marker of an empty body. The CRLF before the end marker
  // is the last line's own and stays in `out` ("a\r\n.\r\n" → "a\r\n"). Once done, feed consumes
  // nothing and keeps reporting done until reset(). A bare LF is data, not a line end.
  Step feed(std::string_view input, std::string& out);
  // Back to the start of a new payload.
  void reset();

 private:
  int state_ = 0;  // position in the line-start / terminator automaton
};

// Number of BDAT commands needed to send `message_size` octets in chunks of at most `chunk_size`
// octets (RFC 3030 §2; no stuffing), the last one carrying LAST: ceil(size / chunk). An empty
// message still needs one, "BDAT 0 LAST" (RFC 3030 §2 allows a zero chunk-size), so 0 → 1.
// A chunk_size of 0 cannot split anything and gives 0.
std::size_t bdat_chunk_count(std::size_t message_size, std::size_t chunk_size);

}  // namespace facteur::smtp
