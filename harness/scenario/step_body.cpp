// The value under a step's action key ("mail": {...}, "data": {...}) for each kind of step.
#include <nlohmann/json.hpp>

#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
using nlohmann::json;

// AUTH/LOGIN without a user: SMTP uses ${user}; IMAP and POP3 have their own variables so that one
// vars file can give each protocol its own test account.
std::string default_user(Protocol p) {
  return p == Protocol::imap ? "${imap_user}" : p == Protocol::pop3 ? "${pop3_user}" : p == Protocol::ftp ? "${ftp_user}" : "${user}";
}
std::string default_password(Protocol p) {
  return p == Protocol::imap    ? "${imap_password}"
         : p == Protocol::pop3  ? "${pop3_password}"
         : p == Protocol::ftp   ? "${ftp_password}"
                                : "${password}";
}

void Reader::step_body(Step& s, const json& v, const std::string& ptr, Protocol protocol) const {
  auto text_or = [&](const char* key) {
    // Either a plain string, or an object holding it under `key`.
    if (v.is_string()) return v.get<std::string>();
    expect_type(v, ptr, json::value_t::object, "a string or an object");
    return string_at(v, ptr, key, false);
  };
  if (v.is_boolean() && !v.get<bool>()) {
    fail(ptr, "false would not skip this step; remove the step instead");
  }
  switch (s.kind) {
    case StepKind::connect:
      if (v.is_boolean() || (v.is_object() && v.empty())) break;
      if (v.is_object()) {
        check_keys(v, ptr, {"url"});
        s.text = string_at(v, ptr, "url", false);
      } else {
        expect_type(v, ptr, json::value_t::string, "a URL template, {} or true");
        s.text = v.get<std::string>();
      }
      check_template_at(s.text, ptr);
      break;
    case StepKind::send:
      expect_type(v, ptr, json::value_t::string, "a string");
      s.text = v.get<std::string>();
      check_template_at(s.text, ptr);
      break;
    case StepKind::raw:
      // A template string, or {"parts": [...]} for octets a JSON string cannot hold (raw_parts.cpp).
      if (v.is_object()) {
        check_keys(v, ptr, {"parts"});
        if (!v.contains("parts")) fail(ptr, "missing required key 'parts'");
        s.text = raw_parts(v["parts"], ptr + "/parts");
      } else {
        expect_type(v, ptr, json::value_t::string, "a string or {\"parts\": [...]}");
        s.text = v.get<std::string>();
      }
      check_template_at(s.text, ptr);
      break;
    case StepKind::drain:
      if (v.is_boolean()) break;
      expect_type(v, ptr, json::value_t::object, "true or {quiet_ms, min, max}");
      check_keys(v, ptr, {"quiet_ms", "min", "max"});
      if (v.contains("quiet_ms")) s.ms = int_at(v, ptr, "quiet_ms", 1, 600'000);
      if (v.contains("min")) s.replies = int_at(v, ptr, "min", 0, 1'000'000);
      if (v.contains("max")) s.count = int_at(v, ptr, "max", 0, 1'000'000);
      if (s.count < s.replies) fail(ptr + "/max", "max is below min");
      break;
    case StepKind::silence:
    case StepKind::sleep: {
      // int_at reads a member: wrap the value under its own key so errors name "$.steps[n].sleep".
      const std::string key = ptr.substr(ptr.rfind('/') + 1);
      json wrapper{{key, v}};
      s.ms = int_at(wrapper, ptr.substr(0, ptr.rfind('/')), key.c_str(), 0, 600'000);
      break;
    }
    case StepKind::close:
    case StepKind::quit:
    case StepKind::expect:
    case StepKind::http:  // read with its options by http_options (http_step_body.cpp)
      break;
    case StepKind::set:
      for (auto& [k, value] : string_map(v, ptr, true)) s.assignments[k] = value;
      break;
    case StepKind::loop:
      expect_type(v, ptr, json::value_t::object, "{count, steps}");
      check_keys(v, ptr, {"count", "steps"});
      if (!v.contains("count")) fail(ptr, "missing required key 'count'");
      s.count = int_at(v, ptr, "count", 0, 1'000'000);
      if (!v.contains("steps")) fail(ptr, "missing required key 'steps'");
      s.steps = steps(v["steps"], ptr + "/steps", protocol);
      break;
    case StepKind::ehlo:
    case StepKind::helo:
      s.text = v.is_boolean() ? std::string() : text_or("domain");
      if (v.is_object()) check_keys(v, ptr, {"domain"});
      check_template_at(s.text, ptr);
      break;
    case StepKind::mail:
    case StepKind::rcpt: {
      const char* key = s.kind == StepKind::mail ? "from" : "to";
      if (v.is_object()) {
        check_keys(v, ptr, {key, "params"});
        if (!v.contains(key)) fail(ptr, std::string("missing required key '") + key + "'");
        s.params = string_list(v, ptr, "params");
      }
      s.text = text_or(key);
      check_template_at(s.text, ptr);
      for (const auto& p : s.params) check_template_at(p, ptr + "/params");
      break;
    }
    case StepKind::starttls:
      if (protocol == Protocol::ftp) {
        ftp_step_body(s, v, ptr);
        break;
      }
      if (v.is_boolean()) break;
      expect_type(v, ptr, json::value_t::object, "true or an object");
      check_keys(v, ptr, {"required", "if_offered", "pipelined"});
      s.required = bool_at(v, ptr, "required", true);
      s.if_offered = bool_at(v, ptr, "if_offered", false);
      s.after_starttls = string_list(v, ptr, "pipelined");
      break;
    case StepKind::auth:
      if (v.is_string()) {
        s.mechanism = v.get<std::string>();
      } else {
        expect_type(v, ptr, json::value_t::object, "a mechanism name or an object");
        check_keys(v, ptr, {"mechanism", "user", "password", "initial_response", "cancel"});
        s.mechanism = string_at(v, ptr, "mechanism", true);
        s.user = string_at(v, ptr, "user", false);
        s.password = string_at(v, ptr, "password", false);
        s.initial_response = bool_at(v, ptr, "initial_response", true);
        s.cancel = bool_at(v, ptr, "cancel", false);
      }
      if (s.user.empty()) s.user = default_user(protocol);
      if (s.password.empty()) s.password = default_password(protocol);
      check_template_at(s.user, ptr);
      check_template_at(s.password, ptr);
      break;
    case StepKind::data:
    case StepKind::bdat: {
      if (v.is_boolean()) {
        s.message = MessageSpec{};
        break;
      }
      expect_type(v, ptr, json::value_t::object, "an object");
      if (s.kind == StepKind::data) {
        check_keys(v, ptr, {"message", "raw", "capture_message_id"});
      } else {
        check_keys(v, ptr, {"message", "chunk_size", "capture_message_id"});
        s.chunk_size = v.contains("chunk_size") ? static_cast<std::size_t>(int_at(v, ptr, "chunk_size", 1, 1 << 30)) : 0;
      }
      if (v.contains("raw")) {
        s.raw_body = string_at(v, ptr, "raw", true);
        s.has_raw_body = true;
        check_template_at(s.raw_body, ptr + "/raw");
      }
      if (v.contains("message")) s.message = message(v["message"], ptr + "/message");
      if (!s.has_raw_body && !s.message) s.message = MessageSpec{};
      if (s.has_raw_body && s.message) fail(ptr, "give either 'message' or 'raw', not both");
      s.capture_message_id = string_at(v, ptr, "capture_message_id", false);
      break;
    }
    case StepKind::pipeline: {
      expect_type(v, ptr, json::value_t::array, "an array of {send, expect}");
      if (v.empty()) fail(ptr, "a pipeline needs at least one command");
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string p = ptr + "/" + std::to_string(i);
        if (v[i].is_string()) {
          s.params.push_back(v[i].get<std::string>());
          s.pipeline_expect.emplace_back();
        } else {
          expect_type(v[i], p, json::value_t::object, "a string or {send, expect}");
          check_keys(v[i], p, {"send", "expect"});
          s.params.push_back(string_at(v[i], p, "send", true));
          if (v[i].contains("expect")) {
            s.pipeline_expect.emplace_back(expect_set(v[i]["expect"], p + "/expect"));
          } else {
            s.pipeline_expect.emplace_back();
          }
        }
        check_template_at(s.params.back(), p);
      }
      break;
    }
    case StepKind::imap:
    case StepKind::await_tag:
    case StepKind::append:
    case StepKind::idle:
    case StepKind::done:
    case StepKind::login:
    case StepKind::logout:
    case StepKind::pop3:
    case StepKind::fixture:
      mail_step_body(s, v, ptr);
      break;
    case StepKind::ftp:
      ftp_step_body(s, v, ptr);
      break;
    case StepKind::mailbox: {
      expect_type(v, ptr, json::value_t::object, "an object");
      check_keys(v, ptr, {"maildir", "match", "timeout_ms", "contains", "not_contains"});
      MailboxCheck m;
      m.maildir = string_at(v, ptr, "maildir", false);
      if (m.maildir.empty()) m.maildir = "${maildir}";
      m.match = string_at(v, ptr, "match", true);
      if (v.contains("timeout_ms")) m.timeout_ms = int_at(v, ptr, "timeout_ms", 1, 600'000);
      m.contains = string_list(v, ptr, "contains");
      m.not_contains = string_list(v, ptr, "not_contains");
      for (const auto& t : m.contains) check_template_at(t, ptr + "/contains");
      for (const auto& t : m.not_contains) check_template_at(t, ptr + "/not_contains");
      check_template_at(m.match, ptr + "/match");
      s.mailbox = std::move(m);
      break;
    }
  }
}

MessageSpec Reader::message(const json& j, const std::string& ptr) const {
  expect_type(j, ptr, json::value_t::object, "a message object");
  try {
    return message_spec_from_json(j);
  } catch (const std::invalid_argument& e) {
    fail(ptr, e.what());
  }
}

}  // namespace facteur::scenario
