// facteur: conformance, load and fuzz testing for SMTP, POP3, IMAP, FTP and HTTP forms.
#include <CLI/CLI.hpp>

#include "harness/cli/commands.hpp"
#include "harness/core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"facteur: conformance, load and fuzz testing for mail and file protocols"};
  app.set_version_flag("--version", facteur::version());
  app.require_subcommand(1);
  auto run = facteur::cli::add_run_command(app);
  auto list = facteur::cli::add_list_command(app);
  auto validate = facteur::cli::add_validate_command(app);
  auto report = facteur::cli::add_report_command(app);
  auto fuzz = facteur::cli::add_fuzz_command(app);
  auto load = facteur::cli::add_load_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : facteur::cli::kExitUsage;
  }
  if (app.got_subcommand("run")) return run();
  if (app.got_subcommand("list")) return list();
  if (app.got_subcommand("validate")) return validate();
  if (app.got_subcommand("report")) return report();
  if (app.got_subcommand("fuzz")) return fuzz();
  if (app.got_subcommand("load")) return load();
  return facteur::cli::kExitUsage;
}
