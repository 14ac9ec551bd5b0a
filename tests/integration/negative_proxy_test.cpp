// Every IMAP, POP3 and FTP conformance case is proven able to fail against the real server. Each
// scenario under scenarios/imap, scenarios/pop3 and scenarios/ftp runs through the mutating proxy of
// tests/support in front of the lab's Dovecot or vsftpd (FTP: the control connection only; the data
// connections go straight to the address the (possibly rewritten) PASV/EPSV reply names): once
// unmutated (it must pass: the positive control, so a failure below comes from the mutation), then once per variant of its entry in negatives/<protocol>.json with that
// variant's rules (it must fail, or warn for a SHOULD/MAY case, with a message holding `why`, and
// every rule must have fired). A scenario without an entry fails, and so does an entry without a
// scenario. The SMTP cases get the same proof from a fake server (tests/harness/engine).
//
// negatives/<protocol>.json (and negatives/<protocol>-<part>.json, one per area of the suite, so that
// writers of different areas do not edit one file) map a scenario id to
//   [ {"name": "what the server does wrong", "why": "substring of the failure message",
//      "rules": [ {"match": "regex", "replace": "…", …} ]}, … ]   (rules: tests/support/mutating_proxy.hpp)
//   {"skipped": "why"}    the case skips against the lab's server (a requirement it does not announce)
//   {"baselined": "why"}  the lab's server itself fails the case: the unmutated run is the proof
// Rules with "client": true rewrite what facteur sends instead (FTP "REST 100000" → "REST 0": a server
// that ignores the restart marker). Misbehaviour a proxy cannot make (a data connection cut short)
// is proven with the purpose-built servers of negative_ftp_data_test.cpp.
//
// Environment: FACTEUR_LAB_DIR (default /tmp/facteur-lab) for vars.json; FACTEUR_NEGATIVE_ONLY=<id
// prefix>[,<prefix>…] runs a subset (the coverage checks then cover that subset only); FACTEUR_NEGATIVE_TRANSCRIPT=1
// prints the unmutated run's transcript (the lines to write `match` against); FACTEUR_NEGATIVE_ROOT=<dir>
// reads <dir>/scenarios/<protocol> and <dir>/negatives/<protocol>.json instead (to check this test).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/imap/response.hpp"
#include "harness/net/connection.hpp"
#include "harness/net/tls_options.hpp"
#include "harness/runner/probe.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/template.hpp"
#include "tests/support/mutating_proxy.hpp"
#include "tests/support/outcome_printer.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using testing::ProxyRule;

std::string env(const char* name, const std::string& fallback = {}) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string only_prefix() { return env("FACTEUR_NEGATIVE_ONLY"); }

// FACTEUR_NEGATIVE_ONLY holds id prefixes separated by commas ("" selects everything).
bool selected(const std::string& id) {
  const std::string only = only_prefix();
  if (only.empty()) return true;
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = only.find(',', from);
    const std::string prefix = only.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (!prefix.empty() && id.rfind(prefix, 0) == 0) return true;
    if (comma == std::string::npos) return false;
    from = comma + 1;
  }
}

fs::path scenario_dir(const std::string& protocol) {
  const std::string root = env("FACTEUR_NEGATIVE_ROOT");
  return root.empty() ? fs::path(FACTEUR_SOURCE_DIR) / "scenarios" / protocol : fs::path(root) / "scenarios" / protocol;
}

fs::path table_dir() {
  const std::string root = env("FACTEUR_NEGATIVE_ROOT");
  return root.empty() ? fs::path(FACTEUR_SOURCE_DIR) / "tests/integration/negatives" : fs::path(root) / "negatives";
}

// A protocol's table may be split over several files: negatives/<protocol>.json and
// negatives/<protocol>-<part>.json (one per area of the suite), read in name order.
std::vector<fs::path> table_files(const std::string& protocol) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(table_dir(), ec)) {
    if (e.path().extension() != ".json") continue;
    const std::string stem = e.path().stem().string();
    if (stem == protocol || stem.rfind(protocol + "-", 0) == 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// How messages name a protocol's table files.
std::string table_glob(const std::string& protocol) { return (table_dir() / (protocol + "*.json")).string(); }

// --- the table -----------------------------------------------------------------------------------

struct Variant {
  std::string name;  // what the mutated server does wrong, in a few words
  std::string why;   // a substring the failure message must hold
  std::vector<ProxyRule> rules;
};

struct Entry {
  std::string file;  // the table file it came from, for messages
  std::vector<Variant> variants;
  std::string skipped;    // set: the case skips against the lab's Dovecot, for this reason
  std::string baselined;  // set: Dovecot fails the case unmutated, for this reason
};

struct Table {
  std::map<std::string, Entry> entries;
  std::vector<std::string> errors;  // one per bad entry, with its id and where
};

Variant parse_variant(const json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": a variant is {\"name\", \"why\", \"rules\"}");
  Variant v;
  for (const auto& [key, value] : j.items()) {
    if (key == "name" && value.is_string()) {
      v.name = value.get<std::string>();
    } else if (key == "why" && value.is_string()) {
      v.why = value.get<std::string>();
    } else if (key == "rules") {
      try {
        v.rules = testing::parse_proxy_rules(value);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + "/rules: " + e.what());
      }
    } else {
      throw std::invalid_argument(where + ": '" + key + "' is not a variant key (name: string, why: string, rules: array)");
    }
  }
  if (v.why.empty()) throw std::invalid_argument(where + ": 'why' (a substring of the failure message) is required");
  if (v.rules.empty()) throw std::invalid_argument(where + ": 'rules' must hold at least one rule");
  return v;
}

Entry parse_entry(const json& j, const std::string& where) {
  Entry e;
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) e.variants.push_back(parse_variant(j[i], where + "/" + std::to_string(i)));
    if (e.variants.empty()) throw std::invalid_argument(where + ": no variant");
    return e;
  }
  const bool one_key = j.is_object() && j.size() == 1;
  if (one_key && j.contains("skipped") && j["skipped"].is_string()) e.skipped = j["skipped"].get<std::string>();
  if (one_key && j.contains("baselined") && j["baselined"].is_string()) e.baselined = j["baselined"].get<std::string>();
  if (e.skipped.empty() && e.baselined.empty()) {
    throw std::invalid_argument(where + ": expected [variants…], {\"skipped\": \"reason\"} or {\"baselined\": \"reason\"}");
  }
  return e;
}

Table load_table(const fs::path& file) {
  Table t;
  std::ifstream in(file);
  if (!in) {
    t.errors.push_back(file.string() + ": cannot be read");
    return t;
  }
  json root;
  try {
    root = json::parse(in);
  } catch (const json::exception& e) {
    t.errors.push_back(file.string() + ": " + e.what());
    return t;
  }
  if (!root.is_object()) {
    t.errors.push_back(file.string() + ": expected an object {\"<scenario id>\": …}");
    return t;
  }
  for (const auto& [id, value] : root.items()) {
    try {
      t.entries[id] = parse_entry(value, file.filename().string() + ": " + id);
      t.entries[id].file = file.filename().string();
    } catch (const std::invalid_argument& e) {
      t.errors.push_back(e.what());
    }
  }
  return t;
}

// --- scenarios and the lab ---------------------------------------------------------------------

struct Suite {
  std::string protocol;
  std::vector<scenario::Scenario> scenarios;  // of this protocol, those FACTEUR_NEGATIVE_ONLY selects
  std::string load_error;
  Table table;
};

// Both folders are read at once and the cases sorted by their own protocol (a POP3 scenario kept
// under scenarios/imap still runs against the POP3 server and needs its entry in pop3.json).
const Suite& suite(const std::string& protocol) {
  static const std::map<std::string, Suite> suites = [] {
    std::map<std::string, Suite> out;
    std::vector<scenario::Scenario> all;
    std::string error;
    try {
      std::vector<std::string> dirs;
      for (const char* p : {"imap", "pop3", "ftp"}) {
        if (fs::is_directory(scenario_dir(p))) dirs.push_back(scenario_dir(p).string());
      }
      if (!dirs.empty()) all = scenario::load_scenarios(dirs);
    } catch (const std::exception& e) {
      error = e.what();
    }
    for (const char* p : {"imap", "pop3", "ftp"}) {
      Suite& s = out[p];
      s.protocol = p;
      s.load_error = error;
      for (const auto& file : table_files(p)) {
        Table part = load_table(file);
        for (auto& [id, entry] : part.entries) {
          if (s.table.entries.count(id)) s.table.errors.push_back(file.filename().string() + ": " + id + " is in two files");
          s.table.entries[id] = std::move(entry);
        }
        for (auto& e : part.errors) s.table.errors.push_back(std::move(e));
      }
    }
    for (auto& sc : all) {
      const std::string p = to_string(sc.protocol);
      if (out.count(p) && selected(sc.id)) out[p].scenarios.push_back(std::move(sc));
    }
    return out;
  }();
  return suites.at(protocol);
}

std::vector<std::string> scenario_ids(const std::string& protocol) {
  std::vector<std::string> ids;
  for (const auto& s : suite(protocol).scenarios) ids.push_back(s.id);
  return ids;
}

scenario::Vars load_vars(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("no " + file.string() + ": start the lab (lab/lab.sh start)");
  const json root = json::parse(in);
  scenario::Vars vars;
  for (const auto& [k, v] : root.items()) vars[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return vars;
}

runner::ProbeResult probe_sync(const engine::RunSettings& settings) {
  boost::asio::io_context io;
  runner::ProbeResult out;
  boost::asio::co_spawn(io, runner::probe(settings), [&](std::exception_ptr e, runner::ProbeResult r) {
    if (e) out.error = "the probe threw";
    else out = std::move(r);
  });
  io.run();
  return out;
}

// Other engineers' runs restart the shared lab now and then: a run the server refused is run again.
constexpr int kLabAttempts = 5;
constexpr std::chrono::seconds kLabPause{2};

// The lab's server for one protocol, and what it announces (probed once, through a proxy without
// rules, so that `requires` skips as in a real run).
struct Lab {
  std::string error;
  TargetUrl upstream;
  engine::RunSettings settings;  // target: set per run to the proxy
  engine::Capabilities caps;
};

const Lab& lab(const std::string& protocol) {
  static std::map<std::string, Lab> labs;
  auto [it, fresh] = labs.try_emplace(protocol);
  Lab& l = it->second;
  if (!fresh) return l;
  try {
    const fs::path dir = env("FACTEUR_LAB_DIR", "/tmp/facteur-lab");
    auto& s = l.settings;
    s.vars = load_vars(dir / "vars.json");
    std::string err;
    const auto url = parse_target_url(s.vars[protocol + "_url"], &err);
    if (!url) throw std::runtime_error("vars.json: " + protocol + "_url: " + err);
    l.upstream = *url;
    net::TlsOptions tls;
    tls.ca_file = s.vars["cacert"];
    s.tls = net::make_client_context(tls);
    s.target = *parse_target_url(protocol + "://127.0.0.1:1");
    s.connect_timeout = std::chrono::milliseconds(2000);
    s.reply_timeout = std::chrono::milliseconds(2000);
    s.case_timeout = std::chrono::milliseconds(20000);
    runner::ProbeResult probed;
    for (int attempt = 0; attempt < kLabAttempts; ++attempt) {  // the lab may be restarting
      if (attempt > 0) std::this_thread::sleep_for(kLabPause);
      testing::MutatingProxy proxy({l.upstream.host, l.upstream.port, {}, l.upstream.implicit_tls, protocol == "imap"});
      engine::RunSettings probing = s;
      probing.target.port = proxy.port();
      probed = probe_sync(probing);
      if (probed.error.empty()) break;
    }
    if (!probed.error.empty()) throw std::runtime_error("probe of " + l.upstream.display() + ": " + probed.error);
    l.caps = probed.caps;
  } catch (const std::exception& e) {
    l.error = e.what();
  }
  return l;
}

// --- cleaning up after mutated IMAP cases ---------------------------------------------------------

// A mutated case stops half-way, before its own clean-up steps: the mailboxes it created (named
// facteur-${@run}-…, ${@run} being this process's token) are deleted at the end of the run, over a
// direct connection to the server.
struct MailboxSweeper {
  net::Connection& conn;
  std::string rx;
  int next = 1;

  static net::Deadline soon() { return net::Clock::now() + std::chrono::seconds(5); }

  // Reads until the completion of `tag` ("" = one response), collecting the names LIST gives.
  boost::asio::awaitable<bool> until(const std::string& tag, std::vector<std::string>* names) {
    for (;;) {
      const imap::ParseResult p = imap::parse_response(rx);
      if (p.status == imap::ParseStatus::error) co_return false;
      if (p.status == imap::ParseStatus::complete) {
        rx.erase(0, p.consumed);
        const imap::Response& r = p.response;
        if (names && r.name == "LIST" && r.data.size() == 3) names->push_back(r.data[2].text);
        if (tag.empty() || r.tag == tag) co_return tag.empty() || r.status == "OK";
        continue;
      }
      if (!co_await conn.read_some(rx, 64 * 1024, soon())) co_return false;
    }
  }

  boost::asio::awaitable<bool> command(const std::string& text, std::vector<std::string>* names = nullptr) {
    const std::string tag = "S" + std::to_string(next++);
    if (!co_await conn.write(tag + " " + text + "\r\n", soon())) co_return false;
    const bool ok = co_await until(tag, names);
    co_return ok;
  }
};

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + '"';
}

boost::asio::awaitable<void> sweep_mailboxes(const Lab& l) {
  net::Connection conn(co_await boost::asio::this_coro::executor, l.settings.tls);
  MailboxSweeper s{conn, {}};
  if (!co_await conn.connect(l.upstream.host, l.upstream.port, MailboxSweeper::soon())) co_return;
  if (l.upstream.implicit_tls && !co_await conn.start_tls(l.upstream.host, MailboxSweeper::soon())) co_return;
  const auto var = [&](const char* name) {
    const auto it = l.settings.vars.find(name);
    return it == l.settings.vars.end() ? std::string() : it->second;
  };
  const std::string greeting;
  std::vector<std::string> names;
  if (!co_await s.until(greeting, nullptr) ||
      !co_await s.command("LOGIN " + quoted(var("imap_user")) + " " + quoted(var("imap_password"))) ||
      !co_await s.command("LIST \"\" " + quoted("facteur-" + scenario::run_token() + "*"), &names)) {
    co_return;
  }
  // Children first: "a/b" before "a".
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& name : names) {
    (void)co_await s.command("UNSUBSCRIBE " + quoted(name));
    (void)co_await s.command("DELETE " + quoted(name));
  }
  (void)co_await s.command("LOGOUT");
}

bool imap_lab_used = false;
bool ftp_lab_used = false;

// The FTP cases make facteur-${@run}-… directories under the FTP user's folder; a mutated case stops
// before removing its own. The lab's folder is local (ftp_root): they are removed from the file
// system at the end of the run.
void sweep_ftp_folders(const Lab& l) {
  const auto root = l.settings.vars.find("ftp_root");
  if (root == l.settings.vars.end() || root->second.empty()) return;
  const std::string prefix = "facteur-" + scenario::run_token();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root->second, ec)) {
    if (e.path().filename().string().rfind(prefix, 0) == 0) fs::remove_all(e.path(), ec);
  }
}

class SweepMailboxes : public ::testing::Environment {
 public:
  void TearDown() override {
    if (ftp_lab_used && lab("ftp").error.empty()) sweep_ftp_folders(lab("ftp"));
    if (!imap_lab_used || !lab("imap").error.empty()) return;
    boost::asio::io_context io;
    boost::asio::co_spawn(io, sweep_mailboxes(lab("imap")), boost::asio::detached);
    io.run();
  }
};
[[maybe_unused]] const auto* const sweep_environment = ::testing::AddGlobalTestEnvironment(new SweepMailboxes);

// --- running a case ----------------------------------------------------------------------------

struct Run {
  report::CaseResult result;
  std::vector<int> fired;
  std::vector<std::string> log;
};

Run run_mutated(const scenario::Scenario& s, const std::string& protocol, const std::vector<ProxyRule>& rules) {
  const Lab& l = lab(protocol);
  if (protocol == "imap") imap_lab_used = true;
  if (protocol == "ftp") ftp_lab_used = true;
  Run r;
  for (int attempt = 0; attempt < kLabAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kLabPause);
    testing::MutatingProxy proxy({l.upstream.host, l.upstream.port, rules, l.upstream.implicit_tls, protocol == "imap"});
    engine::RunSettings settings = l.settings;
    settings.target.port = proxy.port();
    // A mutated run keeps its transcript even when it passes: "rule never fired" then shows why.
    settings.keep_transcripts = !rules.empty() || !env("FACTEUR_NEGATIVE_TRANSCRIPT").empty();
    // Each run draws its own ${@hex} names: a mutated run stops before its clean-up steps, and the
    // next one must not find its mailboxes already there.
    static std::uint64_t runs = 0;
    settings.seed = ++runs;
    r.result = testing::run_case_sync(s, settings, l.caps);
    r.fired = proxy.fired();
    r.log = proxy.log();
    if (proxy.upstream_failures() == 0) break;
    std::cout << "[negative] " << s.id << ": the lab refused a connection, running the case again" << std::endl;
  }
  return r;
}

void print(const std::string& id, const std::string& variant, const report::CaseResult& r) {
  std::cout << fmt::format("[negative] {} | {} | {} | {:.0f} ms | {}", id, variant, report::to_string(r.outcome),
                           r.duration_ms, r.message)
            << std::endl;
}

std::string describe(const Run& run) {
  const report::CaseResult& r = run.result;
  std::ostringstream out;
  out << "outcome " << report::to_string(r.outcome) << " at step " << r.step << ": " << r.message;
  if (!r.expected.empty() || !r.actual.empty()) out << "\n  expected: " << r.expected << "\n  actual:   " << r.actual;
  const std::size_t from = r.transcript.size() > 16 ? r.transcript.size() - 16 : 0;
  for (std::size_t i = from; i < r.transcript.size(); ++i) {
    const auto& line = r.transcript[i];
    out << "\n  [" << line.session << "] " << line.dir << " " << line.text;
  }
  for (const auto& line : run.log) out << "\n  proxy: " << line;
  return out.str();
}

void check_case(const std::string& protocol, const std::string& id) {
  const Suite& su = suite(protocol);
  const auto entry_it = su.table.entries.find(id);
  ASSERT_NE(entry_it, su.table.entries.end()) << "no negative for " << id << " in " << table_glob(protocol);
  const Entry& entry = entry_it->second;
  const std::string& table = entry.file;
  const auto s = std::find_if(su.scenarios.begin(), su.scenarios.end(), [&](const auto& sc) { return sc.id == id; });
  ASSERT_NE(s, su.scenarios.end());
  const Lab& l = lab(protocol);
  ASSERT_EQ(l.error, "") << "the lab's " << protocol << " server cannot be used";

  const Run plain = run_mutated(*s, protocol, {});
  print(id, "unmutated", plain.result);
  if (!env("FACTEUR_NEGATIVE_TRANSCRIPT").empty()) {
    for (const auto& line : plain.result.transcript) std::cout << "  [" << line.session << "] " << line.dir << " " << line.text << "\n";
    std::cout << std::flush;
  }
  const report::Outcome got = plain.result.outcome;
  if (!entry.skipped.empty()) {
    EXPECT_EQ(got, report::Outcome::skip) << table << " says it skips (" << entry.skipped << ")\n" << describe(plain);
    return;
  }
  if (!entry.baselined.empty()) {
    EXPECT_TRUE(got == report::Outcome::fail || got == report::Outcome::warn)
        << table << " says the lab's server fails it (" << entry.baselined << ")\n" << describe(plain);
    return;
  }
  ASSERT_EQ(got, report::Outcome::pass)
      << "positive control (no mutation): " << describe(plain)
      << (got == report::Outcome::skip ? "\n  (a case the lab's server cannot run needs {\"skipped\": \"reason\"} in " + table + ")"
                                       : std::string());
  const report::Outcome wanted = s->level() == scenario::Level::must ? report::Outcome::fail : report::Outcome::warn;
  for (std::size_t i = 0; i < entry.variants.size(); ++i) {
    const Variant& v = entry.variants[i];
    const std::string label = "#" + std::to_string(i + 1) + (v.name.empty() ? "" : " " + v.name);
    SCOPED_TRACE("variant " + label);
    const Run run = run_mutated(*s, protocol, v.rules);
    print(id, label, run.result);
    EXPECT_EQ(run.result.outcome, wanted) << describe(run);
    EXPECT_THAT(run.result.message, ::testing::HasSubstr(v.why)) << describe(run);
    for (std::size_t k = 0; k < v.rules.size(); ++k) {
      EXPECT_GT(run.fired[k], 0) << "rule " << k + 1 << " never fired: " << v.rules[k].describe() << "\n" << describe(run);
    }
  }
}

// --- the table checks ----------------------------------------------------------------------------

void check_loads(const std::string& protocol) {
  const Suite& su = suite(protocol);
  EXPECT_EQ(su.load_error, "");
  std::string errors;
  for (const auto& e : su.table.errors) errors += "\n  " + e;
  EXPECT_TRUE(su.table.errors.empty()) << "bad entries in " << table_glob(protocol) << ":" << errors;
  if (!only_prefix().empty()) {
    std::cout << "[negative] FACTEUR_NEGATIVE_ONLY=" << only_prefix() << ": " << su.scenarios.size() << " " << protocol
              << " scenario(s)" << std::endl;
  }
}

void check_every_scenario_has_an_entry(const std::string& protocol) {
  const Suite& su = suite(protocol);
  std::string missing;
  for (const auto& s : su.scenarios) {
    if (!su.table.entries.count(s.id)) missing += "\n  no negative for " + s.id;
  }
  EXPECT_EQ(missing, "") << "every " << protocol << " scenario needs an entry in " << table_glob(protocol);
}

void check_every_entry_names_a_scenario(const std::string& protocol) {
  const Suite& su = suite(protocol);
  std::string stale;
  for (const auto& [id, entry] : su.table.entries) {
    const bool found = std::any_of(su.scenarios.begin(), su.scenarios.end(), [&](const auto& s) { return s.id == id; });
    if (selected(id) && !found) stale += "\n  " + id;
  }
  EXPECT_EQ(stale, "") << "entries of " << table_glob(protocol) << " whose scenario does not exist";
}

TEST(NegativeImapTable, Loads) { check_loads("imap"); }
TEST(NegativeImapTable, EveryScenarioHasAnEntry) { check_every_scenario_has_an_entry("imap"); }
TEST(NegativeImapTable, EveryEntryNamesAScenario) { check_every_entry_names_a_scenario("imap"); }
TEST(NegativePop3Table, Loads) { check_loads("pop3"); }
TEST(NegativePop3Table, EveryScenarioHasAnEntry) { check_every_scenario_has_an_entry("pop3"); }
TEST(NegativePop3Table, EveryEntryNamesAScenario) { check_every_entry_names_a_scenario("pop3"); }
TEST(NegativeFtpTable, Loads) { check_loads("ftp"); }
TEST(NegativeFtpTable, EveryScenarioHasAnEntry) { check_every_scenario_has_an_entry("ftp"); }
TEST(NegativeFtpTable, EveryEntryNamesAScenario) { check_every_entry_names_a_scenario("ftp"); }

class NegativeImap : public ::testing::TestWithParam<std::string> {};
class NegativePop3 : public ::testing::TestWithParam<std::string> {};
class NegativeFtp : public ::testing::TestWithParam<std::string> {};

TEST_P(NegativeImap, FailsWhenDovecotIsMutated) { check_case("imap", GetParam()); }
TEST_P(NegativePop3, FailsWhenDovecotIsMutated) { check_case("pop3", GetParam()); }
TEST_P(NegativeFtp, FailsWhenVsftpdIsMutated) { check_case("ftp", GetParam()); }

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, NegativeImap, ::testing::ValuesIn(scenario_ids("imap")), test_name);
INSTANTIATE_TEST_SUITE_P(Scenarios, NegativePop3, ::testing::ValuesIn(scenario_ids("pop3")), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NegativeImap);
INSTANTIATE_TEST_SUITE_P(Scenarios, NegativeFtp, ::testing::ValuesIn(scenario_ids("ftp")), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NegativePop3);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NegativeFtp);

}  // namespace
}  // namespace facteur::test
