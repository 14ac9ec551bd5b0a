// Directory listings read off the data connection: lines of LIST (format not standardised: lines
// only), NLST's names (RFC 959 §4.1.3, RFC 1123 §4.1.2.7) and MLSD's entries (RFC 3659 §7.2).
// Streaming (feed chunks cut anywhere, then finish when the connection closes) or over a whole
// buffer, with limits.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ftp/facts.hpp"
#include "harness/ftp/parsed.hpp"

namespace facteur::ftp {

struct ListingLimits {
  // Octets per line, CRLF included. RFC 3659 §7.2 sets no maximum and asks for arbitrarily long
  // lines; a bound is needed against a hostile server, and this one is far above any pathname.
  std::size_t max_line = 64 * 1024;
  std::size_t max_lines = 1000000;  // lines per listing
};

// Cuts a data connection's octets into lines. Lines end in CRLF: LIST and NLST data go as TYPE A
// (RFC 1123 §4.1.2.7), whose line end is CRLF (RFC 959 §3.1.1.1), and MLSD's data-response is
// "entry CRLF" (RFC 3659 §7.2). A LF without its CR is an error, as on the control connection; a
// CR not followed by LF is data. Holds at most one partial line (< max_line octets).
class LineSplitter {
 public:
  explicit LineSplitter(ListingLimits limits = {});

  // Appends each line `chunk` completes to `lines`, without its CRLF. False once the data is
  // malformed or past a limit (error() says why), and for every call after that.
  bool feed(std::string_view chunk, std::vector<std::string>& lines);
  // The data connection closed: false when the last line has no CRLF.
  bool finish();

  const std::string& error() const { return error_; }
  std::size_t line_count() const { return line_count_; }  // lines completed so far

 private:
  bool fail(std::string message);

  ListingLimits limits_;
  std::string partial_;  // the line in flight, CR included
  std::size_t line_count_ = 0;
  std::string error_;
};

// Reads MLSD's data-response as it arrives: each line an entry (parse_entry), no blank line
// (RFC 3659 §7.2: nothing but entries).
class MlsdParser {
 public:
  explicit MlsdParser(ListingLimits limits = {});

  // Appends each entry `chunk` completes to `entries`. False once an entry or the data is
  // malformed (error() names the line), and for every call after that.
  bool feed(std::string_view chunk, std::vector<Entry>& entries);
  bool finish();

  const std::string& error() const { return error_; }

 private:
  bool take(std::vector<Entry>& entries);

  LineSplitter splitter_;
  std::vector<std::string> lines_;  // completed by the last feed, not parsed yet
  std::string error_;
};

// One-shot forms over a whole listing.
Parsed<std::vector<std::string>> split_lines(std::string_view data, const ListingLimits& limits = {});  // LIST
// NLST: one pathname a line (RFC 1123 §4.1.2.7), so an empty line is an error.
Parsed<std::vector<std::string>> parse_nlst(std::string_view data, const ListingLimits& limits = {});
Parsed<std::vector<Entry>> parse_mlsd(std::string_view data, const ListingLimits& limits = {});

}  // namespace facteur::ftp
