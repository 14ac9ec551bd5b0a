// The client lines of a scenario, as fuzz seeds: for each top-level step that sends a command, the
// line it puts on the wire (without CRLF), templates kept as references. Read from the scenario's
// JSON, not the loaded model, so that a fuzz input is built from the steps exactly as written.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/core/target_url.hpp"
#include "harness/fuzz/payload.hpp"

namespace facteur::fuzz {

struct SeedLine {
  std::size_t step = 0;        // index in the scenario's top-level "steps"
  std::string session = "main";
  std::string kind;            // the step's action key: "ehlo", "imap", "auth", …
  std::string verb;            // upper-case command verb: "EHLO", "SELECT", "AUTH"
  Payload line;                // without the line end; IMAP lines carry their tag
};

// The tag every IMAP fuzz line carries, so the session's invariants know the completion.
inline constexpr const char* kImapTag = "fz1";

std::vector<SeedLine> seed_lines(const nlohmann::ordered_json& scenario, Protocol protocol);

}  // namespace facteur::fuzz
