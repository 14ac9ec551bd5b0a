// The FEAT reply: the extensions a server announces (RFC 2389 §3), and MLST's fact list in it
// (RFC 3659 §7.8).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ftp/parsed.hpp"
#include "harness/ftp/reply.hpp"

namespace facteur::ftp {

// One fact of the MLST feature line ("Size*" → {"size", true}).
struct MlstFact {
  std::string name;       // lower-cased: fact names are case-insensitive (RFC 3659 §7.5)
  bool selected = false;  // '*': sent in MLSx entries until OPTS MLST says otherwise
  friend bool operator==(const MlstFact&, const MlstFact&) = default;
};

struct Features {
  bool supported = true;  // false when the server does not know FEAT (500 or 502)
  // Upper-cased feature-label → its feature-parms as sent, "" when none (" REST STREAM" → REST →
  // "STREAM"). RFC 2389 §3 leaves case to each feature's definition; the ones in use (RFC 2428,
  // 2640, 3659, 4217) are case-insensitive, so labels are folded and parameters kept.
  std::map<std::string, std::string> labels;

  bool has(std::string_view label) const;                   // case-insensitive
  const std::string* params(std::string_view label) const;  // nullptr when absent
  // The MLST line's facts in their order (RFC 3659 §7.8: factname ["*"] ";" each); empty when MLST
  // is absent or lists none.
  std::vector<MlstFact> mlst_facts() const;
};

// Reads the answer to FEAT (RFC 2389 §3.2):
// - 211 on one line: FEAT is known, no features ("211 no features");
// - 500 or 502: FEAT is not known (supported = false);
// - a multi-line 211: every line between the first and the last is " " feature-label
//   [" " feature-parms], the label 1*VCHAR, the parameters 1*TCHAR (visible, SP, HTAB); at least one
//   such line (no-features must be one line). The first and last lines' text is not looked at.
// Anything else is an error naming the line. A label repeated keeps its first parameters.
Parsed<Features> parse_feat(const Reply& reply);

}  // namespace facteur::ftp
