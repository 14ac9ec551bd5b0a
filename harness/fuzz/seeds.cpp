#include "harness/fuzz/seeds.hpp"

#include <cctype>

namespace facteur::fuzz {
using json = nlohmann::ordered_json;

namespace {

std::string text_of(const json& v, const char* key) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains(key) && v[key].is_string()) return v[key].get<std::string>();
  return {};
}

std::string first_word_upper(const Payload& line, bool skip_tag) {
  std::string flat;
  for (const Part& p : line) {
    if (p.kind != Part::Kind::text) break;
    flat += p.bytes;
  }
  std::size_t start = 0;
  if (skip_tag) {
    const auto sp = flat.find(' ');
    start = sp == std::string::npos ? flat.size() : sp + 1;
  }
  std::string verb;
  for (std::size_t i = start; i < flat.size() && std::isalnum(static_cast<unsigned char>(flat[i])); ++i) {
    verb += static_cast<char>(std::toupper(static_cast<unsigned char>(flat[i])));
  }
  return verb;
}

std::string strip_line_end(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// The line a step sends, as the engine would write it ("" for steps that send no command line).
std::string line_of(const std::string& key, const json& v, Protocol protocol) {
  const std::string tag = std::string(kImapTag) + " ";
  if (key == "send" || key == "raw") {
    if (!v.is_string()) return {};
    return strip_line_end(v.get<std::string>());
  }
  if (key == "ehlo" || key == "helo") {
    const std::string domain = v.is_boolean() ? "" : text_of(v, "domain");
    return (key == "ehlo" ? "EHLO " : "HELO ") + (domain.empty() ? std::string("client.facteur.test") : domain);
  }
  if (key == "mail") return "MAIL FROM:<" + text_of(v, "from") + ">";
  if (key == "rcpt") return "RCPT TO:<" + text_of(v, "to") + ">";
  if (key == "data") return "DATA";
  if (key == "quit") return "QUIT";
  if (key == "starttls") return protocol == Protocol::imap ? tag + "STARTTLS" : protocol == Protocol::pop3 ? "STLS" : "STARTTLS";
  if (key == "auth") {
    const std::string mech = v.is_string() ? v.get<std::string>() : text_of(v, "mechanism");
    if (mech.empty()) return {};
    return protocol == Protocol::imap ? tag + "AUTHENTICATE " + mech : "AUTH " + mech;
  }
  if (key == "login") {
    if (protocol == Protocol::imap) return tag + "LOGIN \"${imap_user}\" \"${imap_password}\"";
    return "USER ${pop3_user}";
  }
  if (key == "logout") return tag + "LOGOUT";
  if (key == "imap") {
    const std::string cmd = text_of(v, "command");
    if (cmd.empty() || cmd.find("{}") != std::string::npos) return {};  // literals are sent by the engine
    return tag + cmd;
  }
  if (key == "pop3") return text_of(v, "command");
  if (key == "idle") return tag + "IDLE";
  return {};
}

constexpr const char* kActionKeys[] = {"send", "raw", "ehlo", "helo", "mail", "rcpt", "data", "quit", "starttls",
                                       "auth", "login", "logout", "imap", "pop3", "idle"};

}  // namespace

std::vector<SeedLine> seed_lines(const json& scenario, Protocol protocol) {
  std::vector<SeedLine> out;
  if (!scenario.contains("steps") || !scenario["steps"].is_array()) return out;
  const json& steps = scenario["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    if (!step.is_object()) continue;
    for (const char* key : kActionKeys) {
      if (!step.contains(key)) continue;
      const std::string line = line_of(key, step[key], protocol);
      if (line.empty()) break;
      SeedLine seed;
      seed.step = i;
      if (step.contains("session") && step["session"].is_string()) seed.session = step["session"].get<std::string>();
      seed.kind = key;
      seed.line = from_template(line);
      seed.verb = first_word_upper(seed.line, protocol == Protocol::imap);
      out.push_back(std::move(seed));
      break;
    }
  }
  return out;
}

}  // namespace facteur::fuzz
