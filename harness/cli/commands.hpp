// The facteur subcommands. Each add_* registers its options on the app and returns the function
// that runs it once the command line is parsed.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace facteur::cli {

// Exit codes (README "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailures = 1;
inline constexpr int kExitUsage = 2;        // bad command line, bad scenario, bad baseline
inline constexpr int kExitUnreachable = 3;  // the target could not be reached at all
inline constexpr int kExitThresholds = 99;    // facteur load: a threshold failed
inline constexpr int kExitInterrupted = 130;

using Command = std::function<int()>;
Command add_run_command(CLI::App& app);
Command add_list_command(CLI::App& app);
Command add_validate_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_fuzz_command(CLI::App& app);
Command add_load_command(CLI::App& app);

}  // namespace facteur::cli
