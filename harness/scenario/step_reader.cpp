#include "harness/scenario/step_reader.hpp"

#include <array>

#include "harness/scenario/loader.hpp"

namespace facteur::scenario {
using nlohmann::json;

namespace {

// Which protocols may use a step: every one, or the listed ones.
enum : unsigned { kAny = 0, kSmtp = 1, kImap = 2, kPop3 = 4, kFtp = 8, kHttp = 16 };

struct KindName {
  const char* key;
  StepKind kind;
  unsigned protocols;
};
constexpr std::array<KindName, 32> kKinds{{
    {"connect", StepKind::connect, kAny},   {"send", StepKind::send, kAny},
    {"raw", StepKind::raw, kAny},           {"silence", StepKind::silence, kAny},
    {"close", StepKind::close, kAny},       {"sleep", StepKind::sleep, kAny},
    {"loop", StepKind::loop, kAny},         {"set", StepKind::set, kAny},
    {"mailbox", StepKind::mailbox, kAny},   {"fixture", StepKind::fixture, kAny},
    {"ehlo", StepKind::ehlo, kSmtp},        {"helo", StepKind::helo, kSmtp},
    {"starttls", StepKind::starttls, kSmtp | kImap | kPop3 | kFtp},
    {"auth", StepKind::auth, kSmtp | kImap | kPop3},
    {"mail", StepKind::mail, kSmtp},        {"rcpt", StepKind::rcpt, kSmtp},
    {"data", StepKind::data, kSmtp},        {"bdat", StepKind::bdat, kSmtp},
    {"pipeline", StepKind::pipeline, kSmtp}, {"quit", StepKind::quit, kSmtp | kPop3 | kFtp},
    {"imap", StepKind::imap, kImap},        {"await", StepKind::await_tag, kImap},
    {"append", StepKind::append, kImap},    {"idle", StepKind::idle, kImap},
    {"done", StepKind::done, kImap},        {"login", StepKind::login, kImap | kPop3 | kFtp},
    {"logout", StepKind::logout, kImap},    {"pop3", StepKind::pop3, kPop3},
    {"http", StepKind::http, kHttp},
    {"drain", StepKind::drain, kAny},       {"ftp", StepKind::ftp, kFtp},
    {"expect", StepKind::expect, kAny},
}};

unsigned protocol_bit(Protocol p) {
  switch (p) {
    case Protocol::smtp: return kSmtp;
    case Protocol::imap: return kImap;
    case Protocol::pop3: return kPop3;
    case Protocol::http: return kHttp;
    case Protocol::ftp: return kFtp;
    default: return 0;
  }
}

const char* type_name(json::value_t t) {
  switch (t) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

std::string key_ptr(const std::string& ptr, const std::string& key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~') escaped += "~0";
    else if (c == '/') escaped += "~1";
    else escaped += c;
  }
  return ptr + "/" + escaped;
}

}  // namespace

void Reader::fail(const std::string& pointer, const std::string& message) const {
  const Position pos = locator_.find(pointer);
  throw ScenarioError(file_, pos.line, pos.column, pointer_to_path(pointer), message);
}

void Reader::expect_type(const json& j, const std::string& ptr, json::value_t type, const char* what) const {
  const bool ok = j.type() == type ||
                  (type == json::value_t::number_integer && j.is_number_integer());
  if (!ok) fail(ptr, std::string("expected ") + what + ", found " + type_name(j.type()));
}

void Reader::check_keys(const json& j, const std::string& ptr,
                        const std::set<std::string, std::less<>>& allowed) const {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.count(it.key()) && it.key() != "comment") {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      fail(key_ptr(ptr, it.key()), "unknown key '" + it.key() + "' (allowed: " + list + ")");
    }
  }
}

void Reader::check_id(const std::string& id, const std::string& ptr) const {
  // Stable ids: lower-case path segments, e.g. smtp/5321/4.1.1.5/rset-clears-transaction.
  if (id.empty() || id.front() == '/' || id.back() == '/') fail(ptr, "id must be a path like smtp/5321/4.1.4/topic");
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '-' || c == '_';
    if (!ok) fail(ptr, std::string("id may hold only a-z 0-9 / . - _ (found '") + c + "')");
  }
}

void Reader::check_template_at(const std::string& text, const std::string& ptr) const {
  try {
    check_template(text);
  } catch (const TemplateError& e) {
    fail(ptr, std::string("bad template at offset ") + std::to_string(e.offset()) + ": " + e.what());
  }
}

std::string Reader::string_at(const json& obj, const std::string& ptr, const char* key, bool required) const {
  if (!obj.contains(key)) {
    if (required) fail(ptr, std::string("missing required key '") + key + "'");
    return {};
  }
  const auto& v = obj[key];
  expect_type(v, key_ptr(ptr, key), json::value_t::string, "a string");
  return v.get<std::string>();
}

std::string Reader::string_or_number(const json& obj, const std::string& ptr, const char* key, bool required) const {
  if (obj.contains(key) && obj[key].is_number_integer()) return std::to_string(obj[key].get<long long>());
  return string_at(obj, ptr, key, required);
}

int Reader::int_at(const json& obj, const std::string& ptr, const char* key, int min, int max) const {
  const auto& v = obj[key];
  if (!v.is_number_integer()) fail(key_ptr(ptr, key), std::string("expected an integer, found ") + type_name(v.type()));
  const auto value = v.get<long long>();
  if (value < min || value > max) {
    fail(key_ptr(ptr, key), "value " + std::to_string(value) + " out of range [" + std::to_string(min) + ", " +
                                std::to_string(max) + "]");
  }
  return static_cast<int>(value);
}

bool Reader::bool_at(const json& obj, const std::string& ptr, const char* key, bool fallback) const {
  if (!obj.contains(key)) return fallback;
  expect_type(obj[key], key_ptr(ptr, key), json::value_t::boolean, "true or false");
  return obj[key].get<bool>();
}

std::vector<std::string> Reader::string_list(const json& obj, const std::string& ptr, const char* key) const {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const auto& v = obj[key];
  const std::string p = key_ptr(ptr, key);
  if (v.is_string()) return {v.get<std::string>()};
  expect_type(v, p, json::value_t::array, "an array of strings");
  for (std::size_t i = 0; i < v.size(); ++i) {
    expect_type(v[i], p + "/" + std::to_string(i), json::value_t::string, "a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::map<std::string, std::string, std::less<>> Reader::string_map(const json& j, const std::string& ptr,
                                                                   bool templates) const {
  expect_type(j, ptr, json::value_t::object, "an object of strings");
  std::map<std::string, std::string, std::less<>> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string p = key_ptr(ptr, it.key());
    if (it.value().is_number_integer()) {
      out[it.key()] = std::to_string(it.value().get<long long>());
      continue;
    }
    expect_type(it.value(), p, json::value_t::string, "a string");
    if (templates) check_template_at(it.value().get<std::string>(), p);
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

std::vector<Step> Reader::steps(const json& j, const std::string& ptr, Protocol protocol) const {
  expect_type(j, ptr, json::value_t::array, "an array of steps");
  std::vector<Step> out;
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(step(j[i], ptr + "/" + std::to_string(i), protocol));
  return out;
}

Protocol Reader::session_protocol(const std::string& session, Protocol fallback) const {
  const auto it = session_protocols_.find(session);
  return it != session_protocols_.end() ? it->second : fallback;
}

std::optional<Protocol> protocol_of_url_template(std::string_view url) {
  if (const auto colon = url.find("://"); colon != std::string_view::npos) {
    if (const SchemeInfo* info = find_scheme(url.substr(0, colon))) return info->protocol;
    return std::nullopt;
  }
  // "${imaps_url}" (optionally followed by a path): the variable names its scheme.
  constexpr std::string_view kSuffix = "_url}";
  if (url.rfind("${", 0) == 0) {
    const auto end = url.find(kSuffix);
    if (end != std::string_view::npos) {
      if (const SchemeInfo* info = find_scheme(url.substr(2, end - 2))) return info->protocol;
    }
  }
  return std::nullopt;
}

Step Reader::step(const json& j, const std::string& ptr, Protocol protocol) const {
  expect_type(j, ptr, json::value_t::object, "a step object");
  const KindName* found = nullptr;
  for (const auto& k : kKinds) {
    if (!j.contains(k.key)) continue;
    if (k.kind == StepKind::expect && found) continue;  // "expect" beside another kind is its expectation
    if (found) fail(ptr, std::string("a step has one action; found both '") + found->key + "' and '" + k.key + "'");
    found = &k;
  }
  if (!found) fail(ptr, "a step needs an action (send, raw, expect, ehlo, mail, rcpt, data, …)");
  Step s;
  s.kind = found->kind;
  s.pointer = ptr;
  if (j.contains("session")) {
    s.session = string_at(j, ptr, "session", true);
    if (s.session.empty()) fail(key_ptr(ptr, "session"), "session name must not be empty");
  }
  const Protocol scenario_protocol = protocol;
  protocol = session_protocol(s.session, scenario_protocol);
  if (found->protocols != kAny && !(found->protocols & protocol_bit(protocol))) {
    fail(key_ptr(ptr, found->key),
         std::string("'") + found->key + "' is not a step of " + to_string(protocol) +
             (protocol == scenario_protocol ? std::string(" scenarios")
                                            : " sessions (session '" + s.session + "')"));
  }
  std::set<std::string, std::less<>> allowed{found->key, "session", "expect"};
  if (s.kind == StepKind::raw) allowed.insert("replies");
  if (s.kind == StepKind::data) allowed.insert("expect_354");
  if (s.kind == StepKind::starttls) allowed.insert("expect_220");
  if (s.kind == StepKind::imap) allowed.insert({"tag", "async", "literals", "literal_mode"});
  if (s.kind == StepKind::pop3 || (protocol == Protocol::pop3 && (s.kind == StepKind::send || s.kind == StepKind::raw))) {
    allowed.insert("multiline");
  }
  if (s.kind == StepKind::http) allowed.insert(http_option_keys().begin(), http_option_keys().end());
  ftp_options(s, j, ptr, allowed);
  check_keys(j, ptr, allowed);
  if (s.kind == StepKind::http) http_options(s, j, ptr);
  if (s.kind != StepKind::expect && j.contains("expect")) s.expect = expect_set(j["expect"], key_ptr(ptr, "expect"));
  if (s.kind == StepKind::expect) s.expect = expect_set(j["expect"], key_ptr(ptr, "expect"));
  if (s.kind == StepKind::raw) s.replies = j.contains("replies") ? int_at(j, ptr, "replies", 0, 10000) : 1;
  if (j.contains("expect_354")) s.expect_intermediate = expect_set(j["expect_354"], key_ptr(ptr, "expect_354"));
  if (j.contains("expect_220")) s.expect_intermediate = expect_set(j["expect_220"], key_ptr(ptr, "expect_220"));
  if (j.contains("multiline")) s.multiline = bool_at(j, ptr, "multiline", false);
  if (s.kind == StepKind::imap) imap_options(s, j, ptr);
  if (s.kind == StepKind::drain) {
    s.ms = 200;          // quiet period that ends the drain
    s.replies = 1;       // min
    s.count = 1'000'000;  // max
  }
  if (s.kind != StepKind::expect) step_body(s, j[found->key], key_ptr(ptr, found->key), protocol);
  if (s.kind == StepKind::connect && !s.text.empty()) {
    if (auto p = protocol_of_url_template(s.text)) session_protocols_[s.session] = *p;
  }
  if (s.kind == StepKind::login) {
    if (s.user.empty()) s.user = default_user(protocol);
    if (s.password.empty()) s.password = default_password(protocol);
  }
  return s;
}

}  // namespace facteur::scenario
