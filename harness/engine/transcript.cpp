#include "harness/engine/transcript.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace facteur::engine {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  // RFC 3629 §4: no overlong forms, no surrogates (U+D800..DFFF), nothing above U+10FFFF.
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
    return 0;
  }
  return n;
}

// Replaces every occurrence of `secret`; the search resumes after the replacement, which may
// itself contain the secret ("act", "red", ...).
void redact(std::string& text, const std::string& secret) {
  static constexpr std::string_view kRedacted = "<redacted>";
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
}
}  // namespace

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else if (c == '\t') {
      out.push_back('\t');
    } else if (c >= 0x80) {
      if (std::size_t n = utf8_length(bytes, i); n > 0) {
        out.append(bytes.substr(i, n));
        i += n - 1;
      } else {
        out += fmt::format("\\x{:02X}", c);
      }
    } else {
      out += fmt::format("\\x{:02X}", c);
    }
  }
  return out;
}

Transcript::Transcript(std::size_t max_lines, std::size_t max_line_chars)
    : start_(std::chrono::steady_clock::now()), max_lines_(max_lines), max_line_chars_(max_line_chars) {}

double Transcript::elapsed_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
}

namespace {
// The printable text of one line of `bytes` (without its LF), marked when it ended oddly.
std::string line_text(std::string_view line, bool has_lf) {
  if (has_lf && !line.empty() && line.back() == '\r') return printable(line.substr(0, line.size() - 1));
  if (has_lf) return printable(line) + "\\n";  // bare LF: show it, it matters
  return printable(line) + " (no line end)";
}

// Calls fn(line, has_lf) for each line of `bytes` (the last may lack its LF).
template <typename Fn>
void for_each_line(std::string_view bytes, Fn&& fn) {
  for (std::size_t pos = 0; pos < bytes.size();) {
    const auto end = bytes.find('\n', pos);
    const bool has_lf = end != std::string_view::npos;
    fn(bytes.substr(pos, has_lf ? end - pos : std::string_view::npos), has_lf);
    pos = has_lf ? end + 1 : bytes.size();
  }
}
}  // namespace

void Transcript::data(const std::string& session, char dir, std::string_view bytes) {
  // Kept raw up to the line limit, unless a line is too long to keep whole: such a chunk is
  // formatted now, so what is held stays bounded by the limits whatever the server sends.
  std::size_t lines = 0, longest = 0;
  for_each_line(bytes, [&](std::string_view line, bool) {
    longest = std::max(longest, line.size() + 1);
    ++lines;
  });
  if (lines == 0) return;
  if (line_count_ + lines <= max_lines_ && longest <= max_line_chars_ / 4) {
    entries_.push_back({elapsed_ms(), session, dir, true, std::string(bytes)});
    line_count_ += lines;
    return;
  }
  for_each_line(bytes, [&](std::string_view line, bool has_lf) { push(session, dir, line_text(line, has_lf)); });
}

void Transcript::redacted(const std::string& session, char dir, std::string shown) {
  push(session, dir, std::move(shown));
}

void Transcript::note(const std::string& session, std::string text) { push(session, '*', std::move(text)); }

void Transcript::add_secret(std::string secret) {
  if (secret.size() < 3) return;  // too short to mask without destroying the transcript
  secrets_.push_back(std::move(secret));  // applies to every line, earlier ones too, when they are read
}

std::string Transcript::scrub(std::string text, std::size_t from_secret) const {
  for (std::size_t i = from_secret; i < secrets_.size(); ++i) redact(text, secrets_[i]);
  return text;
}

std::string Transcript::cut(std::string text) const {
  if (text.size() <= max_line_chars_) return text;
  const std::size_t total = text.size();
  std::size_t at = max_line_chars_;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;  // not inside a UTF-8 sequence
  text.resize(at);
  text += fmt::format("… ({} more characters)", total - at);
  return text;
}

void Transcript::push(const std::string& session, char dir, std::string text) {
  if (line_count_ >= max_lines_) {
    ++dropped_;
    if (dropped_ == 1) entries_.push_back({elapsed_ms(), session, '*', false, "transcript truncated: line limit reached"});
    return;
  }
  ++line_count_;
  // A long line is cut now (so what is held stays bounded), after the secrets known so far are
  // redacted: a password must not be cut in half and half of it survive.
  const bool long_line = text.size() > max_line_chars_;
  if (long_line) text = cut(scrub(std::move(text)));
  entries_.push_back({elapsed_ms(), session, dir, false, std::move(text), long_line ? secrets_.size() : 0, long_line});
}

void Transcript::add_line(std::vector<report::TranscriptLine>& out, const Entry& e, std::string text) const {
  text = scrub(std::move(text), e.scrubbed);
  out.push_back({e.ms, e.session, e.dir, e.cut ? std::move(text) : cut(std::move(text))});
}

std::vector<report::TranscriptLine> Transcript::lines() const {
  std::vector<report::TranscriptLine> out;
  out.reserve(line_count_ + 1);
  for (const auto& e : entries_) {
    if (!e.raw) {
      add_line(out, e, e.text);
      continue;
    }
    for_each_line(e.text, [&](std::string_view line, bool has_lf) { add_line(out, e, line_text(line, has_lf)); });
  }
  return out;
}

std::string Transcript::tail(std::size_t n) const {
  const auto all = lines();
  std::string out;
  const std::size_t from = all.size() > n ? all.size() - n : 0;
  for (std::size_t i = from; i < all.size(); ++i) {
    out += fmt::format("{} {}{}\n", all[i].dir, all[i].session == "main" ? "" : "[" + all[i].session + "] ",
                       all[i].text);
  }
  return out;
}

}  // namespace facteur::engine
