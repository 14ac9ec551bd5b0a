#include "harness/runner/fuzz_run.hpp"

#include <algorithm>
#include <csignal>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "harness/core/utc_time.hpp"
#include "harness/core/version.hpp"
#include "harness/engine/case_run.hpp"
#include "harness/runner/probe.hpp"
#include "harness/scenario/loader.hpp"

namespace facteur::runner {
using namespace facteur::fuzz;
namespace asio = boost::asio;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {

// splitmix64 of the run seed and the iteration number: each input is drawn independently.
std::uint64_t mix(std::uint64_t seed, std::uint64_t n) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (n + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}


struct Usable {
  const SeedScenario* seed = nullptr;
  std::vector<SeedLine> lines;
  std::uint64_t inputs = 0, findings = 0;
};

// One input: what was sent and how the server took it.
struct Attempt {
  json doc;
  Layout layout;
  report::CaseResult result;
  Verdict verdict;
};

class Fuzzer {
 public:
  Fuzzer(const std::vector<SeedScenario>& seeds, const FuzzOptions& options, bool& interrupted)
      : seeds_(seeds), options_(options), interrupted_(interrupted) {}

  asio::awaitable<void> run();
  FuzzResult result;

 private:
  asio::awaitable<Attempt> attempt(const Usable& u, const SeedLine& line, const Mutation& m, const Iteration& it);
  asio::awaitable<report::CaseResult> run_doc(const json& doc, const SeedScenario& seed);
  asio::awaitable<bool> target_alive(const SeedScenario& seed);
  asio::awaitable<Attempt> minimise(const Usable& u, const SeedLine& line, Mutation m, Iteration it, Attempt found);
  void record(const Usable& u, const Mutation& m, const Iteration& it, Attempt a);
  void say(const std::string& line) const {
    if (options_.on_line) options_.on_line(line);
  }
  bool time_up() const {
    return options_.duration.count() > 0 && Clock::now() - started_ >= options_.duration;
  }

  const std::vector<SeedScenario>& seeds_;
  const FuzzOptions& options_;
  bool& interrupted_;
  engine::Capabilities caps_;
  std::vector<Usable> usable_;
  std::set<std::string> seen_;
  Clock::time_point started_ = Clock::now();
};

asio::awaitable<report::CaseResult> Fuzzer::run_doc(const json& doc, const SeedScenario& seed) {
  // Parsed as any scenario file is (the seed's path, so fixtures resolve): what runs is what a
  // finding replays.
  const scenario::Scenario sc = scenario::parse_scenario(doc.dump(), seed.model.file);
  report::CaseResult r = co_await engine::run_case(sc, options_.settings, caps_);
  co_return r;
}

asio::awaitable<bool> Fuzzer::target_alive(const SeedScenario& seed) {
  json doc{{"facteur", 1}, {"id", "fuzz/liveness"}, {"title", "the target greets a new connection"},
           {"protocol", seed.doc.value("protocol", "smtp")}, {"spec", seed.doc["spec"]},
           {"steps", json::array({json{{"connect", true}}})}};
  const report::CaseResult r = co_await run_doc(doc, seed);
  co_return r.outcome == report::Outcome::pass;
}

asio::awaitable<Attempt> Fuzzer::attempt(const Usable& u, const SeedLine& line, const Mutation& m,
                                         const Iteration& it) {
  Attempt a;
  a.doc = iteration_scenario(u.seed->doc, line, m, it, &a.layout);
  a.result = co_await run_doc(a.doc, *u.seed);
  a.verdict = classify(a.result, a.layout);
  co_return a;
}

// Shrinks a finding while it stays the same finding: repeated runs halved, then the seed's steps
// before the line dropped one by one. Each try is one more run, within --minimise.
asio::awaitable<Attempt> Fuzzer::minimise(const Usable& u, const SeedLine& line, Mutation m, Iteration it,
                                          Attempt found) {
  int budget = options_.minimise_runs;
  const std::string key = found.verdict.key;
  if (m.steps.is_null()) {
    for (std::size_t i = 0; i < m.payload.size(); ++i) {
      while (budget > 0 && m.payload[i].kind == Part::Kind::repeat && m.payload[i].count > 1) {
        Mutation smaller = m;
        smaller.payload[i].count /= 2;
        --budget;
        Attempt a = co_await attempt(u, line, smaller, it);
        if (a.verdict.key != key) break;
        m = std::move(smaller);
        found = std::move(a);
      }
    }
  }
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < line.step; ++i) kept.push_back(i);
  // Step 0 opens the session; later ones (EHLO, LOGIN, SELECT …) may be what the input needs, or not.
  for (std::size_t k = kept.size(); k-- > 1 && budget > 0;) {
    Iteration smaller = it;
    std::vector<std::size_t> without = kept;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
    smaller.prefix = without;
    --budget;
    Attempt a = co_await attempt(u, line, m, smaller);
    if (a.verdict.key != key) continue;
    kept = std::move(without);
    it = std::move(smaller);
    found = std::move(a);
  }
  co_return found;
}

void Fuzzer::record(const Usable& u, const Mutation& m, const Iteration& it, Attempt a) {
  namespace fs = std::filesystem;
  std::string name = a.doc["id"].get<std::string>();
  std::replace(name.begin(), name.end(), '/', '_');
  const fs::path dir(options_.findings_dir);
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".json");
  std::ofstream(file) << a.doc.dump(2) << "\n";

  Finding f;
  f.kind = a.verdict.kind;
  f.key = a.verdict.key;
  f.file = file.string();
  f.mutation = m.name;
  f.iteration = it.number;
  result.findings.push_back(f);

  report::CaseResult r = std::move(a.result);
  r.file = file.string();
  r.message = fmt::format("[{}] {}: {}", to_string(f.kind), m.detail, r.message);
  if (f.kind != FindingKind::deviation) r.outcome = report::Outcome::fail;
  result.run.cases.push_back(std::move(r));
  say(fmt::format("finding {} ({}) after input {} from {}: {}", f.file, to_string(f.kind), it.number,
                  u.seed->model.id, result.run.cases.back().message));
}

asio::awaitable<void> Fuzzer::run() {
  runner::ProbeResult probed = co_await runner::probe(options_.settings);
  caps_ = probed.caps;
  for (const auto& [k, v] : probed.facts) result.run.environment[k] = v;
  if (!probed.error.empty()) result.run.environment["probe"] = probed.error;
  const Protocol protocol = options_.settings.target.protocol;
  for (const auto& seed : seeds_) {
    Usable u;
    u.seed = &seed;
    u.lines = seed_lines(seed.doc, protocol);
    if (u.lines.empty()) continue;
    // A seed that does not pass as written would blame its own failure on every mutation.
    const report::CaseResult clean = co_await run_doc(seed.doc, seed);
    if (clean.outcome != report::Outcome::pass) {
      say(fmt::format("seed {} left out: it does not pass against the target ({}: {})", seed.model.id,
                      report::to_string(clean.outcome), clean.message));
      continue;
    }
    usable_.push_back(std::move(u));
  }
  if (usable_.empty()) throw std::runtime_error("no seed scenario has a client line and passes against the target");
  const bool plain = !options_.settings.target.implicit_tls && !options_.settings.starttls;
  const bool starttls_offered = plain && (caps_.has("STARTTLS") || caps_.has("STLS"));
  auto next_at = Clock::now();
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.rate > 0 ? 1.0 / options_.rate : 0.0));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const std::uint64_t first = options_.only.value_or(0);
  const std::uint64_t last = options_.only ? *options_.only + 1 : options_.iterations;
  for (std::uint64_t n = first; n < last && !interrupted_ && !time_up(); ++n) {
    if (Clock::now() < next_at) {
      timer.expires_at(next_at);
      co_await timer.async_wait(asio::use_awaitable);
    }
    next_at = std::max(next_at + interval, Clock::now());
    std::mt19937_64 rng(mix(options_.settings.seed, n));
    Usable& u = usable_[std::uniform_int_distribution<std::size_t>(0, usable_.size() - 1)(rng)];
    const SeedLine& line = u.lines[std::uniform_int_distribution<std::size_t>(0, u.lines.size() - 1)(rng)];
    MutationContext ctx{protocol, &line, &u.lines, starttls_offered};
    std::vector<std::string> names = applicable(ctx);
    if (!options_.mutations.empty()) {
      std::erase_if(names, [&](const std::string& x) {
        return std::find(options_.mutations.begin(), options_.mutations.end(), x) == options_.mutations.end();
      });
    }
    if (names.empty()) continue;
    const std::string name = names[std::uniform_int_distribution<std::size_t>(0, names.size() - 1)(rng)];
    const Mutation m = mutate(ctx, rng, name);
    Iteration it;
    it.seed_id = u.seed->model.id;
    it.run_seed = options_.settings.seed;
    it.number = n;
    it.protocol = protocol;
    it.quiet_ms = options_.quiet_ms;
    Attempt a = co_await attempt(u, line, m, it);
    ++result.inputs;
    ++u.inputs;
    ++result.by_mutation[m.name];
    if (a.verdict.setup_failed) {
      ++result.setup_failures;
      if (!co_await target_alive(*u.seed)) {
        // The server went down between inputs: the previous input is the suspect; stop here.
        say(fmt::format("the target no longer answers (input {}): stopping", n));
        a.verdict.kind = FindingKind::crash;
        a.verdict.key = "crash";
        record(u, m, it, std::move(a));
        ++u.findings;
        break;
      }
      continue;
    }
    if (a.verdict.kind == FindingKind::none) continue;
    // The same rule broken by the same mutation is one finding, whichever line it started from.
    const std::string what = a.verdict.key + "|" + m.name;
    if (!seen_.insert(what).second) {
      for (auto& f : result.findings) {
        if (f.key == a.verdict.key && f.mutation == m.name) ++f.duplicates;
      }
      continue;
    }
    const FindingKind kind = a.verdict.kind;
    Attempt small = co_await minimise(u, line, m, it, std::move(a));
    record(u, m, it, std::move(small));
    ++u.findings;
    if (kind == FindingKind::crash && !co_await target_alive(*u.seed)) {
      say("the target is down: stopping");
      break;
    }
  }
  for (const Usable& u : usable_) {
    if (u.findings > 0) continue;
    report::CaseResult r;
    r.id = "fuzz/" + u.seed->model.id;
    r.title = "survived every input drawn from " + u.seed->model.id;
    r.protocol = to_string(protocol);
    r.file = u.seed->model.file;
    r.level = "MUST";
    r.tags = {"fuzz"};
    r.message = fmt::format("{} inputs, no finding", u.inputs);
    result.run.cases.push_back(std::move(r));
  }
}

}  // namespace

FuzzResult run_fuzz(const std::vector<SeedScenario>& seeds, const FuzzOptions& options) {
  asio::io_context io;
  bool interrupted = false;
  Fuzzer fuzzer(seeds, options, interrupted);
  FuzzResult& result = fuzzer.result;
  result.run.tool_version = version();
  result.run.command = "fuzz";
  result.run.target = options.settings.target.display();
  result.run.started_at = utc_now_rfc3339();
  const auto started = Clock::now();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted = true;  // the loop ends after the input in flight; a second signal ends the process
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  });
  std::exception_ptr failure;
  asio::co_spawn(io, fuzzer.run(), [&](std::exception_ptr e) {
    failure = e;
    signals.cancel();
  });
  io.run();
  if (failure) std::rethrow_exception(failure);

  result.run.interrupted = interrupted;
  result.run.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  auto& env = result.run.environment;
  env["fuzz.seed"] = std::to_string(options.settings.seed);
  env["fuzz.inputs"] = std::to_string(result.inputs);
  env["fuzz.findings"] = std::to_string(result.findings.size());
  env["fuzz.setup_failures"] = std::to_string(result.setup_failures);
  std::string mix_text;
  for (const auto& [name, count] : result.by_mutation) mix_text += fmt::format("{}{}={}", mix_text.empty() ? "" : " ", name, count);
  env["fuzz.mutations"] = mix_text;
  return result;
}

}  // namespace facteur::runner
