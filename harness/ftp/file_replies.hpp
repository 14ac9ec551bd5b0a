// Single-line replies that carry one value about a file or directory: SIZE's and MDTM's 213
// (RFC 3659 §3-4) and PWD's / MKD's 257 (RFC 959 appendix II).
#pragma once

#include <cstdint>
#include <string>

#include "harness/ftp/parsed.hpp"
#include "harness/ftp/reply.hpp"
#include "harness/ftp/time_val.hpp"

namespace facteur::ftp {

// RFC 3659 §4.1: size-response = "213" SP 1*DIGIT CRLF, exactly, on one line; the value fits 64 bits.
Parsed<std::uint64_t> parse_size(const Reply& reply);

// RFC 3659 §3.1: mdtm-response = "213" SP time-val CRLF, exactly, on one line.
Parsed<TimeVal> parse_mdtm(const Reply& reply);

struct DirectoryName {
  std::string path;        // between the quotes, each doubled quote made one (the quote-doubling convention)
  std::string commentary;  // what follows the closing quote, without the space before it
  bool quote_first = true; // the text begins with the quote, as RFC 959 appendix II writes 257 replies
};

// RFC 959 appendix II: 257 <SP> "<directory-name>" <SP> <commentary>, e.g.
// 257 "/a ""quoted"" dir" is current directory → /a "quoted" dir. The first quote of the first
// line opens the name (servers that put text before it are read too: quote_first says so); the
// name ends at the first quote not doubled. An error when there is no quoted, non-empty name.
Parsed<DirectoryName> parse_directory(const Reply& reply);

}  // namespace facteur::ftp
