// The record of every byte a case exchanged, made printable, with secrets redacted: passwords and
// AUTH payloads never reach a transcript, a log or a report.
//
// Bytes are kept as they came and made printable only when the lines are asked for. Most cases
// pass and their transcript is never read (a load run keeps only failing ones), so a passing
// exchange costs a copy of its bytes, not the formatting of every line.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "reports/result.hpp"

namespace facteur::engine {

class Transcript {
 public:
  explicit Transcript(std::size_t max_lines = 4000, std::size_t max_line_chars = 2000);

  // Bytes as they went over the wire; split into lines, control bytes shown as \xNN.
  void data(const std::string& session, char dir, std::string_view bytes);
  // A line whose content is secret: stored as `shown` (e.g. "AUTH PLAIN <redacted>").
  void redacted(const std::string& session, char dir, std::string shown);
  void note(const std::string& session, std::string text);
  // Every later (and earlier) line has these strings replaced by "<redacted>".
  void add_secret(std::string secret);

  // `text` with every secret replaced by "<redacted>" (for verdict messages, which quote replies).
  std::string redact_text(std::string text) const { return scrub(std::move(text)); }

  double elapsed_ms() const;
  std::vector<report::TranscriptLine> lines() const;
  // The last `n` lines, formatted "> text" / "< text" for failure messages.
  std::string tail(std::size_t n) const;

 private:
  // One write or read as it came (`raw`: split into lines and made printable on demand), or one
  // line already in its final form (a note, a redacted line, a line too long to keep whole).
  struct Entry {
    double ms;
    std::string session;
    char dir;
    bool raw;
    std::string text;
    std::size_t scrubbed = 0;  // secrets_[0, scrubbed) are already applied to `text`
    bool cut = false;          // already cut to the line length
  };
  void push(const std::string& session, char dir, std::string text);
  void add_line(std::vector<report::TranscriptLine>& out, const Entry& e, std::string text) const;
  std::string scrub(std::string text, std::size_t from_secret = 0) const;
  std::string cut(std::string text) const;  // to max_line_chars_, saying how much was left out

  std::chrono::steady_clock::time_point start_;
  std::vector<Entry> entries_;
  std::vector<std::string> secrets_;
  std::size_t max_lines_, max_line_chars_;
  std::size_t line_count_ = 0;  // lines held in entries_
  std::size_t dropped_ = 0;
};

// Printable form of arbitrary bytes: CR and LF removed at line ends, other controls and bytes that
// are not valid UTF-8 shown as \xNN.
std::string printable(std::string_view bytes);

}  // namespace facteur::engine
