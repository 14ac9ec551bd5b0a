#include "harness/runner/baseline.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "harness/scenario/json_locator.hpp"

namespace facteur::runner {
using nlohmann::json;

namespace {
// RFC 6901 §3: a member name in a JSON Pointer has '~' and '/' escaped (case ids hold '/').
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}
}  // namespace

Baseline load_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the baseline file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    auto pos = scenario::position_of_offset(text, e.byte > 0 ? e.byte - 1 : 0);
    throw std::runtime_error(path + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
                             ": invalid JSON in the baseline");
  }
  scenario::JsonLocator locator(text);
  auto fail = [&](const std::string& pointer, const std::string& message) {
    auto pos = locator.find(pointer);
    throw std::runtime_error(path + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
                             scenario::pointer_to_path(pointer) + ": " + message);
  };
  if (!root.is_object()) fail("", "a baseline is an object");
  if (!root.contains("facteur-baseline") || root["facteur-baseline"] != 1) {
    fail("", "missing \"facteur-baseline\": 1");
  }
  Baseline b;
  b.file = path;
  if (root.contains("description")) {
    if (!root["description"].is_string()) fail("/description", "expected a string");
    b.description = root["description"].get<std::string>();
  }
  if (!root.contains("cases") || !root["cases"].is_object()) fail("", "missing \"cases\": {id: reason}");
  for (auto it = root["cases"].begin(); it != root["cases"].end(); ++it) {
    if (!it.value().is_string() || it.value().get<std::string>().empty()) {
      fail("/cases/" + pointer_token(it.key()), "each baselined case needs a reason (a non-empty string)");
    }
    b.reasons[it.key()] = it.value().get<std::string>();
  }
  return b;
}

std::vector<std::string> apply_baseline(const Baseline& baseline, std::vector<report::CaseResult>& cases) {
  std::set<std::string> used;
  for (auto& c : cases) {
    auto it = baseline.reasons.find(c.id);
    if (it == baseline.reasons.end()) continue;
    used.insert(c.id);
    if (c.outcome == report::Outcome::skip) continue;  // not run: nothing to excuse, nothing stale
    c.baseline_reason = it->second;
    c.baseline_stale = c.outcome == report::Outcome::pass;
  }
  std::vector<std::string> unused;
  for (const auto& [id, reason] : baseline.reasons) {
    if (!used.count(id)) unused.push_back(id);
  }
  return unused;
}

}  // namespace facteur::runner
