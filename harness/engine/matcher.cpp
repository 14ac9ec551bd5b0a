#include "harness/engine/matcher.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "harness/imap/pattern.hpp"

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
  if (body_lines > 0) out += " (+" + std::to_string(body_lines) + " body lines)";
  // IMAP: what came before the completion, as on the wire (the first few).
  for (std::size_t i = 0; i < untagged.size() && i < 8; ++i) {
    std::string line = untagged[i].kind == imap::Response::Kind::continuation ? "+" : "*";
    for (const auto& v : untagged[i].items()) line += " " + v.wire();
    if (untagged[i].is_status() && !untagged[i].text.empty()) line += " " + untagged[i].text;
    if (line.size() > 160) line = line.substr(0, 157) + "...";
    out += "\n" + line;
  }
  if (untagged.size() > 8) out += "\n(+" + std::to_string(untagged.size() - 8) + " more untagged)";
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

std::string line_of(const imap::Response& r) {
  std::string out = r.kind == imap::Response::Kind::continuation ? "+" : "*";
  for (const auto& v : r.items()) {
    std::string w = v.wire();
    if (w.size() > 120) w = w.substr(0, 117) + "...";
    out += " " + w;
  }
  return out;
}

// A regular expression from the scenario, with its templates expanded when it has any.
std::regex compiled(const scenario::Pattern& p, const Expander& expand, std::string& source) {
  source = p.source;
  if (!expand || p.source.find("${") == std::string::npos) return p.re;
  source = expand(p.source);
  try {
    return std::regex(source, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    // The expanded value broke the expression: match it as literal text instead.
    std::string quoted;
    for (char c : source) {
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) quoted += '\\';
      quoted += c;
    }
    return std::regex(quoted, std::regex::ECMAScript);
  }
}

std::optional<imap::Pattern> imap_pattern(const std::string& text, const Expander& expand, std::string& why) {
  const std::string source = expand ? expand(text) : text;
  std::string error;
  auto p = imap::parse_pattern(source, &error);
  if (!p) why = "pattern '" + source + "': " + error;
  return p;
}

// IMAP: untagged responses matched in any order (or in order), forbidden ones, the tagged completion.
std::string check_imap(const scenario::Expectation& e, const ReplyFacts& reply, scenario::Vars& vars,
                       const Expander& expand) {
  std::vector<bool> used(reply.untagged.size(), false);
  std::size_t next = 0;  // ordered: the first response the next pattern may match
  for (const auto& text : e.untagged) {
    std::string why;
    auto p = imap_pattern(text, expand, why);
    if (!p) return why;
    bool found = false;
    std::string closest;
    for (std::size_t i = e.ordered ? next : 0; i < reply.untagged.size() && !found; ++i) {
      if (used[i]) continue;
      const imap::MatchOutcome m = imap::match(*p, reply.untagged[i], vars);
      if (m.ok) {
        used[i] = true;
        next = i + 1;
        found = true;
      } else if (closest.empty()) {
        // Keep the reason from a response of the same name: it says what differed.
        for (const auto& item : p->items) {
          if (item.kind == imap::Value::Kind::atom && item.is_atom(reply.untagged[i].name)) {
            closest = m.why;
            break;
          }
        }
      }
    }
    if (!found) {
      std::string out = "no untagged response matches '" + p->source + "'";
      if (e.ordered) out += " (in order)";
      if (!closest.empty()) out += ": " + closest;
      return out;
    }
  }
  for (const auto& text : e.not_untagged) {
    std::string why;
    auto p = imap_pattern(text, expand, why);
    if (!p) return why;
    for (const auto& r : reply.untagged) {
      scenario::Vars scratch = vars;
      if (imap::match(*p, r, scratch).ok) return "unexpected untagged response " + line_of(r) + " (matches '" + p->source + "')";
    }
  }
  if (!e.tagged.empty()) {
    std::string why;
    auto p = imap_pattern(e.tagged, expand, why);
    if (!p) return why;
    if (!reply.tagged) return "no tagged completion to match '" + p->source + "'";
    const imap::MatchOutcome m = imap::match(*p, *reply.tagged, vars);
    if (!m.ok) return "tagged completion does not match '" + p->source + "': " + m.why;
  }
  return {};
}

// POP3: multi-line bodies.
std::string check_lines(const scenario::Expectation& e, const ReplyFacts& reply, const Expander& expand) {
  if (e.line_count && static_cast<std::size_t>(*e.line_count) != reply.body_lines) {
    return "the body has " + std::to_string(reply.body_lines) + " lines, expected " + std::to_string(*e.line_count);
  }
  for (const auto& p : e.lines) {
    std::string source;
    const std::regex re = compiled(p, expand, source);
    bool any = false;
    for (const auto& line : reply.body) any = any || std::regex_search(line, re);
    if (!any) return "no body line matches /" + source + "/";
  }
  for (const auto& p : e.not_lines) {
    std::string source;
    const std::regex re = compiled(p, expand, source);
    for (const auto& line : reply.body) {
      if (std::regex_search(line, re)) return "body line '" + line.substr(0, 120) + "' matches /" + source + "/";
    }
  }
  return {};
}

// HTTP: every named field present with a value matching its pattern (any of its field lines
// matches), no forbidden field present. Names compare ASCII case-insensitively (RFC 9110 §5.1).
std::string check_headers(const scenario::Expectation& e, const ReplyFacts& reply, const Expander& expand) {
  if (!reply.headers) return "the reply has no header fields (not an HTTP response)";
  auto same = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const auto& [name, pattern] : e.headers) {
    std::string source;
    const std::regex re = compiled(pattern, expand, source);
    std::vector<std::string> values;
    for (const auto& [n, v] : *reply.headers) {
      if (same(n, name)) values.push_back(v);
    }
    if (values.empty()) return "no " + name + " header field";
    bool any = false;
    for (const auto& v : values) any = any || std::regex_search(v, re);
    if (!any) return name + ": " + values.front().substr(0, 200) + " does not match /" + source + "/";
  }
  for (const auto& name : e.absent_headers) {
    for (const auto& [n, v] : *reply.headers) {
      if (same(n, name)) return "unexpected " + n + " header field: " + v.substr(0, 200);
    }
  }
  return {};
}

// Empty when `e` holds for `reply`; otherwise the first reason it does not.
std::string check(const scenario::Expectation& e, const ReplyFacts& reply, scenario::Vars& captured,
                  const Expander& expand) {
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
  const bool multi = reply.lines.size() > 1 || reply.has_body;
  if (e.multiline && *e.multiline != multi) {
    return *e.multiline ? "reply has a single line" : "reply has " + std::to_string(reply.lines.size() + reply.body_lines) + " lines";
  }
  const std::string text = reply.text();
  if (e.text) {
    std::string source;
    if (!std::regex_search(text, compiled(*e.text, expand, source))) return "text does not match /" + source + "/";
  }
  if (!e.untagged.empty() || !e.not_untagged.empty() || !e.tagged.empty()) {
    if (std::string why = check_imap(e, reply, captured, expand); !why.empty()) return why;
  }
  if (!e.lines.empty() || !e.not_lines.empty() || e.line_count) {
    if (std::string why = check_lines(e, reply, expand); !why.empty()) return why;
  }
  if (!e.present.empty() || !e.absent.empty()) {
    if (reply.extensions) {
      for (const auto& cap : e.present) {
        if (!has_capability(*reply.extensions, cap)) return cap + " is not announced";
      }
      for (const auto& cap : e.absent) {
        if (has_capability(*reply.extensions, cap)) return cap + " is announced";
      }
    } else if (reply.capabilities) {
      // IMAP CAPABILITY / POP3 CAPA: names compared without regard to case, in any position.
      auto upper = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return s;
      };
      for (const auto& cap : e.present) {
        if (!reply.capabilities->count(upper(cap))) return cap + " is not announced";
      }
      for (const auto& cap : e.absent) {
        if (reply.capabilities->count(upper(cap))) return cap + " is announced";
      }
    } else if (!reply.extensions_error.empty()) {
      return "the EHLO reply does not parse (RFC 5321 §4.1.1.1), so it announces nothing: " + reply.extensions_error;
    } else {
      return "the reply announces no capabilities (EHLO, IMAP CAPABILITY or POP3 CAPA)";
    }
  }
  if (!e.headers.empty() || !e.absent_headers.empty()) {
    if (std::string why = check_headers(e, reply, expand); !why.empty()) return why;
  }
  for (const auto& [name, pattern] : e.capture) {
    std::string source;
    const std::regex re = compiled(pattern, expand, source);  // "${…}" as in text and lines
    std::smatch m;
    if (!std::regex_search(text, m, re)) return "capture " + name + ": text does not match /" + source + "/";
    captured[name] = m.size() > 1 ? m[1].str() : m[0].str();
  }
  return {};
}

}  // namespace

MatchResult match(const scenario::ExpectSet& set, const ReplyFacts& reply, scenario::Vars& vars,
                  const Expander& expand) {
  MatchResult result;
  for (const auto& e : set.any_of) {
    // IMAP $variables bind into the case's variables; work on a copy until the outcome holds.
    scenario::Vars captured = vars;
    std::string why = check(e, reply, captured, expand);
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
