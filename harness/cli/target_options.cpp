#include "harness/cli/target_options.hpp"

#include <stdexcept>

#include <CLI/CLI.hpp>

#include "harness/cli/selection.hpp"
#include "harness/net/tls_options.hpp"

namespace facteur::cli {

void TargetArgs::add_options(CLI::App& cmd) {
  cmd.add_option("-t,--target", target, "Target URL: smtp://host:port, smtps://…, imap://…, pop3s://…")->required();
  cmd.add_option("--vars", vars_files, "JSON file of variables (e.g. the lab's vars.json)");
  cmd.add_option("--var", vars, "A variable, name=value (repeatable; wins over --vars)");
  cmd.add_option("--cacert", cacert, "CA certificates (PEM) to verify the server with");
  cmd.add_flag("-k,--insecure", insecure, "Do not verify the server certificate");
  cmd.add_flag("--starttls", starttls,
               "Upgrade every session with STARTTLS right after the greeting (cases about plain text skip)");
  cmd.add_option("--tls-min", tls_min, "Lowest TLS version to offer")->check(CLI::IsMember({"1.2", "1.3"}));
  cmd.add_option("--connect-timeout", connect_timeout, "Milliseconds")->capture_default_str();
  cmd.add_option("--reply-timeout", reply_timeout, "Milliseconds to wait for each reply")->capture_default_str();
  cmd.add_option("--case-timeout", case_timeout, "Milliseconds for a whole case")->capture_default_str();
  cmd.add_option("--seed", seed, "Seed for generated messages and random values")->capture_default_str();
}

engine::RunSettings TargetArgs::settings() const {
  std::string err;
  auto url = parse_target_url(target, &err);
  if (!url) throw std::runtime_error("--target: " + err);
  engine::RunSettings s;
  s.target = *url;
  s.starttls = starttls;
  s.seed = seed;
  s.connect_timeout = std::chrono::milliseconds(connect_timeout);
  s.reply_timeout = std::chrono::milliseconds(reply_timeout);
  s.case_timeout = std::chrono::milliseconds(case_timeout);
  for (const auto& f : vars_files) {
    for (auto& [k, v] : load_vars_file(f)) s.vars[k] = v;
  }
  for (const auto& kv : vars) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw std::runtime_error("--var '" + kv + "': expected name=value");
    s.vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!url->user.empty() && !s.vars.count("user")) s.vars["user"] = url->user;
  if (!url->password.empty() && !s.vars.count("password")) s.vars["password"] = url->password;
  net::TlsOptions tls;
  tls.verify = !insecure;
  tls.ca_file = cacert.empty() && s.vars.count("cacert") && !insecure ? s.vars["cacert"] : cacert;
  tls.min_version = tls_min;
  s.tls = net::make_client_context(tls);
  return s;
}

}  // namespace facteur::cli
