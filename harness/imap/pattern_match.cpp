// match: a Pattern against a parsed Response, binding $variables (semantics in pattern.hpp).
#include <algorithm>
#include <span>

#include <fmt/format.h>

#include "harness/imap/detail/pattern_atom.hpp"
#include "harness/imap/detail/tokenizer.hpp"
#include "harness/imap/pattern.hpp"

namespace facteur::imap {
namespace {

using detail::classify;
using detail::iequal;
using detail::PatternAtom;
using Span = std::span<const Value>;

// A value as a message shows it: short, on one line.
std::string shown(const Value& v) {
  std::string out;
  switch (v.kind) {
    case Value::Kind::string:
      out = '"' + v.text + '"';
      break;
    case Value::Kind::nil:
      out = "NIL";
      break;
    case Value::Kind::list:
      out = v.wire();
      break;
    default:
      out = v.text;
  }
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out.size() > 48 ? out.substr(0, 45) + "..." : out;
}

// The text a variable binds to.
std::string bound_text(const Value& v) {
  switch (v.kind) {
    case Value::Kind::nil:
      return "NIL";
    case Value::Kind::list:
      return v.wire();
    default:
      return v.text;
  }
}

bool equals_bound(const std::string& bound, const Value& v) {
  switch (v.kind) {
    case Value::Kind::atom:
    case Value::Kind::nil:
      return iequal(bound, bound_text(v));
    default:
      return bound == bound_text(v);
  }
}

// "item 3: " + "item 2: x" reads "item 3.2: x".
std::string at_item(std::size_t index, const std::string& why) {
  if (why.rfind("item ", 0) == 0) return fmt::format("item {}.{}", index + 1, why.substr(5));
  return fmt::format("item {}: {}", index + 1, why);
}

struct ListMode {
  bool unordered = false;
  bool extra = false;      // $!extra: extra response items anywhere
  bool rest = false;       // trailing $*: extra response items after the last pattern item
  bool fetch = false;      // key/value pairs by key (the list after FETCH)
  bool noextra = false;
};

// Matching state: the bindings made so far (tentative until the whole pattern matched) and the
// work spent. Every `why` is optional: searches try candidates without building messages.
class Matcher {
 public:
  explicit Matcher(const Bindings& vars) : vars_(vars) {}

  const std::vector<std::pair<std::string, std::string>>& added() const { return added_; }

  bool value(const Value& p, const Value& r, std::string* why) {
    if (!spend()) return too_costly(why);
    switch (classify(p)) {
      case PatternAtom::any:
      case PatternAtom::rest:
        return true;
      case PatternAtom::variable:
        return variable(std::string_view(p.text).substr(1), r, why);
      case PatternAtom::escaped:
        return literal_atom(std::string_view(p.text).substr(1), r, why);
      default:
        break;
    }
    bool ok = false;
    switch (p.kind) {
      case Value::Kind::atom:
        return literal_atom(p.text, r, why);
      case Value::Kind::number:
        ok = (r.kind == Value::Kind::number || r.kind == Value::Kind::atom) &&
             (p.number() && r.number() ? *p.number() == *r.number() : iequal(p.text, r.text));
        break;
      case Value::Kind::string:
        ok = r.kind == Value::Kind::string && p.text == r.text;
        break;
      case Value::Kind::nil:
        ok = r.kind == Value::Kind::nil;
        break;
      case Value::Kind::list:
        if (r.kind != Value::Kind::list || r.open != p.open) break;
        return list(p.items, r.items, false, why);
    }
    if (!ok && why != nullptr) *why = fmt::format("expected {}, found {}", shown(p), shown(r));
    return ok;
  }

  // Items of a list (directives first) against the response's; `fetch`: the list after FETCH.
  bool list(Span p, Span r, bool fetch, std::string* why) {
    ListMode mode;
    mode.fetch = fetch;
    std::size_t first = 0;
    for (; first < p.size() && classify(p[first]) == PatternAtom::directive; ++first) {
      const std::string& d = p[first].text;
      if (iequal(d, "$!unordered")) mode.unordered = true;
      if (iequal(d, "$!ordered")) mode.unordered = mode.fetch = false;
      if (iequal(d, "$!extra")) mode.extra = true;
      if (iequal(d, "$!noextra")) {
        mode.extra = false;
        mode.noextra = true;
      }
    }
    std::size_t end = p.size();
    if (end > first && classify(p[end - 1]) == PatternAtom::rest) {
      mode.rest = true;
      --end;
    }
    const Span items = p.subspan(first, end - first);
    if (mode.fetch) return pairs(items, r, !mode.noextra || mode.rest, why);
    if (mode.unordered) return unordered(items, r, mode.extra || mode.rest, why);
    if (mode.extra) return subsequence(items, r, why);
    return in_order(items, r, mode.rest, why);
  }

  // The line: items in order, the list right after FETCH by key, trailing items only after $*.
  bool line(Span p, Span r, std::string& why) {
    std::size_t i = 0;
    for (; i < p.size(); ++i) {
      if (classify(p[i]) == PatternAtom::rest) return true;
      if (i >= r.size()) {
        why = fmt::format("item {}: missing, expected {}", i + 1, shown(p[i]));
        return false;
      }
      const bool fetch = i > 0 && p[i - 1].is_atom("FETCH") && r[i - 1].is_atom("FETCH") &&
                         p[i].kind == Value::Kind::list && p[i].open == '(' && r[i].kind == Value::Kind::list &&
                         r[i].open == '(';
      std::string inner;
      if (fetch ? !list(p[i].items, r[i].items, true, &inner) : !value(p[i], r[i], &inner)) {
        why = inner.rfind("FETCH", 0) == 0 ? inner : at_item(i, inner);
        return false;
      }
    }
    if (r.size() > i) {
      why = fmt::format("item {}: unexpected {}", i + 1, shown(r[i]));
      return false;
    }
    return true;
  }

 private:
  bool spend() { return ++steps_ <= kMatchBudget; }

  static bool too_costly(std::string* why) {
    if (why != nullptr) *why = fmt::format("too many combinations (more than {} comparisons)", kMatchBudget);
    return false;
  }

  static bool say(std::string* why, std::string message) {
    if (why != nullptr) *why = std::move(message);
    return false;
  }

  const std::string* lookup(std::string_view name) const {
    for (const auto& [key, text] : added_) {
      if (key == name) return &text;
    }
    const auto it = vars_.find(name);
    return it == vars_.end() ? nullptr : &it->second;
  }

  bool variable(std::string_view name, const Value& r, std::string* why) {
    const std::string* bound = lookup(name);
    if (bound == nullptr) {
      added_.emplace_back(std::string(name), bound_text(r));
      return true;
    }
    if (equals_bound(*bound, r)) return true;
    return why != nullptr && say(why, fmt::format("${} is {}, found {}", name, *bound, shown(r)));
  }

  bool literal_atom(std::string_view text, const Value& r, std::string* why) {
    if ((r.kind == Value::Kind::atom || r.kind == Value::Kind::number) && iequal(text, r.text)) return true;
    // An astring may come as an atom or as a string (RFC 9051 §4.3): same text, exactly.
    if (r.kind == Value::Kind::string && text == r.text) return true;
    return why != nullptr && say(why, fmt::format("expected {}, found {}", text, shown(r)));
  }

  bool in_order(Span p, Span r, bool rest, std::string* why) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (i >= r.size()) {
        return why != nullptr && say(why, fmt::format("item {}: missing, expected {}", i + 1, shown(p[i])));
      }
      std::string inner;
      if (!value(p[i], r[i], why != nullptr ? &inner : nullptr)) return why != nullptr && say(why, at_item(i, inner));
    }
    if (!rest && r.size() > p.size()) {
      return why != nullptr && say(why, fmt::format("item {}: unexpected {}", p.size() + 1, shown(r[p.size()])));
    }
    return true;
  }

  // Depth first, greedy choice first: a distinct candidate j for each item k with try_item(k, j),
  // undoing the bindings of abandoned tries; `ascending`: each j after the previous item's. Every
  // candidate looked at costs a step (a comparison, or skipping a used one). On failure `stuck` is
  // the deepest item left without one.
  template <class Try>
  bool search(std::size_t count, std::size_t candidates, bool ascending, Try&& try_item, std::size_t& stuck) {
    stuck = 0;
    if (count == 0) return true;
    std::vector<std::size_t> chosen(count, 0), next(count, 0), marks(count, 0);
    std::vector<bool> used(candidates, false);
    std::size_t k = 0;
    for (;;) {
      bool found = false;
      for (std::size_t j = next[k]; j < candidates && !found; ++j) {
        if (used[j]) {
          if (!spend()) return false;
          continue;
        }
        const std::size_t mark = added_.size();
        if (try_item(k, j)) {
          used[j] = true;
          chosen[k] = j;
          next[k] = j + 1;
          marks[k] = mark;
          found = true;
        } else {
          added_.resize(mark);
        }
      }
      if (found) {
        if (++k == count) return true;
        next[k] = ascending ? chosen[k - 1] + 1 : 0;
        continue;
      }
      stuck = std::max(stuck, k);
      if (k == 0) return false;
      --k;
      used[chosen[k]] = false;
      added_.resize(marks[k]);
    }
  }

  bool subsequence(Span p, Span r, std::string* why) {
    std::size_t stuck = 0;
    const auto try_item = [&](std::size_t k, std::size_t j) { return value(p[k], r[j], nullptr); };
    if (search(p.size(), r.size(), true, try_item, stuck)) return true;
    if (steps_ > kMatchBudget) return too_costly(why);
    return why != nullptr && say(why, fmt::format("no item matches {} in order", shown(p[stuck])));
  }

  bool unordered(Span p, Span r, bool extra, std::string* why) {
    if (p.size() > r.size() || (!extra && p.size() != r.size())) {
      return why != nullptr &&
             say(why, fmt::format("expected {}{} items, found {}", extra ? "at least " : "", p.size(), r.size()));
    }
    std::size_t stuck = 0;
    const auto try_item = [&](std::size_t k, std::size_t j) { return value(p[k], r[j], nullptr); };
    if (search(p.size(), r.size(), false, try_item, stuck)) return true;
    if (steps_ > kMatchBudget) return too_costly(why);
    return why != nullptr && say(why, fmt::format("no item matches {}", shown(p[stuck])));
  }

  // FETCH (RFC 9051 §7.5.2): msg-att pairs, matched by key in any order.
  bool pairs(Span p, Span r, bool extra, std::string* why) {
    const std::size_t count = r.size() / 2;
    for (std::size_t k = 0; k + 1 < p.size(); k += 2) {
      bool found = false;
      for (std::size_t j = 0; j < count && !found; ++j) found = same_key(p[k], r[2 * j]);
      if (!found) return why != nullptr && say(why, fmt::format("FETCH: no {} item", key_text(p[k])));
    }
    if (!extra) {
      for (std::size_t j = 0; j < count; ++j) {
        bool wanted = false;
        for (std::size_t k = 0; k + 1 < p.size() && !wanted; k += 2) wanted = same_key(p[k], r[2 * j]);
        if (!wanted) return why != nullptr && say(why, fmt::format("FETCH: unexpected {} item", shown(r[2 * j])));
      }
      if (count != p.size() / 2) {
        return why != nullptr && say(why, fmt::format("FETCH: {} items, expected {}", count, p.size() / 2));
      }
    }
    // The first value mismatch at the deepest pair reached says what differed.
    std::string first_why;
    std::size_t why_at = 0;
    const auto try_pair = [&](std::size_t k, std::size_t j) {
      if (!same_key(p[2 * k], r[2 * j])) return false;
      const std::size_t mark = added_.size();
      if (value(p[2 * k + 1], r[2 * j + 1], nullptr)) return true;
      if (why != nullptr && (first_why.empty() || k > why_at)) {
        added_.resize(mark);
        std::string inner;
        value(p[2 * k + 1], r[2 * j + 1], &inner);
        first_why = fmt::format("FETCH {}: {}", key_text(p[2 * k]), inner);
        why_at = k;
      }
      return false;
    };
    std::size_t stuck = 0;
    if (search(p.size() / 2, count, false, try_pair, stuck)) return true;
    if (steps_ > kMatchBudget) return too_costly(why);
    if (first_why.empty()) first_why = fmt::format("FETCH {}: no item left to match", key_text(p[2 * stuck]));
    return say(why, std::move(first_why));
  }

  static std::string_view key_text(const Value& key) {
    const std::string_view text = key.text;
    return classify(key) == PatternAtom::escaped ? text.substr(1) : text;
  }

  static bool same_key(const Value& p, const Value& r) {
    return r.kind == Value::Kind::atom && iequal(key_text(p), r.text);
  }

  const Bindings& vars_;
  std::vector<std::pair<std::string, std::string>> added_;
  std::size_t steps_ = 0;
};

std::string_view kind_name(Response::Kind kind) {
  switch (kind) {
    case Response::Kind::tagged:
      return "a tagged";
    case Response::Kind::untagged:
      return "an untagged";
    case Response::Kind::continuation:
      return "a continuation";
  }
  return "a";
}

bool status_form(const Pattern& p) {
  if (p.items.empty() || p.items.size() > 2 || p.items[0].kind != Value::Kind::atom) return false;
  if (p.kind == Response::Kind::tagged) return true;
  for (std::string_view status : {"OK", "NO", "BAD", "PREAUTH", "BYE"}) {
    if (p.items[0].is_atom(status)) return p.items.size() == 1 || p.items[1].open == '[';
  }
  return false;
}

}  // namespace

MatchOutcome match(const Pattern& pattern, const Response& response, Bindings& vars) {
  MatchOutcome out;
  if (pattern.kind != response.kind) {
    out.why = fmt::format("expected {} response, found {}", kind_name(pattern.kind), kind_name(response.kind));
    return out;
  }
  Matcher m(vars);
  if (response.kind == Response::Kind::continuation) {
    out.ok = true;
  } else if (response.is_status() && status_form(pattern)) {
    const Value status{Value::Kind::atom, response.status, false, false, '(', {}};
    std::string why;
    if (!m.value(pattern.items[0], status, &why)) {
      out.why = why;
    } else if (pattern.items.size() > 1 && response.code.empty()) {
      out.why = fmt::format("no response code, expected {}", pattern.items[1].wire());
    } else if (pattern.items.size() > 1) {
      const std::vector<Value> items = response.items();
      out.ok = m.value(pattern.items[1], items.back(), &why);
      if (!out.ok) out.why = fmt::format("code [{}]: {}", response.code, why);
    } else {
      out.ok = true;
    }
  } else {
    out.ok = m.line(pattern.items, response.items(), out.why);
  }
  if (out.ok) {
    out.why.clear();
    for (const auto& [name, text] : m.added()) vars.emplace(name, text);
  }
  return out;
}

}  // namespace facteur::imap
