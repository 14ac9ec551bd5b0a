// The result document, version 1 (schema: reports/schema/result-v1.schema.json). The writer emits
// fields in document order (ordered_json) so result.json reads top-down; the reader is strict:
// every field v1 writes is required unless optional below, unknown fields are rejected, and each
// error names the JSON path, so a hand-edited or foreign document fails loudly.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/escape.hpp"
#include "reports/render.hpp"
#include "reports/result.hpp"

namespace facteur::report {
namespace {

using ordered_json = nlohmann::ordered_json;
using nlohmann::json;

constexpr const char* kVersionKey = "facteur-result";

// JSON text must be UTF-8; server bytes may not be. Invalid bytes become "\xNN" text so that
// dump() never throws and the document stays readable.
std::string utf8(const std::string& s) { return detail::valid_utf8(s); }

ordered_json case_to_json(const CaseResult& c) {
  ordered_json j;
  j["id"] = utf8(c.id);
  j["title"] = utf8(c.title);
  j["protocol"] = utf8(c.protocol);
  j["file"] = utf8(c.file);
  j["spec"] = ordered_json::array();
  for (const SpecRef& ref : c.spec) {
    j["spec"].push_back({{"rfc", utf8(ref.rfc)}, {"section", utf8(ref.section)}, {"level", utf8(ref.level)}});
  }
  j["level"] = utf8(c.level);
  j["tags"] = ordered_json::array();
  for (const std::string& tag : c.tags) j["tags"].push_back(utf8(tag));
  j["outcome"] = to_string(c.outcome);
  if (!c.message.empty()) j["message"] = utf8(c.message);
  if (!c.expected.empty()) j["expected"] = utf8(c.expected);
  if (!c.actual.empty()) j["actual"] = utf8(c.actual);
  if (c.step >= 0) j["step"] = c.step;
  j["duration_ms"] = c.duration_ms;
  if (c.baseline_reason || c.baseline_stale) {
    ordered_json baseline;
    if (c.baseline_reason) baseline["reason"] = utf8(*c.baseline_reason);
    baseline["stale"] = c.baseline_stale;
    j["baseline"] = std::move(baseline);
  }
  if (!c.transcript.empty()) {
    ordered_json lines = ordered_json::array();
    for (const TranscriptLine& line : c.transcript) {
      lines.push_back({{"t_ms", line.t_ms},
                       {"session", utf8(line.session)},
                       {"dir", utf8(std::string(1, line.dir))},
                       {"text", utf8(line.text)}});
    }
    j["transcript"] = std::move(lines);
  }
  return j;
}

ordered_json to_ordered_json(const RunResult& r) {
  ordered_json j;
  // The version this code writes, whatever r.schema_version says: the writer defines the format.
  j[kVersionKey] = kResultSchemaVersion;
  j["tool"] = utf8(r.tool);
  j["tool_version"] = utf8(r.tool_version);
  j["command"] = utf8(r.command);
  j["target"] = utf8(r.target);
  j["started_at"] = utf8(r.started_at);
  j["duration_ms"] = r.duration_ms;
  j["strict"] = r.strict;
  j["interrupted"] = r.interrupted;
  j["baseline_file"] = utf8(r.baseline_file);
  j["environment"] = ordered_json::object();
  for (const auto& [key, value] : r.environment) j["environment"][utf8(key)] = utf8(value);
  const Summary s = r.summary();
  j["summary"] = {{"total", s.total},         {"passed", s.passed},       {"failed", s.failed},
                  {"warned", s.warned},       {"skipped", s.skipped},     {"errored", s.errored},
                  {"baselined", s.baselined}, {"baseline_stale", s.baseline_stale}};
  j["cases"] = ordered_json::array();
  for (const CaseResult& c : r.cases) j["cases"].push_back(case_to_json(c));
  if (!r.load.is_null()) j["load"] = ordered_json(r.load);
  return j;
}

// ---- reading ----------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "$.cases[3].outcome", "$[\"facteur-result\"]", "$.environment[\"odd key\"]"
std::string member_path(const std::string& parent, std::string_view key) {
  if (is_identifier(key)) return fmt::format("{}.{}", parent, key);
  return fmt::format("{}[{}]", parent, json(std::string(key)).dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string index_path(const std::string& parent, std::size_t i) { return fmt::format("{}[{}]", parent, i); }

// A JSON object being read: rejects members it does not know (unknown fields are errors in a
// versioned document), then hands out typed members that fail with their own path.
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string path, std::initializer_list<std::string_view> known)
      : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_, fmt::format("expected an object, got {}", j_.type_name()));
    for (const auto& item : j_.items()) {
      if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
        fail(member_path(path_, item.key()), "unknown field");
      }
    }
  }

  const std::string& path() const { return path_; }
  bool has(const char* key) const { return j_.contains(key); }

  const json& member(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end()) fail(member_path(path_, key), "required field is missing");
    return *it;
  }
  std::string string(const char* key) const {
    const json& v = member(key);
    if (!v.is_string()) fail(member_path(path_, key), fmt::format("expected a string, got {}", v.type_name()));
    return v.get<std::string>();
  }
  // Optional fields are omitted when empty, so present-but-empty is not something v1 writes.
  std::string optional_string(const char* key) const {
    if (!has(key)) return {};
    std::string v = string(key);
    if (v.empty()) fail(member_path(path_, key), "empty (an empty field is omitted instead)");
    return v;
  }
  bool boolean(const char* key) const {
    const json& v = member(key);
    if (!v.is_boolean()) fail(member_path(path_, key), fmt::format("expected true or false, got {}", v.type_name()));
    return v.get<bool>();
  }
  double number(const char* key) const {  // non-negative: durations and times
    const json& v = member(key);
    if (!v.is_number()) fail(member_path(path_, key), fmt::format("expected a number, got {}", v.type_name()));
    const double d = v.get<double>();
    if (d < 0) fail(member_path(path_, key), fmt::format("must not be negative, got {}", v.dump()));
    return d;
  }
  int integer(const char* key) const {  // non-negative: counts and indexes
    const json& v = member(key);
    const bool in_range = v.is_number_unsigned() ? v.get<std::uint64_t>() <= std::numeric_limits<int>::max()
                          : v.is_number_integer() ? v.get<std::int64_t>() >= 0 &&
                                                        v.get<std::int64_t>() <= std::numeric_limits<int>::max()
                                                  : false;
    if (!in_range) fail(member_path(path_, key), fmt::format("expected a non-negative integer, got {}", v.dump()));
    return v.get<int>();
  }
  const json& array(const char* key) const {
    const json& v = member(key);
    if (!v.is_array()) fail(member_path(path_, key), fmt::format("expected an array, got {}", v.type_name()));
    return v;
  }

 private:
  const json& j_;
  std::string path_;
};

std::string level(const ObjectReader& o, const char* key, bool allow_empty) {
  std::string v = o.string(key);
  if (v == "MUST" || v == "SHOULD" || v == "MAY" || (allow_empty && v.empty())) return v;
  fail(member_path(o.path(), key), fmt::format("unknown level '{}' (expected MUST, SHOULD or MAY)", v));
}

TranscriptLine transcript_line_from_json(const json& j, const std::string& path) {
  const ObjectReader o(j, path, {"t_ms", "session", "dir", "text"});
  TranscriptLine line;
  line.t_ms = o.number("t_ms");
  line.session = o.string("session");
  const std::string dir = o.string("dir");
  if (dir != ">" && dir != "<" && dir != "*") {
    fail(member_path(path, "dir"), fmt::format("unknown direction '{}' (expected '>', '<' or '*')", dir));
  }
  line.dir = dir[0];
  line.text = o.string("text");
  return line;
}

CaseResult case_from_json(const json& j, const std::string& path) {
  const ObjectReader o(j, path,
                       {"id", "title", "protocol", "file", "spec", "level", "tags", "outcome", "message",
                        "expected", "actual", "step", "duration_ms", "baseline", "transcript"});
  CaseResult c;
  c.id = o.string("id");
  c.title = o.string("title");
  c.protocol = o.string("protocol");
  c.file = o.string("file");
  const json& spec = o.array("spec");
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const ObjectReader ref(spec[i], index_path(member_path(path, "spec"), i), {"rfc", "section", "level"});
    c.spec.push_back({ref.string("rfc"), ref.string("section"), level(ref, "level", false)});
  }
  c.level = level(o, "level", true);
  const json& tags = o.array("tags");
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (!tags[i].is_string()) {
      fail(index_path(member_path(path, "tags"), i), fmt::format("expected a string, got {}", tags[i].type_name()));
    }
    c.tags.push_back(tags[i].get<std::string>());
  }
  const std::string outcome = o.string("outcome");
  const auto parsed = outcome_from_string(outcome);
  if (!parsed) fail(member_path(path, "outcome"), fmt::format("unknown outcome '{}'", outcome));
  c.outcome = *parsed;
  c.message = o.optional_string("message");
  c.expected = o.optional_string("expected");
  c.actual = o.optional_string("actual");
  if (o.has("step")) c.step = o.integer("step");
  c.duration_ms = o.number("duration_ms");
  if (o.has("baseline")) {
    const ObjectReader b(o.member("baseline"), member_path(path, "baseline"), {"reason", "stale"});
    if (b.has("reason")) c.baseline_reason = b.string("reason");
    c.baseline_stale = b.boolean("stale");
  }
  if (o.has("transcript")) {
    const json& lines = o.array("transcript");
    const std::string lines_path = member_path(path, "transcript");
    if (lines.empty()) fail(lines_path, "empty (an empty transcript is omitted instead)");
    for (std::size_t i = 0; i < lines.size(); ++i) {
      c.transcript.push_back(transcript_line_from_json(lines[i], index_path(lines_path, i)));
    }
  }
  return c;
}

void check_summary(const json& j, const RunResult& r) {
  const ObjectReader o(j, "$.summary",
                       {"total", "passed", "failed", "warned", "skipped", "errored", "baselined", "baseline_stale"});
  const Summary s = r.summary();
  const std::pair<const char*, int> counts[] = {
      {"total", s.total},     {"passed", s.passed},   {"failed", s.failed},       {"warned", s.warned},
      {"skipped", s.skipped}, {"errored", s.errored}, {"baselined", s.baselined}, {"baseline_stale", s.baseline_stale}};
  // The summary is computed, never stored by hand: a mismatch means the cases were edited.
  for (const auto& [key, expected] : counts) {
    const int stored = o.integer(key);
    if (stored != expected) {
      fail(member_path("$.summary", key), fmt::format("{} does not match the cases ({})", stored, expected));
    }
  }
}

}  // namespace

json to_json(const RunResult& r) { return json(to_ordered_json(r)); }

std::string render_json(const RunResult& r) { return to_ordered_json(r).dump(2) + "\n"; }

RunResult result_from_json(const json& j) {
  if (!j.is_object()) fail("$", fmt::format("expected a facteur result object, got {}", j.type_name()));
  const auto version = j.find(kVersionKey);
  const std::string version_path = member_path("$", kVersionKey);
  if (version == j.end()) fail("$", "not a facteur result (no \"facteur-result\" version field)");
  if (!version->is_number_integer() || version->get<std::int64_t>() != kResultSchemaVersion) {
    fail(version_path, fmt::format("unsupported result version {} (this facteur reads version {})",
                                   version->dump(), kResultSchemaVersion));
  }
  const ObjectReader o(j, "$",
                       {kVersionKey, "tool", "tool_version", "command", "target", "started_at", "duration_ms",
                        "strict", "interrupted", "baseline_file", "environment", "summary", "cases", "load"});
  RunResult r;
  r.schema_version = kResultSchemaVersion;
  r.tool = o.string("tool");
  r.tool_version = o.string("tool_version");
  r.command = o.string("command");
  r.target = o.string("target");
  r.started_at = o.string("started_at");
  r.duration_ms = o.number("duration_ms");
  r.strict = o.boolean("strict");
  r.interrupted = o.boolean("interrupted");
  r.baseline_file = o.string("baseline_file");
  const json& environment = o.member("environment");
  if (!environment.is_object()) {
    fail("$.environment", fmt::format("expected an object, got {}", environment.type_name()));
  }
  for (const auto& item : environment.items()) {
    if (!item.value().is_string()) {
      fail(member_path("$.environment", item.key()), fmt::format("expected a string, got {}", item.value().type_name()));
    }
    r.environment.emplace(item.key(), item.value().get<std::string>());
  }
  if (o.has("load")) {
    if (!o.member("load").is_object()) fail("$.load", fmt::format("expected an object, got {}", o.member("load").type_name()));
    r.load = o.member("load");
  }
  const json& cases = o.array("cases");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    r.cases.push_back(case_from_json(cases[i], index_path("$.cases", i)));
  }
  check_summary(o.member("summary"), r);
  return r;
}

}  // namespace facteur::report
