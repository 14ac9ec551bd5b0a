#include "harness/fuzz/mutator.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace facteur::fuzz {
using json = nlohmann::ordered_json;

namespace {

using Rng = std::mt19937_64;

std::size_t pick(Rng& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

template <typename T, std::size_t N>
const T& pick(Rng& rng, const std::array<T, N>& options) {
  return options[pick(rng, N)];
}

const char* crlf = "\r\n";

// The rule a line split at a bare CR or LF breaks, per protocol.
Oracle line_end_rule(Protocol p) {
  switch (p) {
    case Protocol::imap:
      return {"9051", "2.2", "SHOULD", "commands are lines ended by CRLF: a bare CR or LF does not end a command"};
    case Protocol::pop3:
      return {"1939", "3", "SHOULD", "commands are ended by a CRLF pair: a bare CR or LF does not end a command"};
    default:
      return {"5321", "2.3.8", "MUST", "CRLF is the only line end: a server must not take a bare CR or LF for one"};
  }
}

// Inserts `octets` at a random octet position inside the text parts (never inside a reference).
void insert_in_text(Payload& p, std::string_view octets, Rng& rng) {
  std::vector<std::size_t> texts;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].kind == Part::Kind::text && !p[i].bytes.empty()) texts.push_back(i);
  }
  if (texts.empty()) {
    append(p, octets);
    return;
  }
  std::string& bytes = p[texts[pick(rng, texts.size())]].bytes;
  bytes.insert(pick(rng, bytes.size() + 1), octets);
}

// Random octet edits of the text parts: flip a bit, replace, insert, delete, duplicate a run.
void havoc(Payload& p, Rng& rng, int edits) {
  for (int e = 0; e < edits; ++e) {
    std::vector<std::size_t> texts;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i].kind == Part::Kind::text && !p[i].bytes.empty()) texts.push_back(i);
    }
    if (texts.empty()) return;
    std::string& b = p[texts[pick(rng, texts.size())]].bytes;
    const std::size_t at = pick(rng, b.size());
    // Never a '$': it could join a following ${reference} into the escape "$${" (raw_parts.cpp).
    const auto random_octet = [&rng] {
      const char c = static_cast<char>(pick(rng, 256));
      return c == '$' ? '#' : c;
    };
    switch (pick(rng, 5)) {
      case 0: b[at] = static_cast<char>(b[at] ^ (1 << pick(rng, 8))); if (b[at] == '$') b[at] = '#'; break;
      case 1: b[at] = random_octet(); break;
      case 2: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), random_octet()); break;
      case 3: if (b.size() > 1) b.erase(at, 1); break;
      default: b.insert(at, b.substr(at, 1 + pick(rng, std::min<std::size_t>(16, b.size() - at)))); break;
    }
  }
}

// The verb in upper or lower case, doubled spaces, a trailing tab: what lenient parsers differ on.
Payload case_and_space(const Payload& line, Rng& rng) {
  Payload out = line;
  for (Part& part : out) {
    if (part.kind != Part::Kind::text) continue;
    std::string spaced;
    for (char c : part.bytes) {
      if (std::isalpha(static_cast<unsigned char>(c)) && pick(rng, 2) == 0) {
        c = static_cast<char>(std::islower(static_cast<unsigned char>(c)) ? std::toupper(static_cast<unsigned char>(c))
                                                                           : std::tolower(static_cast<unsigned char>(c)));
      }
      spaced += c;
      if (c == ' ' && pick(rng, 3) == 0) spaced += pick(rng, 2) ? " " : "\t";
    }
    part.bytes = spaced;
  }
  append(out, pick(rng, std::array<const char*, 3>{" ", "\t", "  "}));
  return out;
}

// The first `keep` octets of the line (references count whole).
Payload prefix_of(const Payload& line, std::size_t keep) {
  Payload out;
  for (const Part& part : line) {
    if (keep == 0) break;
    if (part.kind == Part::Kind::text) {
      const std::size_t n = std::min(keep, part.bytes.size());
      append(out, std::string_view(part.bytes).substr(0, n));
      keep -= n;
    } else {
      out.push_back(part);
      keep = keep > part.bytes.size() ? keep - part.bytes.size() : 0;
    }
  }
  return out;
}

std::string tag_prefix(Protocol p) { return p == Protocol::imap ? std::string(kImapTag) + " " : std::string(); }

}  // namespace

const std::vector<std::string>& mutation_names() {
  static const std::vector<std::string> names{
      "overlong-line",  "overlong-verb",  "many-params",   "bare-lf-end",     "bare-cr-end",
      "bare-lf-inside", "bare-cr-inside", "nul-byte",      "invalid-utf8",    "control-bytes",
      "truncated-close", "empty-line",    "case-and-space", "flood",          "wrong-state",
      "havoc",          "broken-base64",  "starttls-injection", "literal-huge", "literal-huge-plus",
      "literal-overflow", "literal-short-close"};
  return names;
}

std::vector<std::string> applicable(const MutationContext& ctx) {
  std::vector<std::string> out;
  for (const auto& n : mutation_names()) {
    if (n.rfind("literal-", 0) == 0 && ctx.protocol != Protocol::imap) continue;
    if (n == "starttls-injection" && (ctx.protocol != Protocol::smtp || !ctx.starttls_offered)) continue;
    if (n == "wrong-state" && (!ctx.all || ctx.all->size() < 2)) continue;
    out.push_back(n);
  }
  return out;
}

std::string probe_line(Protocol protocol) { return protocol == Protocol::imap ? "fzs NOOP" : "NOOP"; }

Mutation mutate(const MutationContext& ctx, Rng& rng, const std::string& wanted) {
  const std::vector<std::string> names = applicable(ctx);
  Mutation m;
  m.name = wanted.empty() ? names[pick(rng, names.size())] : wanted;
  const Payload& line = ctx.seed->line;
  const std::string tag = tag_prefix(ctx.protocol);
  const std::string& n = m.name;
  Payload& p = m.payload;
  if (n == "overlong-line") {
    const std::size_t len = pick(rng, std::array<std::size_t, 5>{1000, 2048, 8192, 65536, 1 << 20});
    p = line;
    append(p, " ");
    p.push_back(Part{Part::Kind::repeat, "A", len});
    append(p, crlf);
    m.detail = fmt::format("an argument of {} octets", len);
  } else if (n == "overlong-verb") {
    const std::size_t len = pick(rng, std::array<std::size_t, 3>{512, 4096, 65536});
    append(p, tag);
    p.push_back(Part{Part::Kind::repeat, "X", len});
    append(p, crlf);
    m.detail = fmt::format("a command word of {} octets", len);
  } else if (n == "many-params") {
    const std::size_t count = pick(rng, std::array<std::size_t, 3>{100, 1000, 10000});
    p = line;
    p.push_back(Part{Part::Kind::repeat, " X=Y", count});
    append(p, crlf);
    m.detail = fmt::format("{} extra parameters", count);
  } else if (n == "bare-lf-end" || n == "bare-cr-end") {
    p = line;
    append(p, n == "bare-lf-end" ? "\n" : "\r");
    m.detail = "the line ended by a bare " + std::string(n == "bare-lf-end" ? "LF" : "CR");
  } else if (n == "bare-lf-inside" || n == "bare-cr-inside") {
    // "line<LF>NOOP<CRLF>" is one line: one reply to it, one to the probe. Two to it mean the
    // server split the line at the bare octet (the root of SMTP smuggling).
    p = line;
    append(p, n == "bare-lf-inside" ? "\n" : "\r");
    append(p, tag.empty() ? "NOOP" : "fz2 NOOP");
    append(p, crlf);
    m.max_replies = 2;
    m.oracle = line_end_rule(ctx.protocol);
    m.detail = std::string("a bare ") + (n == "bare-lf-inside" ? "LF" : "CR") + " inside the line, before a NOOP";
  } else if (n == "nul-byte") {
    p = line;
    insert_in_text(p, std::string_view("\0", 1), rng);
    append(p, crlf);
    m.detail = "a NUL octet in the line";
  } else if (n == "invalid-utf8") {
    const std::string bad = pick(rng, std::array<const char*, 6>{"\xff", "\xc0\x80", "\xed\xa0\x80",
                                                                 "\xf8\x88\x80\x80\x80", "\xe2\x82", "\xfe\xfe"});
    p = line;
    insert_in_text(p, bad, rng);
    append(p, crlf);
    m.detail = "invalid UTF-8 in the line";
  } else if (n == "control-bytes") {
    std::string ctl;
    for (std::size_t k = 0, count = 1 + pick(rng, 4); k < count; ++k) {
      const char c = pick(rng, std::array<char, 8>{'\x01', '\x04', '\x08', '\x0b', '\x0c', '\x1b', '\x1f', '\x7f'});
      ctl += c;
    }
    p = line;
    insert_in_text(p, ctl, rng);
    append(p, crlf);
    m.detail = "control octets in the line";
  } else if (n == "truncated-close") {
    p = prefix_of(line, 1 + pick(rng, std::max<std::size_t>(1, size(line))));
    m.sync = false;
    m.close_after = true;
    m.detail = "part of the line, then the client closes";
  } else if (n == "empty-line") {
    append(p, tag + pick(rng, std::array<const char*, 3>{"", "   ", "\t"}));
    append(p, crlf);
    m.detail = "an empty line";
  } else if (n == "case-and-space") {
    p = case_and_space(line, rng);
    append(p, crlf);
    m.detail = "mixed case, doubled spaces, trailing white space";
  } else if (n == "flood") {
    const std::size_t count = pick(rng, std::array<std::size_t, 3>{64, 512, 4096});
    Payload one = line;
    append(one, crlf);
    for (std::size_t k = 0; k < count; ++k) append(p, one);
    m.detail = fmt::format("the line {} times, pipelined", count);
  } else if (n == "wrong-state") {
    const SeedLine& other = (*ctx.all)[pick(rng, ctx.all->size())];
    p = other.line;
    append(p, crlf);
    m.detail = fmt::format("{} (from step {}) sent in place of step {}", other.verb, other.step, ctx.seed->step);
  } else if (n == "havoc") {
    const int edits = 1 + static_cast<int>(pick(rng, 6));
    p = line;
    havoc(p, rng, edits);
    append(p, crlf);
    m.detail = fmt::format("{} random octet edits", edits);
  } else if (n == "broken-base64") {
    const bool auth_seed = ctx.seed->kind == "auth";
    std::string cmd = auth_seed ? "" : (ctx.protocol == Protocol::imap ? tag + "AUTHENTICATE PLAIN" : "AUTH PLAIN");
    p = auth_seed ? line : text(cmd);
    const std::size_t which = pick(rng, 5);
    if (which == 4) {
      append(p, " ");
      p.push_back(Part{Part::Kind::repeat, "QUFB", 20000});
    } else {
      append(p, std::string(" ") + std::array<const char*, 4>{"====", "!!!!", "YWJj=ZGVm", "AAAA\x01"}[which]);
    }
    append(p, crlf);
    m.detail = "an AUTH initial response that is not base64";
  } else if (n == "starttls-injection") {
    // RFC 3207 §4.2: plaintext pipelined behind STARTTLS must be discarded, not run inside TLS.
    m.steps = json::array({json{{"starttls", json{{"pipelined", json::array({"NOOP"})}}},
                                {"session", ctx.seed->session}}});
    m.max_replies = 1;  // the probe's, inside TLS; a second is the injected NOOP answered
    m.oracle = Oracle{"3207", "4.2", "MUST",
                      "the session starts afresh after the handshake: plaintext sent behind STARTTLS is never run"};
    m.detail = "NOOP pipelined behind STARTTLS in plaintext";
  } else if (n == "literal-huge" || n == "literal-huge-plus") {
    p = line;
    append(p, n == "literal-huge" ? " {4294967295}" : " {4294967295+}");
    append(p, crlf);
    m.sync = false;  // a server may invite the literal (+) and then wait for it
    m.detail = "a literal of 4 GiB announced";
  } else if (n == "literal-overflow") {
    p = line;
    append(p, " {5+}\r\nabcdefghij\r\n");
    m.detail = "a literal of 5 octets announced, 10 sent";
  } else if (n == "literal-short-close") {
    p = line;
    append(p, " {100+}\r\nabc");
    m.sync = false;
    m.close_after = true;
    m.detail = "a literal of 100 octets announced, 3 sent, then the client closes";
  }
  return m;
}

}  // namespace facteur::fuzz
