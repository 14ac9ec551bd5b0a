// expand/check_template/has_references never crash and agree with each other: errors carry an
// offset inside the text, a syntax error is an error for both, and a text without references
// expands to itself with each "$${" turned into "${".
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/scenario/template.hpp"

namespace {

using namespace facteur::scenario;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// The model of a reference-free text: "$${" → "${", left to right.
std::string unescaped(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 3) == "$${") {
      out += "${";
      i += 3;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const Vars vars{{"user", "alice"}, {"host", "mail.lab.test"}, {"a.b-c", "x"},
                         {"empty", ""},     {"loop", "${user}"},       {"esc", "$${"}};

  bool syntax_error = false;
  try {
    check_template(text);
  } catch (const TemplateError& e) {
    check(e.offset() <= size);
    syntax_error = true;
  }

  TemplateContext ctx(1);
  bool expand_error = false;
  std::string out;
  try {
    out = expand(text, vars, ctx);
  } catch (const TemplateError& e) {
    check(e.offset() <= size);
    expand_error = true;
  }
  check(!syntax_error || expand_error);

  if (!has_references(text)) {
    check(!syntax_error && !expand_error);
    check(out == unescaped(text));
  }
  // Same seed, same result (@date reads the clock).
  if (!expand_error && text.find("@date") == std::string_view::npos) {
    TemplateContext again(1);
    check(expand(text, vars, again) == out);
  }
  return 0;
}
