#include "harness/scenario/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/load/executor.hpp"
#include "harness/load/thresholds.hpp"
#include "harness/scenario/json_locator.hpp"
#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
namespace fs = std::filesystem;
using nlohmann::json;

ScenarioError::ScenarioError(std::string file, std::size_t line, std::size_t column, std::string path,
                             std::string message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}: {}", file, line, column, path, message)),
      file_(std::move(file)), path_(std::move(path)), message_(std::move(message)),
      line_(line), column_(column) {}

namespace {

const std::set<std::string, std::less<>> kTopKeys{
    "$schema", "facteur", "id", "title", "description", "protocol", "spec", "tags",
    "requires", "vars", "sessions", "steps", "timeout_ms", "serial", "load"};

void read_spec(Reader& r, const json& j, const std::string& ptr, Scenario& s) {
  r.expect_type(j, ptr, json::value_t::array, "an array of {rfc, section, level}");
  if (j.empty()) r.fail(ptr, "at least one spec reference is required");
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = ptr + "/" + std::to_string(i);
    r.expect_type(j[i], p, json::value_t::object, "a spec reference {rfc, section, level}");
    r.check_keys(j[i], p, {"rfc", "section", "level"});
    SpecRef ref;
    ref.rfc = r.string_or_number(j[i], p, "rfc", true);
    ref.section = r.string_or_number(j[i], p, "section", true);
    const std::string level = r.string_at(j[i], p, "level", true);
    if (level == "MUST") ref.level = Level::must;
    else if (level == "SHOULD") ref.level = Level::should;
    else if (level == "MAY") ref.level = Level::may;
    else r.fail(p + "/level", "level must be MUST, SHOULD or MAY, not '" + level + "'");
    s.spec.push_back(std::move(ref));
  }
}

std::string escaped_key(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

// "sessions": {name: "URL template"} or {name: {"url": "…", "protocol": "imap"}}. Each session's
// protocol is the one given, else the one its URL names, else the scenario's.
void read_sessions(Reader& r, const json& j, Scenario& s) {
  r.expect_type(j, "/sessions", json::value_t::object, "an object {session name: URL template}");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string p = "/sessions/" + escaped_key(it.key());
    std::string url;
    std::optional<Protocol> protocol;
    if (it.value().is_object()) {
      r.check_keys(it.value(), p, {"url", "protocol"});
      url = r.string_or_number(it.value(), p, "url", true);
      const std::string name = r.string_at(it.value(), p, "protocol", false);
      if (!name.empty()) {
        protocol = protocol_from_string(name);
        if (!protocol) r.fail(p + "/protocol", "unknown protocol '" + name + "' (smtp, imap, pop3, ftp, http)");
      }
    } else if (it.value().is_number_integer()) {
      url = std::to_string(it.value().get<long long>());
    } else {
      r.expect_type(it.value(), p, json::value_t::string, "a URL template or {\"url\", \"protocol\"}");
      url = it.value().get<std::string>();
    }
    r.check_template_at(url, it.value().is_object() ? p + "/url" : p);
    if (!protocol) protocol = protocol_of_url_template(url);
    s.sessions[it.key()] = url;
    s.session_protocols[it.key()] = protocol.value_or(s.protocol);
  }
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& file) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const Position pos = position_of_offset(text, offset);
    std::string what = e.what();
    // nlohmann's message repeats its own position; keep the part after "parse error ...: ".
    if (auto colon = what.find(": syntax error"); colon != std::string::npos) what = what.substr(colon + 2);
    throw ScenarioError(file, pos.line, pos.column, "$", "invalid JSON: " + what);
  } catch (const json::exception& e) {
    // e.g. a number too large for a double (out_of_range 406): nlohmann gives no position for it.
    throw ScenarioError(file, 1, 1, "$", std::string("invalid JSON: ") + e.what());
  }
  JsonLocator locator(text);
  Reader r(file, locator);
  Scenario s;
  s.file = file;
  r.expect_type(root, "", json::value_t::object, "a scenario object");
  r.check_keys(root, "", kTopKeys);
  if (!root.contains("facteur")) r.fail("", "missing \"facteur\": 1 (the scenario format version)");
  if (root["facteur"] != kFormatVersion) {
    r.fail("/facteur", "unsupported scenario format version " + root["facteur"].dump() + " (this facteur reads 1)");
  }
  s.id = r.string_at(root, "", "id", true);
  r.check_id(s.id, "/id");
  s.title = r.string_at(root, "", "title", true);
  s.description = r.string_at(root, "", "description", false);
  const std::string protocol = r.string_at(root, "", "protocol", true);
  auto p = protocol_from_string(protocol);
  if (!p) r.fail("/protocol", "unknown protocol '" + protocol + "' (smtp, imap, pop3, ftp, http)");
  s.protocol = *p;
  if (!root.contains("spec")) r.fail("", "missing \"spec\": the RFC sections this case checks");
  read_spec(r, root["spec"], "/spec", s);
  s.tags = r.string_list(root, "", "tags");
  s.requires_ = r.string_list(root, "", "requires");
  if (root.contains("vars")) s.vars = r.string_map(root["vars"], "/vars", false);
  if (root.contains("sessions")) read_sessions(r, root["sessions"], s);
  if (root.contains("timeout_ms")) s.timeout_ms = r.int_at(root, "", "timeout_ms", 1, 3'600'000);
  s.serial = r.bool_at(root, "", "serial", false);
  // How the scenario runs as a workload (facteur load): the executor's keys and the thresholds are
  // checked here, so that a mistake names the file and line like any other.
  if (root.contains("load")) {
    const json& l = root["load"];
    r.expect_type(l, "/load", json::value_t::object, "an object (executor, stages, thresholds, …)");
    json executor = l;
    executor.erase("thresholds");
    std::string why;
    if (executor.contains("executor") && !load::executor_from_json(executor, &why)) r.fail("/load", why);
    if (l.contains("thresholds")) {
      r.expect_type(l["thresholds"], "/load/thresholds", json::value_t::object, "an object {metric: expression(s)}");
      for (const auto& [metric, exprs] : l["thresholds"].items()) {
        const std::string at = "/load/thresholds/" + metric;
        const json list = exprs.is_array() ? exprs : json::array({exprs});
        for (const auto& e : list) {
          if (!e.is_string()) r.fail(at, "a threshold is a string such as \"p(99)<250ms\"");
          if (!load::parse_threshold(metric, e.get<std::string>(), &why)) r.fail(at, why);
        }
      }
    }
    s.load = l.dump();
  }
  if (!root.contains("steps")) r.fail("", "missing \"steps\"");
  r.set_session_protocols(s.session_protocols);
  s.steps = r.steps(root["steps"], "/steps", s.protocol);
  if (s.steps.empty()) r.fail("/steps", "a scenario needs at least one step");
  return s;
}

namespace {
std::string read_scenario_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, 1, 1, "$", "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
}  // namespace

Scenario load_scenario_file(const std::string& path) { return parse_scenario(read_scenario_text(path), path); }

std::vector<std::string> scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (fs::is_directory(path)) {
      for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator(); ++it) {
        const auto name = it->path().filename().string();
        if (it->is_directory() && (name == "schema" || name == "baselines" || name == "fixtures")) {
          it.disable_recursion_pending();
        } else if (it->is_regular_file() && it->path().extension() == ".json") {
          files.push_back(it->path().string());
        }
      }
    } else if (fs::exists(path)) {
      files.push_back(path);
    } else {
      throw ScenarioError(path, 1, 1, "$", "no such file or folder");
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths) {
  const std::vector<std::string> files = scenario_files(paths);
  std::vector<Scenario> out;
  std::map<std::string, std::string> seen;
  for (const auto& file : files) {
    const std::string text = read_scenario_text(file);
    Scenario s = parse_scenario(text, file);
    if (auto [it, inserted] = seen.emplace(s.id, file); !inserted) {
      const Position pos = JsonLocator(text).find("/id");
      throw ScenarioError(file, pos.line, pos.column, "$.id", "duplicate id '" + s.id + "' (also in " + it->second + ")");
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace facteur::scenario
