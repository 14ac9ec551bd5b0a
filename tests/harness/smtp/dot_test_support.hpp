// Reference models for the dot-stuffing tests: written the slow, obvious way (split into lines,
// look at each), so the streaming codecs are checked against something independent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::smtp::test {

// RFC 5321 §2.3.8: every line ending (CRLF, bare LF, bare CR) becomes CRLF, and a non-empty
// message gets a final CRLF. This is what a round trip through DATA gives back.
inline std::vector<std::string> lines_of(std::string_view m) {
  std::vector<std::string> lines;
  std::string current;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r' || m[i] == '\n') {
      lines.push_back(current);
      current.clear();
      if (m[i] == '\r' && i + 1 < m.size() && m[i + 1] == '\n') ++i;
    } else {
      current.push_back(m[i]);
    }
  }
  if (!current.empty()) lines.push_back(current);
  return lines;
}

inline std::string normalise(std::string_view m) {
  std::string out;
  for (const auto& line : lines_of(m)) out += line + "\r\n";
  return out;
}

// RFC 5321 §4.5.2, line by line.
inline std::string reference_stuff(std::string_view m) {
  std::string out;
  for (const auto& line : lines_of(m)) out += (line.starts_with('.') ? "." : "") + line + "\r\n";
  return out + ".\r\n";
}

// Every string over `alphabet` of length 0..max_len, in order; small but covers every adjacency
// of '.', CR, LF and text.
inline std::vector<std::string> all_strings(std::string_view alphabet, std::size_t max_len) {
  std::vector<std::string> out{""};
  std::size_t begin = 0;
  for (std::size_t len = 1; len <= max_len; ++len) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (char c : alphabet) out.push_back(out[i] + c);
    }
    begin = end;
  }
  return out;
}

// Deterministic generator (xorshift) so failures reproduce.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

// A message made of line-ish pieces that stress the codec: ".", "..", ".x", empty lines, CR, LF.
inline std::string random_message(Rng& rng, std::size_t pieces) {
  static constexpr std::string_view kPieces[] = {
      ".", "..", ".x", "x", "Subject: hi", "\r\n", "\r\n", "\n", "\r", " ", "\r\n.\r\n",
      "...", "\r\n.", ".\r", "a.b", "\t", "\xC3\xA9", std::string_view("\0", 1), "From: a@b"};
  std::string m;
  for (std::size_t i = 0; i < pieces; ++i) {
    m += kPieces[rng.below(std::size(kPieces))];
  }
  return m;
}

}  // namespace facteur::smtp::test
