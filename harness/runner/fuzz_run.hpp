// facteur fuzz: sends mutations of a scenario's client lines to a live server, one input at a time,
// and keeps what the server did wrong as findings — each a minimised scenario that replays with
// `facteur run`. Reproducible: iteration n of seed s is always the same input.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/engine/settings.hpp"
#include "harness/fuzz/iteration.hpp"
#include "harness/scenario/model.hpp"
#include "reports/result.hpp"

namespace facteur::runner {
using fuzz::FindingKind;

struct SeedScenario {
  nlohmann::ordered_json doc;          // the file as written
  scenario::Scenario model;    // as loaded (for its id and file)
};

struct FuzzOptions {
  engine::RunSettings settings;
  std::uint64_t iterations = 200;
  std::chrono::milliseconds duration{0};   // 0 = no time bound
  double rate = 20;                        // inputs per second at most (loopback-friendly)
  int minimise_runs = 24;                  // extra runs allowed to shrink each finding
  int quiet_ms = 200;
  std::vector<std::string> mutations;      // empty = every applicable one
  std::optional<std::uint64_t> only;       // run just this iteration number
  std::string findings_dir = "out/fuzz-findings";
  std::function<void(const std::string&)> on_line;  // progress and findings, one line each
};

struct Finding {
  FindingKind kind = FindingKind::none;
  std::string key;
  std::string file;            // the scenario written
  std::string mutation;
  std::uint64_t iteration = 0;
  int duplicates = 0;          // later inputs that found the same thing (not written again)
};

struct FuzzResult {
  report::RunResult run;       // the usual result document: one case per finding, one per clean seed
  std::vector<Finding> findings;
  std::uint64_t inputs = 0;
  std::uint64_t setup_failures = 0;   // the seed's own steps failed before the mutation
  std::map<std::string, std::uint64_t> by_mutation;
};

// Throws std::runtime_error when no seed has a line to mutate.
FuzzResult run_fuzz(const std::vector<SeedScenario>& seeds, const FuzzOptions& options);

}  // namespace facteur::runner
