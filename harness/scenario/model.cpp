#include "harness/scenario/model.hpp"

#include <algorithm>

namespace facteur::scenario {

const char* to_string(Level level) {
  switch (level) {
    case Level::must: return "MUST";
    case Level::should: return "SHOULD";
    case Level::may: return "MAY";
  }
  return "?";
}

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::connect: return "connect";
    case StepKind::send: return "send";
    case StepKind::raw: return "raw";
    case StepKind::expect: return "expect";
    case StepKind::silence: return "silence";
    case StepKind::close: return "close";
    case StepKind::sleep: return "sleep";
    case StepKind::loop: return "loop";
    case StepKind::set: return "set";
    case StepKind::drain: return "drain";
    case StepKind::ehlo: return "ehlo";
    case StepKind::helo: return "helo";
    case StepKind::starttls: return "starttls";
    case StepKind::auth: return "auth";
    case StepKind::mail: return "mail";
    case StepKind::rcpt: return "rcpt";
    case StepKind::data: return "data";
    case StepKind::bdat: return "bdat";
    case StepKind::pipeline: return "pipeline";
    case StepKind::quit: return "quit";
    case StepKind::mailbox: return "mailbox";
    case StepKind::imap: return "imap";
    case StepKind::await_tag: return "await";
    case StepKind::append: return "append";
    case StepKind::idle: return "idle";
    case StepKind::done: return "done";
    case StepKind::login: return "login";
    case StepKind::logout: return "logout";
    case StepKind::pop3: return "pop3";
    case StepKind::http: return "http";
    case StepKind::fixture: return "fixture";
    case StepKind::ftp: return "ftp";
  }
  return "?";
}

const char* to_string(FtpChannel c) {
  switch (c) {
    case FtpChannel::epsv: return "epsv";
    case FtpChannel::pasv: return "pasv";
    case FtpChannel::port: return "port";
    case FtpChannel::eprt: return "eprt";
  }
  return "?";
}

Level Scenario::level() const {
  Level best = Level::may;
  for (const auto& ref : spec) best = std::min(best, ref.level);  // must < should < may
  return best;
}

std::string Expectation::describe() const {
  if (closed) return "the server closes the connection";
  std::string out;
  auto join = [](const std::vector<std::string>& items, const char* sep) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
    return s;
  };
  out = codes.empty() ? "any reply" : join(codes, " or ");
  if (!enhanced.empty()) out += ", enhanced " + join(enhanced, " or ");
  if (text) out += ", text ~ /" + text->source + "/";
  if (multiline) out += *multiline ? ", multi-line" : ", single line";
  if (!present.empty()) out += ", announcing " + join(present, ", ");
  if (!absent.empty()) out += ", not announcing " + join(absent, ", ");
  for (const auto& u : untagged) out += ", untagged '" + u + "'";
  if (ordered && !untagged.empty()) out += " (in order)";
  for (const auto& u : not_untagged) out += ", no untagged '" + u + "'";
  if (!tagged.empty()) out += ", completion '" + tagged + "'";
  for (const auto& l : lines) out += ", a line ~ /" + l.source + "/";
  for (const auto& l : not_lines) out += ", no line ~ /" + l.source + "/";
  if (line_count) out += ", " + std::to_string(*line_count) + " body lines";
  for (const auto& [name, p] : headers) out += ", " + name + ": ~ /" + p.source + "/";
  for (const auto& name : absent_headers) out += ", no " + name + " field";
  return out;
}

std::string ExpectSet::describe() const {
  std::string out;
  for (const auto& e : any_of) out += (out.empty() ? "" : " | ") + e.describe();
  return out;
}

namespace {
bool neutral(const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    switch (s.kind) {
      case StepKind::connect:
      case StepKind::close:
      case StepKind::sleep:
      case StepKind::silence:
      case StepKind::drain:
      case StepKind::set:
        break;
      case StepKind::loop:
        if (!neutral(s.steps)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
}  // namespace

bool Scenario::protocol_neutral() const { return sessions.empty() && neutral(steps); }

}  // namespace facteur::scenario
