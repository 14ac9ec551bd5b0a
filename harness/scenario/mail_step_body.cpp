// Step bodies of the IMAP and POP3 actions, and the lab's fixture step.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/imap/pattern.hpp"
#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// An IMAP atom-ish mailbox name goes out as it is; anything else as a quoted string.
bool needs_quotes(const std::string& name) {
  if (name.empty()) return true;
  if (name.find("${") != std::string::npos) return false;  // the template decides
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == '(' || c == ')' || c == '{' || c == '"' || c == '\\' || c == '%' || c == '*') {
      return true;
    }
  }
  return false;
}

}  // namespace

// Fixture files live in a `fixtures` folder beside the scenario or in one of its parents
// (scenarios/fixtures/messages/plain.eml for scenarios/imap/9051/…).
std::string Reader::fixture_file(const std::string& name, const std::string& ptr) const {
  if (name.find("..") != std::string::npos || (!name.empty() && name.front() == '/')) {
    fail(ptr, "a fixture name is a path under fixtures/, without '..'");
  }
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(file()), ec).parent_path();
  for (int depth = 0; depth < 8 && !dir.empty(); ++depth) {
    const fs::path candidate = dir / "fixtures" / name;
    if (fs::is_regular_file(candidate, ec)) return read_file(candidate);
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  fail(ptr, "no fixtures/" + name + " beside the scenario or in a parent folder");
}

void Reader::check_imap_pattern(const std::string& text, const std::string& ptr) const {
  check_template_at(text, ptr);
  // Templates are expanded when the case runs; check the shape with a placeholder atom instead.
  std::string shape;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) {
      const auto end = text.find('}', i);
      shape += "X";
      i = end == std::string::npos ? text.size() : end;
    } else {
      shape += text[i];
    }
  }
  std::string error;
  if (!imap::parse_pattern(shape, &error)) fail(ptr, "bad IMAP response pattern '" + text + "': " + error);
}

void Reader::imap_options(Step& s, const json& j, const std::string& ptr) const {
  s.tag = string_at(j, ptr, "tag", false);
  s.async = bool_at(j, ptr, "async", false);
  if (s.async && s.tag.empty()) fail(ptr + "/async", "an async command needs a \"tag\" to await it by");
  s.literals = string_list(j, ptr, "literals");
  for (const auto& l : s.literals) check_template_at(l, ptr + "/literals");
  if (j.contains("literal_mode")) {
    s.literal_mode = string_at(j, ptr, "literal_mode", true);
    if (s.literal_mode != "sync" && s.literal_mode != "plus" && s.literal_mode != "minus" && s.literal_mode != "auto") {
      fail(ptr + "/literal_mode", "literal_mode is sync, plus, minus or auto");
    }
  }
}

void Reader::mail_step_body(Step& s, const json& v, const std::string& ptr) const {
  switch (s.kind) {
    case StepKind::imap:
    case StepKind::pop3: {
      expect_type(v, ptr, json::value_t::string, "a command line (without tag or CRLF)");
      s.text = v.get<std::string>();
      if (s.text.find_first_of("\r\n") != std::string::npos) fail(ptr, "a command is one line: use \"raw\" for CR or LF");
      check_template_at(s.text, ptr);
      if (s.kind == StepKind::imap) {
        std::size_t holes = 0;
        for (auto at = s.text.find("{}"); at != std::string::npos; at = s.text.find("{}", at + 2)) ++holes;
        if (holes != s.literals.size()) {
          fail(ptr, "the command has " + std::to_string(holes) + " literal placeholders {} but " +
                        std::to_string(s.literals.size()) + " literals");
        }
      }
      break;
    }
    case StepKind::await_tag:
      expect_type(v, ptr, json::value_t::string, "the tag of an async imap step");
      s.tag = v.get<std::string>();
      break;
    case StepKind::idle:
    case StepKind::done:
    case StepKind::logout:
      if (!v.is_boolean() && !(v.is_object() && v.empty())) fail(ptr, "expected true");
      break;
    case StepKind::login:
      if (!v.is_boolean()) {
        expect_type(v, ptr, json::value_t::object, "true or {user, password, apop}");
        check_keys(v, ptr, {"user", "password", "apop"});
        s.user = string_at(v, ptr, "user", false);
        s.password = string_at(v, ptr, "password", false);
        s.apop = bool_at(v, ptr, "apop", false);
      }
      // Defaults are filled in by the caller, which knows the protocol (see step_reader.cpp).
      check_template_at(s.user, ptr);
      check_template_at(s.password, ptr);
      break;
    case StepKind::append: {
      expect_type(v, ptr, json::value_t::object, "{mailbox, message | file | raw, flags, date, literal_mode}");
      check_keys(v, ptr, {"mailbox", "message", "file", "raw", "flags", "date", "literal_mode"});
      const std::string mailbox = string_at(v, ptr, "mailbox", true);
      s.text = needs_quotes(mailbox) ? "\"" + mailbox + "\"" : mailbox;
      check_template_at(mailbox, ptr + "/mailbox");
      s.params = string_list(v, ptr, "flags");
      s.date = string_at(v, ptr, "date", false);
      check_template_at(s.date, ptr + "/date");
      int sources = 0;
      if (v.contains("message")) {
        s.message = message(v["message"], ptr + "/message");
        ++sources;
      }
      if (v.contains("file")) {
        s.raw_body = fixture_file(string_at(v, ptr, "file", true), ptr + "/file");
        s.has_raw_body = true;
        ++sources;
      }
      if (v.contains("raw")) {
        s.raw_body = string_at(v, ptr, "raw", true);
        check_template_at(s.raw_body, ptr + "/raw");
        s.has_raw_body = true;
        ++sources;
      }
      if (sources > 1) fail(ptr, "give one of 'message', 'file' or 'raw'");
      if (sources == 0) s.message = MessageSpec{};
      if (v.contains("literal_mode")) {
        s.literal_mode = string_at(v, ptr, "literal_mode", true);
        if (s.literal_mode != "sync" && s.literal_mode != "plus" && s.literal_mode != "minus" && s.literal_mode != "auto") {
          fail(ptr + "/literal_mode", "literal_mode is sync, plus, minus or auto");
        }
      }
      break;
    }
    case StepKind::fixture: {
      // {"fixture": {"messages": ["plain.eml", …], "user": "${pop3_user}", "password": "${pop3_password}",
      //              "mailbox": "INBOX", "url": "${imap_url}"}}: the mailbox is emptied and filled over IMAP.
      expect_type(v, ptr, json::value_t::object, "{messages, user, password, mailbox, url}");
      check_keys(v, ptr, {"messages", "user", "password", "mailbox", "url"});
      s.user = string_at(v, ptr, "user", true);
      s.password = string_at(v, ptr, "password", true);
      s.url = string_at(v, ptr, "url", false);
      if (s.url.empty()) s.url = "${imap_url}";
      check_template_at(s.user, ptr + "/user");
      check_template_at(s.password, ptr + "/password");
      check_template_at(s.url, ptr + "/url");
      s.text = string_at(v, ptr, "mailbox", false);
      if (s.text.empty()) s.text = "INBOX";
      const auto names = string_list(v, ptr, "messages");
      for (std::size_t i = 0; i < names.size(); ++i) {
        s.fixture_files.push_back(fixture_file("messages/" + names[i], ptr + "/messages/" + std::to_string(i)));
        s.params.push_back(names[i]);
      }
      break;
    }
    default:
      fail(ptr, "not an IMAP or POP3 step");
  }
}

}  // namespace facteur::scenario
