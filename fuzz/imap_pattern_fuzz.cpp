// Fuzzes parse_pattern and match: the first line of the input is a pattern, the rest a response.
// Neither may crash; a failed match leaves the bindings as they were, a successful one only adds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/imap/pattern.hpp"
#include "harness/imap/response.hpp"

namespace {

using namespace facteur::imap;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::string_view kResponses[] = {
    "* 3 EXISTS\r\n",
    "A1 OK [APPENDUID 38505 3955] APPEND completed\r\n",
    "* OK [UIDVALIDITY 17] UIDs valid\r\n",
    "* 12 FETCH (UID 7 FLAGS (\\Seen \\Flagged) BODY[] {3}\r\nabc MODSEQ (9))\r\n",
    "* LIST (\\HasNoChildren) \"/\" INBOX\r\n",
    "* SEARCH 7 7 9\r\n",
    "+ go ahead\r\n",
};

void check(const Pattern& pattern, const Response& response) {
  const Bindings before{{"uid", "7"}, {"n", "3"}, {"s", "\\Seen"}};
  Bindings vars = before;
  const MatchOutcome m = match(pattern, response, vars);
  if (!m.ok) {
    require(!m.why.empty() && vars == before);
  } else {
    require(m.why.empty() && vars.size() >= before.size());
    for (const auto& [name, text] : before) require(vars.at(name) == text);
    for (const auto& [name, text] : vars) require(!name.empty());
  }
  Bindings again = before;
  const MatchOutcome m2 = match(pattern, response, again);  // deterministic
  require(m2.ok == m.ok && m2.why == m.why && again == vars);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = in.find('\n');
  const std::string_view text = in.substr(0, eol);
  std::string error;
  const auto pattern = parse_pattern(text, &error);
  if (!pattern) {
    require(!error.empty());
    return 0;
  }
  require(pattern->source == text);
  for (std::string_view wire : kResponses) {
    const ParseResult r = parse_response(wire);
    require(r.status == ParseStatus::complete);
    check(*pattern, r.response);
  }
  if (eol != std::string_view::npos) {
    const ParseResult r = parse_response(in.substr(eol + 1));
    if (r.status == ParseStatus::complete) check(*pattern, r.response);
  }
  return 0;
}
