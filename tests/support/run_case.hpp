// Runs one scenario through the engine, synchronously, for tests.
#pragma once

#include <optional>
#include <string>

#include "harness/engine/case_run.hpp"
#include "harness/scenario/loader.hpp"

namespace facteur::testing {

report::CaseResult run_case_sync(const scenario::Scenario& s, const engine::RunSettings& settings,
                                 const engine::Capabilities& caps = {});
// Settings for a plain target on 127.0.0.1:port with short deadlines (reply 500 ms, case 5 s).
engine::RunSettings local_settings(const std::string& scheme, std::uint16_t port);
scenario::Scenario inline_scenario(const std::string& json);

}  // namespace facteur::testing
