// An HTTP step: {"http": "POST /contact.php", "headers": {…}, "query": {…}, "form": {…} | [[n, v], …],
// "multipart": [parts], "body": "…", "content_type": "…", "chunked": true, "expect_continue": true,
// "content_length": 12, "follow": true, "fields": {"var": "input-name"}} (see /work/s4-format.md).
#include <nlohmann/json.hpp>

#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
using nlohmann::json;

namespace {

bool token_char(char c) {
  // RFC 9110 §5.6.2 tchar.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

const std::set<std::string, std::less<>>& Reader::http_option_keys() {
  static const std::set<std::string, std::less<>> keys{
      "headers", "query", "form", "multipart", "body", "content_type", "chunked", "expect_continue",
      "content_length", "follow", "fields"};
  return keys;
}

void Reader::http_options(Step& s, const json& j, const std::string& ptr) const {
  HttpRequest r;
  const std::string line_ptr = ptr + "/http";
  const json& line = j["http"];
  expect_type(line, line_ptr, json::value_t::string, "\"METHOD target\", e.g. \"GET /contact.php\"");
  s.text = line.get<std::string>();
  const auto space = s.text.find(' ');
  r.method = s.text.substr(0, space);
  if (space != std::string::npos) {
    r.target = s.text.substr(space + 1);
    while (!r.target.empty() && r.target.front() == ' ') r.target.erase(0, 1);
  }
  if (r.method.empty() || r.target.empty()) fail(line_ptr, "expected \"METHOD target\", e.g. \"GET /contact.php\"");
  for (char c : r.method) {
    if (!token_char(c)) fail(line_ptr, "the method must be an HTTP token (RFC 9110 §9.1)");
  }
  if (r.target.find_first_of(" \r\n") != std::string::npos) fail(line_ptr, "the target must not hold spaces or line ends");
  check_template_at(r.target, line_ptr);

  // An object of templates, or an array of [name, value] pairs (duplicates and order kept).
  auto pairs = [&](const char* key) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::string p = ptr + "/" + key;
    const json& v = j[key];
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string ip = p + "/" + it.key();
        std::string value = it.value().is_number_integer() ? std::to_string(it.value().get<long long>()) : "";
        if (!it.value().is_number_integer()) {
          expect_type(it.value(), ip, json::value_t::string, "a string");
          value = it.value().get<std::string>();
        }
        check_template_at(it.key(), ip);
        check_template_at(value, ip);
        out.emplace_back(it.key(), value);
      }
      return out;
    }
    expect_type(v, p, json::value_t::array, "an object, or an array of [name, value] pairs");
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string ip = p + "/" + std::to_string(i);
      if (!v[i].is_array() || v[i].size() != 2 || !v[i][0].is_string() || !v[i][1].is_string()) {
        fail(ip, "expected a [name, value] pair of strings");
      }
      check_template_at(v[i][0].get<std::string>(), ip + "/0");
      check_template_at(v[i][1].get<std::string>(), ip + "/1");
      out.emplace_back(v[i][0].get<std::string>(), v[i][1].get<std::string>());
    }
    return out;
  };

  if (j.contains("headers")) r.headers = pairs("headers");
  for (const auto& [name, value] : r.headers) {
    for (char c : name) {
      if (!token_char(c)) fail(ptr + "/headers", "field name '" + name + "' is not an HTTP token (RFC 9110 §5.1)");
    }
  }
  if (j.contains("query")) r.query = pairs("query");
  int bodies = 0;
  if (j.contains("form")) {
    r.body = HttpRequest::Body::form;
    r.form = pairs("form");
    ++bodies;
  }
  if (j.contains("body")) {
    r.body = HttpRequest::Body::text;
    r.text = string_at(j, ptr, "body", true);
    check_template_at(r.text, ptr + "/body");
    ++bodies;
  }
  if (j.contains("multipart")) {
    r.body = HttpRequest::Body::multipart;
    ++bodies;
    const std::string mp = ptr + "/multipart";
    const json& parts = j["multipart"];
    expect_type(parts, mp, json::value_t::array, "an array of parts");
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::string pp = mp + "/" + std::to_string(i);
      const json& part = parts[i];
      expect_type(part, pp, json::value_t::object, "a part {name, value} or {name, filename, text | seeded}");
      check_keys(part, pp, {"name", "value", "filename", "content_type", "text", "seeded"});
      HttpPart hp;
      hp.name = string_at(part, pp, "name", true);
      check_template_at(hp.name, pp + "/name");
      if (part.contains("filename")) {
        hp.filename = string_at(part, pp, "filename", true);
        check_template_at(*hp.filename, pp + "/filename");
        hp.content_type = string_at(part, pp, "content_type", false);
        if (part.contains("value")) fail(pp + "/value", "a file part has 'text' or 'seeded', not 'value'");
        if (part.contains("text") == part.contains("seeded")) fail(pp, "a file part needs one of 'text' or 'seeded'");
        if (part.contains("text")) {
          hp.value = string_at(part, pp, "text", true);
          check_template_at(hp.value, pp + "/text");
        } else {
          const json& sd = part["seeded"];
          expect_type(sd, pp + "/seeded", json::value_t::object, "{seed, size}");
          check_keys(sd, pp + "/seeded", {"seed", "size"});
          if (!sd.contains("seed") || !sd["seed"].is_number_integer()) fail(pp + "/seeded", "'seed' must be an integer");
          hp.seeded = true;
          hp.seed = static_cast<std::uint64_t>(sd["seed"].get<long long>());
          if (!sd.contains("size")) fail(pp + "/seeded", "missing required key 'size'");
          hp.size = octets_at(sd, pp + "/seeded", "size");  // the FTP reader's sizes: one grammar
        }
      } else {
        for (const char* k : {"content_type", "text", "seeded"}) {
          if (part.contains(k)) fail(pp + "/" + k, std::string("'") + k + "' needs 'filename' (a file part)");
        }
        hp.value = string_at(part, pp, "value", true);
        check_template_at(hp.value, pp + "/value");
      }
      r.multipart.push_back(std::move(hp));
    }
  }
  if (bodies > 1) fail(ptr, "give one body: 'form', 'multipart' or 'body'");
  r.content_type = string_at(j, ptr, "content_type", false);
  check_template_at(r.content_type, ptr + "/content_type");
  if (r.body == HttpRequest::Body::text && r.content_type.empty() && j.contains("content_type") == false) {
    r.content_type = "text/plain; charset=utf-8";
  }
  r.chunked = bool_at(j, ptr, "chunked", false);
  r.expect_continue = bool_at(j, ptr, "expect_continue", false);
  r.follow = bool_at(j, ptr, "follow", false);
  if (j.contains("content_length")) {
    const json& cl = j["content_length"];
    if (!cl.is_number_integer() || cl.get<long long>() < 0) fail(ptr + "/content_length", "expected an integer ≥ 0");
    r.content_length = cl.get<std::uint64_t>();
  }
  if (j.contains("fields")) {
    for (auto& [var, input] : string_map(j["fields"], ptr + "/fields", false)) r.fields[var] = input;
  }
  s.http = std::move(r);
}

}  // namespace facteur::scenario
