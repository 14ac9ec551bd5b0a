// parse_pattern: expected-response text (as on the wire, with $variables) into a Pattern.
#include <fmt/format.h>

#include "harness/imap/detail/pattern_atom.hpp"
#include "harness/imap/detail/tokenizer.hpp"
#include "harness/imap/pattern.hpp"

namespace facteur::imap {
namespace {

using detail::classify;
using detail::PatternAtom;

bool is_directive(std::string_view text) {
  for (std::string_view known : {"$!unordered", "$!ordered", "$!extra", "$!noextra"}) {
    if (detail::iequal(text, known)) return true;
  }
  return false;
}

bool is_status_word(std::string_view word, bool tagged) {
  if (detail::iequal(word, "OK") || detail::iequal(word, "NO") || detail::iequal(word, "BAD")) return true;
  return !tagged && (detail::iequal(word, "PREAUTH") || detail::iequal(word, "BYE"));
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// The placement rules: directives first in a list (never on the line itself), $* last, and the
// list after FETCH made of key/value pairs with literal atoms as keys.
bool check_items(const std::vector<Value>& items, bool top, bool fetch, std::string& error) {
  std::size_t first = 0;
  bool ordered = false;
  while (!top && first < items.size() && classify(items[first]) == PatternAtom::directive) {
    if (!is_directive(items[first].text)) {
      error = fmt::format("unknown directive {}", items[first].text);
      return false;
    }
    ordered = ordered || detail::iequal(items[first].text, "$!ordered");
    ++first;
  }
  for (std::size_t i = first; i < items.size(); ++i) {
    const PatternAtom kind = classify(items[i]);
    if (kind == PatternAtom::directive) {
      error = top ? fmt::format("{} is not in a list: directives start a list", items[i].text)
                  : fmt::format("{} must come before the items of its list", items[i].text);
      return false;
    }
    if (kind == PatternAtom::rest && i + 1 != items.size()) {
      error = "$* must be the last item of its list or line";
      return false;
    }
    if (items[i].kind == Value::Kind::list) {
      const bool after_fetch = top && i > 0 && items[i - 1].is_atom("FETCH") && items[i].open == '(';
      if (!check_items(items[i].items, false, after_fetch, error)) return false;
    }
  }
  if (!fetch || ordered) return true;
  std::size_t end = items.size();
  if (end > first && classify(items[end - 1]) == PatternAtom::rest) --end;
  if ((end - first) % 2 != 0) {
    error = "the FETCH list must be key/value pairs";
    return false;
  }
  for (std::size_t k = first; k < end; k += 2) {
    const PatternAtom kind = classify(items[k]);
    if (items[k].kind != Value::Kind::atom || (kind != PatternAtom::literal && kind != PatternAtom::escaped)) {
      error = fmt::format("FETCH key {} must be an atom", items[k].wire());
      return false;
    }
  }
  return true;
}

std::optional<Pattern> failed(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

}  // namespace

std::optional<Pattern> parse_pattern(std::string_view text, std::string* error) {
  Pattern pattern;
  pattern.source.assign(text);
  std::string_view rest = trim(text);
  if (rest.empty()) return failed(error, "empty pattern");
  if (rest.front() == '+') {  // a continuation request; its text is not compared
    pattern.kind = Response::Kind::continuation;
    return pattern;
  }
  const bool untagged = rest.front() == '*' && (rest.size() == 1 || rest[1] == ' ');
  if (untagged) {
    rest = trim(rest.substr(1));
    if (rest.empty()) return failed(error, "untagged pattern without a response name");
  }
  pattern.kind = untagged ? Response::Kind::untagged : Response::Kind::tagged;

  const std::string_view word = rest.substr(0, rest.find(' '));
  const PatternAtom first = classify(word);
  const bool status = is_status_word(word, !untagged);
  if (!untagged && !status && first != PatternAtom::any && first != PatternAtom::variable) {
    return failed(error, fmt::format("a tagged pattern starts with OK, NO, BAD or a $variable, not '{}'", word));
  }
  if (status || !untagged) {
    // A status response: the status, an optional [code]; the human text after it is ignored.
    pattern.items.push_back(Value{Value::Kind::atom, std::string(word), false, false, '(', {}});
    const Limits limits;
    detail::Scanner s(rest, limits, true);
    s.pos = word.size();
    while (s.pos < rest.size() && rest[s.pos] == ' ') ++s.pos;
    if (s.pos < rest.size() && rest[s.pos] == '[') {
      Value code;
      if (!detail::read_value(s, &code, 0, false)) return failed(error, "bad response code: " + s.error);
      pattern.items.push_back(std::move(code));
    }
  } else {
    std::string why;
    auto items = parse_values(rest, &why);
    if (!items) return failed(error, why);
    pattern.items = std::move(*items);
  }
  std::string why;
  if (!check_items(pattern.items, true, false, why)) return failed(error, why);
  return pattern;
}

}  // namespace facteur::imap
