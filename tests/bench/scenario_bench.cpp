// Throughput of the scenario reader (bytes/s): the JSON parse, the position index kept for error
// messages and the checks of parse_scenario, over the largest file of scenarios/ and over every
// file a suite run loads; and template expansion of a message as each load iteration does it.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/json_locator.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/template.hpp"

namespace {

using namespace facteur::scenario;

struct File {
  std::string path, text;
};

// Every scenario a run of the whole suite reads (scenario_files' choice), in memory.
const std::vector<File>& suite() {
  static const std::vector<File> files = [] {
    std::vector<File> out;
    for (const std::string& path : scenario_files({FACTEUR_SOURCE_DIR "/scenarios"})) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      out.push_back({path, std::move(text).str()});
    }
    return out;
  }();
  return files;
}

const File& largest() {
  const auto& files = suite();
  return *std::max_element(files.begin(), files.end(),
                           [](const File& a, const File& b) { return a.text.size() < b.text.size(); });
}

void BM_ParseLargestScenario(benchmark::State& state) {
  const File& file = largest();
  for (auto _ : state) benchmark::DoNotOptimize(parse_scenario(file.text, file.path));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.text.size()));
  state.SetLabel(file.path.substr(file.path.rfind("/scenarios/") + 1));
}

void BM_ParseWholeSuite(benchmark::State& state) {
  std::size_t bytes = 0;
  for (const File& f : suite()) bytes += f.text.size();
  for (auto _ : state) {
    for (const File& f : suite()) benchmark::DoNotOptimize(parse_scenario(f.text, f.path));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(suite().size());
}

// The index alone (parse_scenario builds one per file, for the positions of errors).
void BM_JsonLocatorLargestScenario(benchmark::State& state) {
  const File& file = largest();
  for (auto _ : state) {
    JsonLocator locator(file.text);
    benchmark::DoNotOptimize(locator.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.text.size()));
}

// A message template as load workloads write it: headers with variables and built-ins, a body of
// plain text with an escaped "$${" here and there.
std::string message_template() {
  std::string t =
      "From: ${from}\r\nTo: ${rcpt}\r\nCc: ${rcpt2:-nobody@lab.test}\r\nSubject: load ${@seq} ${@hex:8}\r\n"
      "Message-ID: <${@uuid}@${domain}>\r\nDate: ${@date}\r\nX-Run: ${@run}\r\n\r\n";
  while (t.size() < 16 * 1024) t += "Lorem ipsum dolor sit amet, consectetur adipiscing elit; cost $${price}.\r\n";
  return t;
}

void BM_ExpandMessageTemplate16KiB(benchmark::State& state) {
  const std::string t = message_template();
  const Vars vars{{"from", "alice@lab.test"}, {"rcpt", "bob@lab.test"}, {"domain", "lab.test"}};
  TemplateContext ctx(1);
  for (auto _ : state) benchmark::DoNotOptimize(expand(t, vars, ctx));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.size()));
}

BENCHMARK(BM_ParseLargestScenario);
BENCHMARK(BM_ParseWholeSuite);
BENCHMARK(BM_JsonLocatorLargestScenario);
BENCHMARK(BM_ExpandMessageTemplate16KiB);

}  // namespace
