// Matches a reply against the acceptable outcomes of a step; pure (no I/O), so it is unit-tested
// apart from any server.
#pragma once

#include <functional>
#include <string>

#include "harness/engine/reply_facts.hpp"
#include "harness/scenario/model.hpp"
#include "harness/scenario/template.hpp"

namespace facteur::engine {

struct MatchResult {
  bool ok = false;
  std::string why;   // for a mismatch: what differed, for the closest outcome
};

// Expands the templates of IMAP patterns and of regular expressions that hold "${…}".
using Expander = std::function<std::string(const std::string&)>;

// On success the expectation's captures (and IMAP $variables) are stored into `vars`.
MatchResult match(const scenario::ExpectSet& set, const ReplyFacts& reply, scenario::Vars& vars,
                  const Expander& expand = {});
bool code_matches(const std::string& pattern, const std::string& status);
bool enhanced_matches(const std::string& pattern, const std::string& enhanced);

}  // namespace facteur::engine
