#include "harness/http/html_fields.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace facteur::http {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Case-insensitive search for ASCII `needle` from `from`.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A numeric reference at `at` ("&#…;"): its length, or 0 when it is not one.
std::size_t numeric_reference(std::string_view s, std::size_t at, std::string& out) {
  std::size_t i = at + 2;
  const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
  if (hex) ++i;
  const std::size_t digits_at = i;
  std::uint32_t cp = 0;
  for (; i < s.size() && i - digits_at < 8; ++i) {
    const char c = s[i];
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
    if (d < 0) break;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
  }
  if (i == digits_at || i >= s.size() || s[i] != ';') return 0;
  append_utf8(out, cp);
  return i + 1 - at;
}

struct Attribute {
  std::string name;  // lower-case
  std::string value;
};

// Reads the attributes of a tag whose name ended at `at`; returns the position after ">" (npos
// when the tag is not closed).
std::size_t read_attributes(std::string_view html, std::size_t at, std::vector<Attribute>& attrs) {
  std::size_t i = at;
  for (;;) {
    while (i < html.size() && (space(html[i]) || html[i] == '/')) ++i;
    if (i >= html.size()) return std::string_view::npos;
    if (html[i] == '>') return i + 1;
    Attribute a;
    // The tokenizer takes a leading "=" as part of the name.
    do {
      a.name.push_back(lower(html[i]));
      ++i;
    } while (i < html.size() && !space(html[i]) && html[i] != '/' && html[i] != '>' && html[i] != '=');
    while (i < html.size() && space(html[i])) ++i;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && space(html[i])) ++i;
      if (i >= html.size()) return std::string_view::npos;
      if (html[i] == '"' || html[i] == '\'') {
        const char quote = html[i];
        const std::size_t close = html.find(quote, i + 1);
        if (close == std::string_view::npos) return std::string_view::npos;
        a.value = decode_entities(html.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        const std::size_t from = i;
        while (i < html.size() && !space(html[i]) && html[i] != '>') ++i;
        a.value = decode_entities(html.substr(from, i - from));
      }
    }
    attrs.push_back(std::move(a));
  }
}

const std::string* attribute(const std::vector<Attribute>& attrs, std::string_view name) {
  for (const auto& a : attrs) {
    if (a.name == name) return &a.value;  // the first of repeated attributes
  }
  return nullptr;
}

}  // namespace

std::string decode_entities(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out.push_back(text[i++]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '#') {
      if (const std::size_t n = numeric_reference(text, i, out)) {
        i += n;
        continue;
      }
    }
    bool named = false;
    for (const auto& [ref, value] : kNamed) {
      if (text.substr(i, ref.size()) == ref) {
        out += value;
        i += ref.size();
        named = true;
        break;
      }
    }
    if (!named) out.push_back(text[i++]);
  }
  return out;
}

std::optional<std::string> input_value(std::string_view html, std::string_view name) {
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) return std::nullopt;
      i = end + 3;
      continue;
    }
    std::size_t n = i + 1;
    while (n < html.size() && ((html[n] >= 'a' && html[n] <= 'z') || (html[n] >= 'A' && html[n] <= 'Z') ||
                               (html[n] >= '0' && html[n] <= '9'))) {
      ++n;
    }
    const std::string_view tag = html.substr(i + 1, n - i - 1);
    if (tag.empty() || (n < html.size() && !space(html[n]) && html[n] != '/' && html[n] != '>')) {
      ++i;
      continue;
    }
    std::vector<Attribute> attrs;
    const std::size_t after = read_attributes(html, n, attrs);
    if (after == std::string_view::npos) return std::nullopt;
    if (iequals(tag, "input")) {
      const std::string* n_attr = attribute(attrs, "name");
      if (n_attr && *n_attr == name) {
        const std::string* v = attribute(attrs, "value");
        return v ? *v : std::string();
      }
    }
    i = after;
    for (std::string_view raw : {"script", "style", "textarea"}) {
      if (iequals(tag, raw)) {
        const std::string closing = "</" + std::string(raw);
        const std::size_t end = ifind(html, closing, i);
        if (end == std::string_view::npos) return std::nullopt;
        i = end;
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace facteur::http
