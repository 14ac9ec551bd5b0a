// "${name}" templating (syntax in template.hpp). One scanner serves check_template and expand, so
// they agree on what is malformed; expansion is a single pass (values are never rescanned).
#include <cstdio>
#include "harness/scenario/template.hpp"

#include <fmt/format.h>

#include "harness/scenario/rfc5322_date.hpp"

namespace facteur::scenario {
namespace {

enum class Builtin { none, uuid, date, hex, seq, run };

struct Reference {
  std::size_t offset = 0;      // of the "${"
  std::string_view name;       // without the '@' of a built-in
  Builtin builtin = Builtin::none;
  bool has_default = false;
  std::string_view fallback;   // text after ":-"
  std::size_t hex_digits = 0;  // @hex:N
};

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("octet 0x{:02X}", u);
}

// @hex argument: 1..64 written as [1-9][0-9]?
std::size_t hex_argument(std::string_view arg, std::size_t offset) {
  const bool well_formed = !arg.empty() && arg.size() <= 2 && arg[0] >= '1' && arg[0] <= '9' &&
                           (arg.size() == 1 || (arg[1] >= '0' && arg[1] <= '9'));
  const std::size_t n = well_formed ? std::stoul(std::string(arg)) : 0;
  if (n < 1 || n > 64) {
    throw TemplateError(offset, fmt::format("bad @hex argument '{}' (expected 1..64)", arg));
  }
  return n;
}

Builtin builtin_named(std::string_view name) {
  if (name == "uuid") return Builtin::uuid;
  if (name == "date") return Builtin::date;
  if (name == "hex") return Builtin::hex;
  if (name == "seq") return Builtin::seq;
  if (name == "run") return Builtin::run;
  return Builtin::none;
}

// Parses the reference starting at text[start] == "${"; `end` receives the offset after its '}'.
Reference parse_reference(std::string_view text, std::size_t start, std::size_t& end) {
  const std::size_t close = text.find('}', start + 2);
  if (close == std::string_view::npos) throw TemplateError(start, "unterminated \"${\"");
  end = close + 1;
  Reference ref;
  ref.offset = start;
  std::size_t i = start + 2;
  const bool is_builtin = text[i] == '@';
  if (is_builtin) ++i;
  const std::size_t name_start = i;
  if (i < close && is_name_start(text[i])) {
    while (i < close && is_name_char(text[i])) ++i;
  }
  ref.name = text.substr(name_start, i - name_start);
  if (ref.name.empty()) {
    if (i == close || text[i] == ':') throw TemplateError(i, "empty variable name");
    throw TemplateError(i, fmt::format("invalid character {} in variable name", describe(text[i])));
  }
  if (is_builtin) {
    ref.builtin = builtin_named(ref.name);
    if (ref.builtin == Builtin::none) {
      throw TemplateError(start, fmt::format("unknown built-in '@{}'", ref.name));
    }
    const bool has_arg = i < close && text[i] == ':';
    if (i < close && !has_arg) {
      throw TemplateError(i, fmt::format("invalid character {} in built-in name", describe(text[i])));
    }
    if (ref.builtin == Builtin::hex) {
      const std::size_t arg_start = has_arg ? i + 1 : i;
      ref.hex_digits = hex_argument(text.substr(arg_start, close - arg_start), arg_start);
    } else if (has_arg) {
      throw TemplateError(i, fmt::format("built-in '@{}' takes no argument", ref.name));
    }
    return ref;
  }
  if (i < close) {
    if (text.substr(i, 2) != ":-") {
      throw TemplateError(i, fmt::format("invalid character {} in variable name", describe(text[i])));
    }
    ref.has_default = true;
    ref.fallback = text.substr(i + 2, close - (i + 2));
  }
  return ref;
}

// Walks `text`: literal runs go to `on_text`, references to `on_reference`.
template <class OnText, class OnReference>
void scan(std::string_view text, OnText&& on_text, OnReference&& on_reference) {
  std::size_t literal_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t dollar = text.find('$', i);
    if (dollar == std::string_view::npos) break;
    if (text.substr(dollar, 3) == "$${") {  // escape: a literal "${"
      on_text(text.substr(literal_start, dollar - literal_start));
      on_text(std::string_view("${"));
      literal_start = i = dollar + 3;
    } else if (text.substr(dollar, 2) == "${") {
      on_text(text.substr(literal_start, dollar - literal_start));
      std::size_t end = 0;
      on_reference(parse_reference(text, dollar, end));
      literal_start = i = end;
    } else {
      i = dollar + 1;
    }
  }
  on_text(text.substr(literal_start));
}

void append_hex(std::string& out, std::mt19937_64& rng, std::size_t digits) {
  static constexpr char hex[] = "0123456789abcdef";
  while (digits > 0) {
    std::uint64_t bits = rng();
    for (int k = 0; k < 16 && digits > 0; ++k, --digits, bits >>= 4) out.push_back(hex[bits & 0xFU]);
  }
}

// RFC 9562 §5.4 (UUID version 4): 122 random bits, version 0100, variant 10.
std::string uuid_v4(std::mt19937_64& rng) {
  const std::uint64_t hi = (rng() & ~std::uint64_t{0xF000}) | 0x4000;
  const std::uint64_t lo = (rng() & ~(std::uint64_t{3} << 62)) | (std::uint64_t{2} << 62);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                     lo >> 48, lo & 0xFFFF'FFFF'FFFFULL);
}

}  // namespace

const std::string& run_token() {
  static const std::string token = [] {
    std::random_device device;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
    return std::string(buf);
  }();
  return token;
}

std::string expand(std::string_view text, const Vars& vars, TemplateContext& ctx) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, [&](std::string_view literal) { out += literal; },
      [&](const Reference& ref) {
        switch (ref.builtin) {
          case Builtin::uuid: out += uuid_v4(ctx.rng); return;
          case Builtin::date: out += rfc5322_date_now(); return;
          case Builtin::hex: append_hex(out, ctx.rng, ref.hex_digits); return;
          case Builtin::seq: out += std::to_string(++ctx.seq); return;
          case Builtin::run: out += run_token(); return;
          case Builtin::none: break;
        }
        const auto it = vars.find(ref.name);
        if (it != vars.end()) {
          out += it->second;  // inserted as is: never expanded again
        } else if (ref.has_default) {
          out += ref.fallback;
        } else {
          throw TemplateError(ref.offset, fmt::format("unknown variable '{}'", ref.name));
        }
      });
  return out;
}

void check_template(std::string_view text) {
  scan(text, [](std::string_view) {}, [](const Reference&) {});
}

bool has_references(std::string_view text) {
  for (std::size_t i = text.find('$'); i != std::string_view::npos; i = text.find('$', i)) {
    if (text.substr(i, 3) == "$${") {
      i += 3;
    } else if (text.substr(i, 2) == "${") {
      return true;
    } else {
      ++i;
    }
  }
  return false;
}

}  // namespace facteur::scenario
