// imaptest-style expected responses: a pattern is written as the response looks on the wire, with
// $variables, and matched against a parsed Response. Pure: no I/O, unit-tested and fuzzed.
//
// Pattern text
//   "* $n EXISTS", "* OK [UIDVALIDITY $v]", "* $ FETCH (FLAGS ($!unordered \Seen) UID $uid)"
//                     an untagged response;
//   "OK [APPENDUID $v $uid] done"   no leading "*" or "+": the tagged completion, matched without
//                     its tag (the first word is the status: OK, NO, BAD, or $ / $var);
//   "+", "+ anything" a continuation request (its text is not compared).
//   After a status word (OK NO BAD PREAUTH BYE) only an optional [code] is read; the human text
//   that follows is ignored, so it need not tokenise.
//
// Semantics
//   $name     name = [A-Za-z0-9_]+. Unbound: binds to the matched value's text (atom or number
//             text, string contents, NIL → "NIL", a list → its wire()). Bound: the value must equal
//             it (atoms ignoring case, numbers/strings/lists exactly).
//   $         any one value.            $*  any number (0+) of the remaining values of its list
//                                           or line; it must be the last item.
//   $$x       the atom "$x" (for keywords such as $Forwarded, which would read as a variable).
//   A variable is a whole value: "BODY[$n]" is the atom "BODY[$n]", not a variable. Any other
//   atom starting with "$" ("$1:3") is compared as itself.
//   Atoms compare ignoring case; numbers by their digits; strings (quoted or literal) exactly by
//   content, a quoted "x" matching a literal of content x; NIL only NIL; an atom also matches a
//   string with exactly its text (an astring — a mailbox name, a LIST delimiter — may be sent either
//   way: RFC 9051 §4.3), but a string in the pattern never matches an atom, and "NIL" never NIL.
//   Lists match lists of the same bracket.
//   Lists: items in order, nothing extra. Directives, as the first items of a list:
//     $!unordered  each item matches a distinct response item, in any order;
//     $!extra      extra response items are allowed (anywhere; in order: a subsequence);
//     $!ordered, $!noextra   the defaults, said explicitly.
//   The list right after FETCH is key/value pairs matched by key (ignoring case), in any order,
//   extra pairs allowed (servers add UID, MODSEQ); $!noextra forbids extras, $!ordered makes it a
//   plain list.
//   The line: items in order ([number] name data...); extra trailing items are a mismatch unless
//   the pattern ends with $*. A status response compares only its status and, when the pattern
//   has one, its [code] (a pattern without a code accepts any code).
//   Bindings are tentative: an unordered list, a FETCH list and an in-order list with $!extra
//   search (depth first, greedy choice first) for an assignment of response items under which all
//   items match, undoing the bindings of abandoned tries. A nested list that matched is not
//   re-tried another way. The work is capped at kMatchBudget steps per match() (a step compares
//   two values or skips a used candidate): greedy matches cost about one step per candidate
//   looked at, so a 1000-item unordered list fits; a search that would explode fails instead,
//   with "too many combinations".
//   `vars` gains the new bindings only when the whole pattern matches.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/imap/response.hpp"

namespace facteur::imap {

using Bindings = std::map<std::string, std::string, std::less<>>;  // same type as scenario::Vars

struct Pattern {
  std::string source;          // the text it was parsed from
  Response::Kind kind = Response::Kind::untagged;
  std::vector<Value> items;    // as Response::items(): [number] name data..., or [status, [code]]
};

// nullopt + `error` when the text is not a pattern (bad syntax, misplaced $* or directive).
std::optional<Pattern> parse_pattern(std::string_view text, std::string* error = nullptr);

struct MatchOutcome {
  bool ok = false;
  std::string why;  // mismatch: what differed, e.g. "item 2: expected EXISTS, found RECENT"
};

inline constexpr std::size_t kMatchBudget = 1'000'000;

MatchOutcome match(const Pattern& pattern, const Response& response, Bindings& vars);

}  // namespace facteur::imap
