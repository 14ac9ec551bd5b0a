// Variable templating in scenario strings: "${name}" is replaced by the variable's value.
//   ${name}          value of a variable; unknown name → TemplateError
//   ${name:-text}    value, or `text` when the variable is not set
//   $${              a literal "${"
//   ${@uuid}         a random UUID v4                     (built-ins start with '@')
//   ${@date}         now, RFC 5322 date-time
//   ${@hex:N}        N random hex digits (1..64)
//   ${@seq}          a per-context counter, 1, 2, 3, … (unique Message-IDs under load)
//   ${@run}          8 hex digits drawn once per process: names (mailboxes, Message-IDs) that no
//                    earlier run left behind, while ${@hex} stays reproducible from --seed
// Names match [A-Za-z_][A-Za-z0-9_.-]*. A default is literal text up to the first '}'. Expansion is
// one pass: values and defaults are inserted as they are, never expanded again. "$${" is the
// escape wherever it occurs, so "$$${x}" gives "$${x}". A set but empty variable gives "".
// TemplateError offsets: the "${" of the reference for an unterminated reference, an unknown
// variable or an unknown built-in; the offending octet for an empty or malformed name; the start
// of the argument for a bad @hex argument (1..64, no leading zero).
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

namespace facteur::scenario {

using Vars = std::map<std::string, std::string, std::less<>>;

class TemplateError : public std::runtime_error {
 public:
  TemplateError(std::size_t offset, const std::string& what)
      : std::runtime_error(what), offset_(offset) {}
  std::size_t offset() const { return offset_; }  // octet offset in the template
 private:
  std::size_t offset_;
};

// State the built-ins draw on; seeded for reproducible runs.
struct TemplateContext {
  explicit TemplateContext(std::uint64_t seed = 0) : rng(seed) {}
  std::mt19937_64 rng;
  std::uint64_t seq = 0;
};

std::string expand(std::string_view text, const Vars& vars, TemplateContext& ctx);
const std::string& run_token();  // the value of ${@run}
// Checks the syntax only (for load-time validation): throws TemplateError on a malformed reference.
void check_template(std::string_view text);
// True when `text` contains a reference (so it must be expanded at run time).
bool has_references(std::string_view text);

}  // namespace facteur::scenario
