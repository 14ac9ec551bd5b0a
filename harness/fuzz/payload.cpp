#include "harness/fuzz/payload.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace facteur::fuzz {
using json = nlohmann::ordered_json;

namespace {

// Length of the valid UTF-8 sequence at `s[i]` (RFC 3629), 0 when invalid. NUL and other controls
// are valid (JSON escapes them).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

std::string escape_template(std::string_view octets) {
  std::string out;
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (octets[i] == '$' && i + 1 < octets.size() && octets[i + 1] == '{') out += '$';
    out += octets[i];
  }
  return out;
}

// Text octets as JSON parts: runs of valid UTF-8 as strings, the rest as hex.
void text_parts(json& out, std::string_view octets) {
  std::string valid, hex;
  const auto flush_valid = [&] {
    if (!valid.empty()) out.push_back(escape_template(valid));
    valid.clear();
  };
  const auto flush_hex = [&] {
    if (!hex.empty()) out.push_back(json{{"hex", hex}});
    hex.clear();
  };
  for (std::size_t i = 0; i < octets.size();) {
    if (const std::size_t n = utf8_length(octets, i); n > 0) {
      flush_hex();
      valid.append(octets.substr(i, n));
      i += n;
    } else {
      flush_valid();
      hex += fmt::format("{:02x}", static_cast<unsigned char>(octets[i]));
      ++i;
    }
  }
  flush_valid();
  flush_hex();
}

}  // namespace

Payload text(std::string_view octets) {
  Payload p;
  append(p, octets);
  return p;
}

Payload from_template(std::string_view tmpl) {
  Payload p;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, 3, "$${") == 0) {
      append(p, "${");
      i += 3;
      continue;
    }
    if (tmpl.compare(i, 2, "${") == 0) {
      const std::size_t end = tmpl.find('}', i);
      if (end != std::string_view::npos) {
        p.push_back(Part{Part::Kind::ref, std::string(tmpl.substr(i, end + 1 - i)), 1});
        i = end + 1;
        continue;
      }
    }
    append(p, tmpl.substr(i, 1));
    ++i;
  }
  return p;
}

void append(Payload& p, std::string_view octets) {
  if (octets.empty()) return;
  if (!p.empty() && p.back().kind == Part::Kind::text) p.back().bytes.append(octets);
  else p.push_back(Part{Part::Kind::text, std::string(octets), 1});
}

void append(Payload& p, const Payload& more) {
  for (const Part& part : more) {
    if (part.kind == Part::Kind::text) append(p, part.bytes);
    else p.push_back(part);
  }
}

std::size_t size(const Payload& p) {
  std::size_t n = 0;
  for (const Part& part : p) n += part.bytes.size() * (part.kind == Part::Kind::repeat ? part.count : 1);
  return n;
}

json to_parts_json(const Payload& p) {
  json out = json::array();
  for (const Part& part : p) {
    switch (part.kind) {
      case Part::Kind::text: text_parts(out, part.bytes); break;
      case Part::Kind::ref: out.push_back(part.bytes); break;
      case Part::Kind::repeat: {
        json unit = json::array();
        text_parts(unit, part.bytes);
        if (unit.size() == 1 && unit[0].is_string() && unit[0].get<std::string>() == part.bytes) {
          out.push_back(json{{"repeat", part.bytes}, {"count", part.count}});
        } else {
          // A unit that is not plain text is spelled out (units are short; counts are what grow).
          for (std::size_t k = 0; k < part.count; ++k) text_parts(out, part.bytes);
        }
        break;
      }
    }
  }
  return out;
}

std::string describe(const Payload& p, std::size_t max_chars) {
  std::string out;
  const auto add_octets = [&out](std::string_view s) {
    for (unsigned char c : s) {
      if (c == '\r') out += "\\r";
      else if (c == '\n') out += "\\n";
      else if (c == '\\') out += "\\\\";
      else if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02x}", c);
      else out += static_cast<char>(c);
    }
  };
  for (const Part& part : p) {
    if (part.kind == Part::Kind::repeat) {
      add_octets(part.bytes);
      out += fmt::format("×{}", part.count);
    } else {
      add_octets(part.bytes);
    }
    if (out.size() > max_chars) {
      out.resize(max_chars);
      out += "…";
      break;
    }
  }
  return out;
}

}  // namespace facteur::fuzz
