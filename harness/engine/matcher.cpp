#include "harness/engine/matcher.hpp"

#include <regex>

namespace facteur::engine {

std::string ReplyFacts::text() const {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

std::string ReplyFacts::summary() const {
  if (closed) return "connection closed by the server";
  std::string out = status;
  if (!lines.empty() && !lines.front().empty()) out += " " + lines.front();
  if (lines.size() > 1) out += " (+" + std::to_string(lines.size() - 1) + " lines)";
  return out;
}

bool code_matches(const std::string& pattern, const std::string& status) {
  if (pattern.size() != status.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != 'x' && pattern[i] != status[i]) return false;
  }
  return true;
}

bool enhanced_matches(const std::string& pattern, const std::string& enhanced) {
  if (pattern == "none") return enhanced.empty();
  if (enhanced.empty()) return false;
  std::size_t p = 0, e = 0;
  while (p <= pattern.size() && e <= enhanced.size()) {
    const auto pd = pattern.find('.', p), ed = enhanced.find('.', e);
    const auto ppart = pattern.substr(p, pd == std::string::npos ? std::string::npos : pd - p);
    const auto epart = enhanced.substr(e, ed == std::string::npos ? std::string::npos : ed - e);
    if (ppart != "x" && ppart != epart) return false;
    if (pd == std::string::npos || ed == std::string::npos) return pd == ed;
    p = pd + 1;
    e = ed + 1;
  }
  return false;
}

namespace {

bool has_capability(const smtp::Extensions& ext, const std::string& cap) {
  const auto eq = cap.find('=');
  if (eq == std::string::npos) return ext.has(cap);
  const std::string keyword = cap.substr(0, eq), value = cap.substr(eq + 1);
  const auto* params = ext.params(keyword);
  if (!params) return false;
  for (const auto& p : *params) {
    if (p.size() == value.size() &&
        std::equal(p.begin(), p.end(), value.begin(), [](char a, char b) { return std::toupper(a) == std::toupper(b); })) {
      return true;
    }
  }
  return false;
}

// Empty when `e` holds for `reply`; otherwise the first reason it does not.
std::string check(const scenario::Expectation& e, const ReplyFacts& reply, scenario::Vars& captured) {
  if (e.closed) return reply.closed ? "" : "expected the server to close the connection, got " + reply.summary();
  if (reply.closed) return "the server closed the connection instead of replying";
  if (!e.codes.empty()) {
    bool any = false;
    for (const auto& c : e.codes) any = any || code_matches(c, reply.status);
    if (!any) return "reply code " + reply.status + " is not acceptable";
  }
  if (!e.enhanced.empty()) {
    bool any = false;
    for (const auto& c : e.enhanced) any = any || enhanced_matches(c, reply.enhanced);
    if (!any) return reply.enhanced.empty() ? "no enhanced status code" : "enhanced code " + reply.enhanced + " is not acceptable";
  }
  if (e.multiline && (*e.multiline != (reply.lines.size() > 1))) {
    return *e.multiline ? "reply has a single line" : "reply has " + std::to_string(reply.lines.size()) + " lines";
  }
  const std::string text = reply.text();
  if (e.text && !std::regex_search(text, e.text->re)) return "text does not match /" + e.text->source + "/";
  if (!e.present.empty() || !e.absent.empty()) {
    if (!reply.extensions) return "reply is not an EHLO response with extensions";
    for (const auto& cap : e.present) {
      if (!has_capability(*reply.extensions, cap)) return cap + " is not announced";
    }
    for (const auto& cap : e.absent) {
      if (has_capability(*reply.extensions, cap)) return cap + " is announced";
    }
  }
  for (const auto& [name, pattern] : e.capture) {
    std::smatch m;
    if (!std::regex_search(text, m, pattern.re)) return "capture " + name + ": text does not match /" + pattern.source + "/";
    captured[name] = m.size() > 1 ? m[1].str() : m[0].str();
  }
  return {};
}

}  // namespace

MatchResult match(const scenario::ExpectSet& set, const ReplyFacts& reply, scenario::Vars& vars) {
  MatchResult result;
  for (const auto& e : set.any_of) {
    scenario::Vars captured;
    std::string why = check(e, reply, captured);
    if (why.empty()) {
      for (auto& [k, v] : captured) vars[k] = v;
      result.ok = true;
      result.why.clear();
      return result;
    }
    if (result.why.empty()) result.why = why;
  }
  return result;
}

}  // namespace facteur::engine
