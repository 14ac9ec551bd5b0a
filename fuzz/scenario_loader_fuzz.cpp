// A scenario file is user input too: the loader either returns a scenario or throws a
// ScenarioError whose line and column lie inside the text; nothing else may escape it.
#include <cstdint>
#include <string_view>

#include "harness/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto s = facteur::scenario::parse_scenario(text, "fuzz.json");
    if (s.id.empty() || s.steps.empty() || s.spec.empty()) __builtin_trap();
  } catch (const facteur::scenario::ScenarioError& e) {
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n';
    if (e.line() < 1 || e.line() > lines || e.column() < 1 || e.path().empty() || e.path()[0] != '$') {
      __builtin_trap();
    }
  }
  return 0;
}
