// "expect": an object (one acceptable outcome) or an array of them (any one will do).
#include <nlohmann/json.hpp>

#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
using nlohmann::json;

namespace {
// "250", "2xx", "25x", "+OK", "-ERR", "OK", "NO", "BAD": what a status pattern may look like.
bool valid_code_pattern(const std::string& s) {
  // Named statuses first: "+OK" and "BAD" are three characters long too.
  if (s == "+OK" || s == "-ERR" || s == "OK" || s == "NO" || s == "BAD" || s == "+" || s == "PREAUTH" ||
      s == "BYE") {
    return true;
  }
  if (s.size() == 3) {
    if (s[0] < '1' || s[0] > '5') return false;
    for (std::size_t i = 1; i < 3; ++i) {
      if (!((s[i] >= '0' && s[i] <= '9') || s[i] == 'x')) return false;
    }
    if (s[1] == 'x' && s[2] != 'x') return false;
    return true;
  }
  return false;
}

bool valid_enhanced_pattern(const std::string& s) {
  if (s == "none") return true;
  // class.subject.detail where subject/detail are 1-3 digits or 'x'
  std::size_t pos = 0;
  int parts = 0;
  while (pos <= s.size()) {
    const auto dot = s.find('.', pos);
    const std::string part = s.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (part.empty() || part.size() > 3) return false;
    if (part != "x") {
      for (char c : part) {
        if (c < '0' || c > '9') return false;
      }
    }
    ++parts;
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return parts == 3 && (s[0] == '2' || s[0] == '4' || s[0] == '5' || s[0] == 'x');
}
}  // namespace

ExpectSet Reader::expect_set(const json& j, const std::string& ptr) const {
  ExpectSet set;
  if (j.is_array()) {
    if (j.empty()) fail(ptr, "an expect list needs at least one acceptable outcome");
    for (std::size_t i = 0; i < j.size(); ++i) set.any_of.push_back(expectation(j[i], ptr + "/" + std::to_string(i)));
  } else {
    set.any_of.push_back(expectation(j, ptr));
  }
  return set;
}

Pattern Reader::pattern(const std::string& source, const std::string& ptr) const {
  // "${name}" is expanded when the case runs (engine/matcher.cpp compiles it again then); check the
  // expression's shape here with each template replaced by a plain placeholder.
  std::string shape = source;
  if (source.find("${") != std::string::npos) {
    check_template_at(source, ptr);
    shape.clear();
    for (std::size_t i = 0; i < source.size(); ++i) {
      if (source.compare(i, 2, "${") == 0) {
        const auto end = source.find('}', i);
        shape += "X";
        i = end == std::string::npos ? source.size() : end;
      } else {
        shape += source[i];
      }
    }
  }
  try {
    return Pattern{source, std::regex(shape, std::regex::ECMAScript)};
  } catch (const std::regex_error& e) {
    fail(ptr, "bad regular expression /" + source + "/: " + e.what());
  }
}

Expectation Reader::expectation(const json& j, const std::string& ptr) const {
  Expectation e;
  e.pointer = ptr;
  if (j.is_number_integer() || j.is_string()) {  // shorthand: "expect": 250
    json wrapper{{"code", j}};
    return expectation(wrapper, ptr);
  }
  expect_type(j, ptr, json::value_t::object, "an expectation object, a code, or an array of them");
  check_keys(j, ptr, {"code", "enhanced", "text", "present", "absent", "multiline", "closed", "capture", "untagged",
                      "not_untagged", "ordered", "tagged", "lines", "not_lines", "line_count", "headers",
                      "absent_headers"});
  if (j.contains("code")) {
    const auto& c = j["code"];
    const std::string p = ptr + "/code";
    auto add = [&](const json& item, const std::string& ip) {
      std::string code = item.is_number_integer() ? std::to_string(item.get<long long>())
                                                  : (item.is_string() ? item.get<std::string>() : std::string("?"));
      if (!item.is_number_integer() && !item.is_string()) fail(ip, "a code is a number or a pattern like \"5xx\"");
      if (!valid_code_pattern(code)) fail(ip, "bad reply code pattern '" + code + "' (e.g. 250, \"2xx\", \"55x\", \"+OK\")");
      e.codes.push_back(code);
    };
    if (c.is_array()) {
      for (std::size_t i = 0; i < c.size(); ++i) add(c[i], p + "/" + std::to_string(i));
    } else {
      add(c, p);
    }
  }
  for (const auto& code : string_list(j, ptr, "enhanced")) {
    if (!valid_enhanced_pattern(code)) fail(ptr + "/enhanced", "bad enhanced status code pattern '" + code + "' (e.g. \"5.1.1\", \"5.x.x\")");
    e.enhanced.push_back(code);
  }
  if (j.contains("text")) e.text = pattern(string_at(j, ptr, "text", true), ptr + "/text");
  e.present = string_list(j, ptr, "present");
  e.absent = string_list(j, ptr, "absent");
  if (j.contains("multiline")) e.multiline = bool_at(j, ptr, "multiline", false);
  e.closed = bool_at(j, ptr, "closed", false);
  if (j.contains("capture")) {
    const auto& c = j["capture"];
    expect_type(c, ptr + "/capture", json::value_t::object, "an object of variable → regex");
    for (auto it = c.begin(); it != c.end(); ++it) {
      const std::string p = ptr + "/capture/" + it.key();
      expect_type(it.value(), p, json::value_t::string, "a regular expression");
      e.capture.emplace(it.key(), pattern(it.value().get<std::string>(), p));
    }
  }
  e.untagged = string_list(j, ptr, "untagged");
  for (std::size_t i = 0; i < e.untagged.size(); ++i) check_imap_pattern(e.untagged[i], ptr + "/untagged/" + std::to_string(i));
  e.not_untagged = string_list(j, ptr, "not_untagged");
  for (std::size_t i = 0; i < e.not_untagged.size(); ++i) {
    check_imap_pattern(e.not_untagged[i], ptr + "/not_untagged/" + std::to_string(i));
  }
  e.ordered = bool_at(j, ptr, "ordered", false);
  e.tagged = string_at(j, ptr, "tagged", false);
  if (!e.tagged.empty()) check_imap_pattern(e.tagged, ptr + "/tagged");
  const auto lines = string_list(j, ptr, "lines");
  for (std::size_t i = 0; i < lines.size(); ++i) e.lines.push_back(pattern(lines[i], ptr + "/lines/" + std::to_string(i)));
  const auto not_lines = string_list(j, ptr, "not_lines");
  for (std::size_t i = 0; i < not_lines.size(); ++i) {
    e.not_lines.push_back(pattern(not_lines[i], ptr + "/not_lines/" + std::to_string(i)));
  }
  if (j.contains("line_count")) e.line_count = int_at(j, ptr, "line_count", 0, 100'000'000);
  if (j.contains("headers")) {
    const auto& h = j["headers"];
    expect_type(h, ptr + "/headers", json::value_t::object, "an object of field name → regex");
    for (auto it = h.begin(); it != h.end(); ++it) {
      const std::string p = ptr + "/headers/" + it.key();
      expect_type(it.value(), p, json::value_t::string, "a regular expression");
      e.headers.emplace_back(it.key(), pattern(it.value().get<std::string>(), p));
    }
  }
  e.absent_headers = string_list(j, ptr, "absent_headers");
  if (e.closed && (!e.codes.empty() || e.text || !e.capture.empty())) {
    fail(ptr, "'closed' expects no reply: it cannot be combined with code, text or capture");
  }
  return e;
}

}  // namespace facteur::scenario
