// The options every command that talks to a server shares (run, fuzz, and load to come): the target
// URL, variables, TLS and deadlines, turned into the engine's RunSettings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/engine/settings.hpp"

namespace CLI {
class App;
}

namespace facteur::cli {

struct TargetArgs {
  std::string target;
  std::vector<std::string> vars_files;
  std::vector<std::string> vars;
  std::string cacert;
  bool insecure = false;
  bool starttls = false;
  std::string tls_min;
  int connect_timeout = 5000, reply_timeout = 10000, case_timeout = 60000;
  std::uint64_t seed = 1;

  // Registers the options; the defaults are the member values as they are when called.
  void add_options(CLI::App& command);
  // Throws std::runtime_error with a message naming the option at fault.
  engine::RunSettings settings() const;
};

}  // namespace facteur::cli
