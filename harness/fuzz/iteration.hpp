// One fuzz input as a scenario: the seed scenario's steps up to the seed line, the mutation, the
// probe and a drain of the replies, then a fresh connection to see that the server still lives.
// This scenario is both what runs and what a finding is written as, so every finding replays
// with `facteur run`. Classifying a run's result into a finding is here too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/fuzz/mutator.hpp"
#include "reports/result.hpp"

namespace facteur::fuzz {

struct Iteration {
  std::string seed_id;         // the seed scenario's id
  std::uint64_t run_seed = 1;  // --seed
  std::uint64_t number = 0;    // iteration number within the run
  Protocol protocol = Protocol::smtp;
  int quiet_ms = 200;          // drain: silence that ends the replies
  // Which steps before the seed line are kept: all of them, unless minimising dropped some.
  std::optional<std::vector<std::size_t>> prefix;
};

// Where the parts of an iteration scenario sit among its top-level steps.
struct Layout {
  std::size_t prefix = 0;      // steps [0, prefix) come from the seed scenario
  std::size_t mutation_end = 0;  // steps [prefix, mutation_end) are the mutation (and probe)
  std::size_t liveness = 0;    // the connect that checks the server still answers
};

nlohmann::ordered_json iteration_scenario(const nlohmann::ordered_json& seed_scenario, const SeedLine& seed, const Mutation& m,
                                  const Iteration& it, Layout* layout = nullptr);

enum class FindingKind { none, crash, hang, unparseable, invariant, deviation };
const char* to_string(FindingKind);

struct Verdict {
  FindingKind kind = FindingKind::none;
  std::string key;     // what must stay the same while minimising: kind plus rule id
  bool setup_failed = false;  // the seed's own steps failed: not the mutation's doing
};

Verdict classify(const report::CaseResult& r, const Layout& layout);

}  // namespace facteur::fuzz
