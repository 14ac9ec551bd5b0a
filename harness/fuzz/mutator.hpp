// Protocol-aware mutations of a scenario's client lines (pure; every choice drawn from the caller's
// generator, so one seed and iteration number always give the same input).
//
// A mutation replaces the seed step with steps of its own (usually one raw step) and says how the
// server's answer is judged afterwards: whether the probe line follows (`sync`), whether the client
// closes instead, and the most replies a conforming server sends (`max_replies`, with the rule
// that says so in `oracle`).
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/fuzz/seeds.hpp"

namespace facteur::fuzz {

struct Oracle {
  std::string rfc, section, level;   // "5321", "2.3.8", "MUST"
  std::string rule;                  // one line, paraphrased
};

struct Mutation {
  std::string name;                  // "overlong-line"
  std::string detail;                // "a 65536-octet argument"
  Payload payload;                   // what the raw step sends (empty when `steps` is set by hand)
  nlohmann::ordered_json steps;              // replaces the seed step; built from `payload` when null
  bool sync = true;                  // send the probe line afterwards and expect its reply
  bool close_after = false;          // the client closes after sending (no reply is read)
  int max_replies = 1'000'000;       // replies to payload + probe; more breaks `oracle`
  std::optional<Oracle> oracle;
};

struct MutationContext {
  Protocol protocol = Protocol::smtp;
  const SeedLine* seed = nullptr;
  const std::vector<SeedLine>* all = nullptr;  // the scenario's lines (commands in the wrong state)
  bool starttls_offered = false;               // plain session; the target announces STARTTLS
};

// Every mutation name, for --mutations and the documentation.
const std::vector<std::string>& mutation_names();
// The names that apply to this seed line.
std::vector<std::string> applicable(const MutationContext& ctx);
// One mutation; `name` empty = drawn among the applicable ones.
Mutation mutate(const MutationContext& ctx, std::mt19937_64& rng, const std::string& name = {});
// The line sent after the mutation to see that the session still answers ("NOOP", "fzs NOOP").
std::string probe_line(Protocol protocol);

}  // namespace facteur::fuzz
