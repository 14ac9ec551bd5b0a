#include "harness/fuzz/iteration.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace facteur::fuzz {
using json = nlohmann::ordered_json;

namespace {

std::string last_segment(const std::string& id) {
  const auto slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}


}  // namespace

const char* to_string(FindingKind k) {
  switch (k) {
    case FindingKind::none: return "none";
    case FindingKind::crash: return "crash";
    case FindingKind::hang: return "hang";
    case FindingKind::unparseable: return "unparseable";
    case FindingKind::invariant: return "invariant";
    case FindingKind::deviation: return "deviation";
  }
  return "?";
}

json iteration_scenario(const json& seed_scenario, const SeedLine& seed, const Mutation& m, const Iteration& it,
                        Layout* layout) {
  const std::string protocol = to_string(it.protocol);
  json out;
  out["facteur"] = 1;
  out["id"] = fmt::format("fuzz/{}/{}/{}-s{}-i{}", protocol, m.name, last_segment(it.seed_id), it.run_seed, it.number);
  out["title"] = fmt::format("{} survives {}", protocol, m.detail.empty() ? m.name : m.detail);
  out["description"] = fmt::format(
      "Written by facteur fuzz (seed {}, iteration {}, mutation {}) from step {} ({}) of {}. The steps of the "
      "seed scenario before that line run as written; the line is replaced by the mutation{}; the server must "
      "then answer{} with replies that parse and keep the session's invariants, and a new connection must still "
      "be greeted.",
      it.run_seed, it.number, m.name, seed.step, seed.verb.empty() ? seed.kind : seed.verb, it.seed_id,
      m.close_after ? " and the client closes" : m.sync ? ", followed by a probe line" : "",
      m.oracle ? fmt::format(" (at most {} replies: RFC {} §{}, {})", m.max_replies, m.oracle->rfc,
                             m.oracle->section, m.oracle->rule)
               : "");
  out["protocol"] = protocol;
  if (m.oracle) {
    out["spec"] = json::array({json{{"rfc", m.oracle->rfc}, {"section", m.oracle->section}, {"level", m.oracle->level}}});
  } else if (seed_scenario.contains("spec")) {
    out["spec"] = seed_scenario["spec"];
  }
  out["tags"] = json::array({"fuzz", m.name});
  for (const char* key : {"requires", "vars", "sessions", "serial"}) {
    if (seed_scenario.contains(key)) out[key] = seed_scenario[key];
  }
  json steps = json::array();
  const json& seed_steps = seed_scenario["steps"];
  for (std::size_t i = 0; i < seed.step && i < seed_steps.size(); ++i) {
    if (!it.prefix || std::find(it.prefix->begin(), it.prefix->end(), i) != it.prefix->end()) {
      steps.push_back(seed_steps[i]);
    }
  }
  Layout l;
  l.prefix = steps.size();
  const auto on_session = [&seed](json step) {
    if (seed.session != "main") step["session"] = seed.session;
    return step;
  };
  if (m.steps.is_array()) {
    for (const auto& s : m.steps) steps.push_back(s);
  } else {
    steps.push_back(on_session(json{{"raw", json{{"parts", to_parts_json(m.payload)}}}, {"replies", 0}}));
  }
  if (m.close_after) {
    steps.push_back(on_session(json{{"close", true}}));
  } else {
    if (m.sync) steps.push_back(on_session(json{{"raw", probe_line(it.protocol) + "\r\n"}, {"replies", 0}}));
    json drain{{"quiet_ms", it.quiet_ms}, {"min", 1}};
    if (m.max_replies < 1'000'000) drain["max"] = m.max_replies;
    steps.push_back(on_session(json{{"drain", drain}}));
  }
  l.mutation_end = steps.size();
  l.liveness = steps.size();
  steps.push_back(json{{"connect", true}, {"session", "fuzz-liveness"}});
  out["steps"] = std::move(steps);
  if (layout) *layout = l;
  return out;
}

Verdict classify(const report::CaseResult& r, const Layout& layout) {
  Verdict v;
  using report::Outcome;
  if (r.outcome == Outcome::pass || r.outcome == Outcome::skip) return v;
  const std::string& msg = r.message;
  if (r.step >= 0 && static_cast<std::size_t>(r.step) < layout.prefix) {
    v.setup_failed = true;
    return v;
  }
  if (r.step >= 0 && static_cast<std::size_t>(r.step) == layout.liveness) {
    v.kind = FindingKind::crash;
  } else {
    switch (r.stop) {
      case report::StopKind::timeout: v.kind = FindingKind::hang; break;
      case report::StopKind::malformed: v.kind = FindingKind::unparseable; break;
      case report::StopKind::invariant:
        v.kind = FindingKind::invariant;
        v.key = msg.substr(0, msg.find(':'));  // "IMAP invariant imap.tag-unknown": one finding per rule
        break;
      case report::StopKind::excess: v.kind = FindingKind::deviation; break;
      default: break;  // a check, a closed connection, a reset: the server may refuse garbage so
    }
  }
  if (v.key.empty() && v.kind != FindingKind::none) v.key = to_string(v.kind);
  return v;
}

}  // namespace facteur::fuzz
