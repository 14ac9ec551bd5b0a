#include "harness/engine/transcript.hpp"

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

void Transcript::data(const std::string& session, char dir, std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    auto end = bytes.find('\n', pos);
    std::string_view line = bytes.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? bytes.size() : end + 1;
    std::string text;
    if (end != std::string_view::npos && !line.empty() && line.back() == '\r') {
      text = printable(line.substr(0, line.size() - 1));
    } else if (end != std::string_view::npos) {
      text = printable(line) + "\\n";  // bare LF: show it, it matters
    } else {
      text = printable(line) + " (no line end)";
    }
    push(session, dir, std::move(text));
  }
}

void Transcript::redacted(const std::string& session, char dir, std::string shown) {
  push(session, dir, std::move(shown));
}

void Transcript::note(const std::string& session, std::string text) { push(session, '*', std::move(text)); }

void Transcript::add_secret(std::string secret) {
  if (secret.size() < 3) return;  // too short to mask without destroying the transcript
  for (auto& line : lines_) redact(line.text, secret);
  secrets_.push_back(std::move(secret));
}

std::string Transcript::scrub(std::string text) const {
  for (const auto& secret : secrets_) redact(text, secret);
  return text;
}

void Transcript::push(const std::string& session, char dir, std::string text) {
  if (lines_.size() >= max_lines_) {
    ++dropped_;
    if (dropped_ == 1) lines_.push_back({elapsed_ms(), session, '*', "transcript truncated: line limit reached"});
    return;
  }
  text = scrub(std::move(text));
  if (text.size() > max_line_chars_) {
    const std::size_t total = text.size();
    std::size_t cut = max_line_chars_;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    text.resize(cut);
    text += fmt::format("… ({} more characters)", total - cut);
  }
  lines_.push_back({elapsed_ms(), session, dir, std::move(text)});
}

std::vector<report::TranscriptLine> Transcript::lines() const { return lines_; }

std::string Transcript::tail(std::size_t n) const {
  std::string out;
  const std::size_t from = lines_.size() > n ? lines_.size() - n : 0;
  for (std::size_t i = from; i < lines_.size(); ++i) {
    out += fmt::format("{} {}{}\n", lines_[i].dir, lines_[i].session == "main" ? "" : "[" + lines_[i].session + "] ",
                       lines_[i].text);
  }
  return out;
}

}  // namespace facteur::engine
