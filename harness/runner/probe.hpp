// Asks the target what it announces before running cases, so that cases whose requirements are
// missing are skipped (not failed).
#pragma once

#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "harness/engine/settings.hpp"

namespace facteur::runner {

struct ProbeResult {
  engine::Capabilities caps;
  std::string error;                           // "connect: …" when the target could not be reached
  std::map<std::string, std::string> facts;    // greeting, TLS version, … for the report
};

boost::asio::awaitable<ProbeResult> probe(const engine::RunSettings& settings);

}  // namespace facteur::runner
