#include "harness/scenario/mime_encoding.hpp"

#include <algorithm>

#include "harness/core/base64.hpp"

namespace facteur::scenario {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string base64_lines(std::string_view raw) {
  constexpr std::size_t octets_per_line = 57;  // 57 octets → 76 characters
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4 + (raw.size() / octets_per_line + 1) * 2);
  for (std::size_t i = 0; i < raw.size(); i += octets_per_line) {
    out += base64_encode(raw.substr(i, octets_per_line));
    out += "\r\n";
  }
  return out;
}

bool has_8bit(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string encoded_words(std::string_view text) {
  // "=?UTF-8?B?" + 52 base64 characters + "?=" = 64; 52 characters carry 39 octets.
  constexpr std::size_t max_octets = 39;
  std::string out;
  while (!text.empty()) {
    std::size_t take = std::min(max_octets, text.size());
    // Back up to the start of a UTF-8 character (not a 10xxxxxx continuation octet), unless the
    // chunk is nothing but continuation octets (invalid UTF-8: split anywhere).
    if (take < text.size()) {
      std::size_t cut = take;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
      if (cut > 0) take = cut;
    }
    if (!out.empty()) out.push_back(' ');
    out += "=?UTF-8?B?";
    out += base64_encode(text.substr(0, take));
    out += "?=";
    text.remove_prefix(take);
  }
  return out;
}

std::string single_line(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '\r' && c != '\n') {
      out.push_back(c);
      continue;
    }
    if (c == '\r' && i + 1 < value.size() && value[i + 1] == '\n') ++i;
    if (i + 1 >= value.size() || !is_wsp(value[i + 1])) out.push_back(' ');
  }
  return out;
}

std::string fold_header(std::string_view name, std::string_view value) {
  constexpr std::size_t limit = 78;
  const std::string line = single_line(name) + ": " + single_line(value);
  const std::size_t first_break = line.find(':') + 2;  // never fold inside "Name: "
  std::size_t last_text = line.size();
  while (last_text > 0 && is_wsp(line[last_text - 1])) --last_text;
  std::string out;
  out.reserve(line.size() + line.size() / limit * 2 + 2);
  std::size_t start = 0;
  while (line.size() - start > limit) {
    // Fold before a WSP, so that neither the line before nor the one after is only WSP
    // (RFC 5322 §3.2.2): the last such point within the limit, else the first one after it.
    std::size_t best = std::string::npos;
    bool seen_text = false;
    for (std::size_t j = start; j < last_text; ++j) {
      if (!is_wsp(line[j])) {
        seen_text = true;
      } else if (seen_text && j > start && j >= first_break && j + 1 < last_text) {
        if (j - start <= limit) {
          best = j;
        } else {
          if (best == std::string::npos) best = j;
          break;
        }
      }
      if (j - start > limit && best != std::string::npos) break;
    }
    if (best == std::string::npos) break;
    out.append(line, start, best - start);
    out += "\r\n";
    start = best;
  }
  out.append(line, start);
  out += "\r\n";
  return out;
}

std::string crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

}  // namespace facteur::scenario
