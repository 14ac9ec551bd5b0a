// Known failures of a given server, each with its reason. A listed case that fails is excused; a
// listed case that passes is reported as stale, so a baseline can only get stricter.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "reports/result.hpp"

namespace facteur::runner {

struct Baseline {
  std::string file;
  std::string description;
  std::map<std::string, std::string> reasons;  // case id → why it is expected to fail
};

// {"facteur-baseline": 1, "description": "...", "cases": {"id": "reason", ...}}.
// Throws std::runtime_error naming the file and the JSON path on a malformed file.
Baseline load_baseline(const std::string& path);

// Marks the cases listed in the baseline; returns baseline ids that matched no case of the run
// (reported as a warning: a typo or a case that was renamed).
std::vector<std::string> apply_baseline(const Baseline& baseline, std::vector<report::CaseResult>& cases);

}  // namespace facteur::runner
