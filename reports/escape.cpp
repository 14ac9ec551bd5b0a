#include "reports/escape.hpp"

#include <array>
#include <cstdint>

namespace facteur::report::detail {
namespace {

// Length of the well-formed UTF-8 sequence starting at in[pos] (RFC 3629 §4: no overlongs, no
// surrogates, nothing past U+10FFFF), or 0 when the byte there does not start one.
std::size_t utf8_length(std::string_view in, std::size_t pos, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[pos + i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (pos + len > in.size()) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  char32_t cp = b0 & (0xFFu >> (len + 1));
  for (std::size_t i = 1; i < len; ++i) cp = (cp << 6) | (byte(i) & 0x3Fu);
  code_point = cp;
  return len;
}

bool shown_as_bytes(char32_t cp, Escape mode) {
  if (cp == '\n' || cp == '\t') return mode == Escape::line;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

void append_hex_bytes(std::string& out, std::string_view bytes) {
  static constexpr std::array<char, 16> digits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += "\\x";
    out += digits[b >> 4];
    out += digits[b & 0x0F];
  }
}

const char* markup_entity(char c, Escape mode) {
  switch (mode) {
    case Escape::text:
    case Escape::line:
      return nullptr;
    case Escape::xml_text:
      break;
    case Escape::xml_attribute:
      if (c == '\t') return "&#9;";
      if (c == '\n') return "&#10;";
      [[fallthrough]];
    case Escape::html:
      if (c == '"') return "&quot;";
      if (c == '\'') return "&#39;";
      break;
  }
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";  // also breaks "]]>", which XML character data must not contain
    default: return nullptr;
  }
}

}  // namespace

std::string escape(std::string_view in, Escape mode) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t pos = 0; pos < in.size();) {
    char32_t cp = 0;
    const std::size_t len = utf8_length(in, pos, cp);
    if (len == 0) {
      append_hex_bytes(out, in.substr(pos, 1));
      ++pos;
      continue;
    }
    if (shown_as_bytes(cp, mode)) {
      append_hex_bytes(out, in.substr(pos, len));
    } else if (const char* entity = len == 1 ? markup_entity(in[pos], mode) : nullptr) {
      out += entity;
    } else {
      out.append(in.substr(pos, len));
    }
    pos += len;
  }
  return out;
}

std::string valid_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t pos = 0; pos < in.size();) {
    char32_t cp = 0;
    const std::size_t len = utf8_length(in, pos, cp);
    if (len == 0) {
      append_hex_bytes(out, in.substr(pos, 1));
      ++pos;
    } else {
      out.append(in.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

std::string_view truncate_utf8(std::string_view in, std::size_t max_bytes) {
  if (in.size() <= max_bytes) return in;
  std::size_t end = max_bytes;
  // Step back over at most 3 continuation bytes (10xxxxxx) so a character is never split.
  for (int i = 0; i < 3 && end > 0 && (static_cast<unsigned char>(in[end]) & 0xC0) == 0x80; ++i) {
    --end;
  }
  return in.substr(0, end);
}

}  // namespace facteur::report::detail
