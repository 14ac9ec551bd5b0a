// Throughput of the IMAP response parser (bytes/s), the same function the unit tests and the
// fuzzer exercise: a FETCH BODY[] carrying 1 MiB, a burst of 100 FETCH FLAGS, a SELECT exchange;
// and the expected-response patterns of scenarios, parsed and matched against that burst.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "harness/imap/pattern.hpp"
#include "harness/imap/response.hpp"

namespace {

using namespace facteur::imap;

constexpr std::string_view kSelect =
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.\r\n"
    "* 1502 EXISTS\r\n"
    "* 0 RECENT\r\n"
    "* OK [UNSEEN 1] First unseen.\r\n"
    "* OK [UIDVALIDITY 1795674980] UIDs valid\r\n"
    "* OK [UIDNEXT 1503] Predicted next UID\r\n"
    "* OK [HIGHESTMODSEQ 1362] Highest\r\n"
    "a20 OK [READ-WRITE] Select completed (0.013 + 0.000 + 0.012 secs).\r\n";

std::string fetch_body_1mib() {
  std::string body;
  for (std::size_t i = 0; body.size() < (1u << 20); ++i) {
    body += i % 7 == 0 ? "\r\n" : "Lorem ipsum dolor sit amet, (consectetur) {adipiscing} elit\r\n";
  }
  body.resize(1u << 20);
  return "* 1 FETCH (UID 1502 BODY[] {" + std::to_string(body.size()) + "}\r\n" + body + " FLAGS (\\Seen))\r\n";
}

std::string fetch_flags_burst() {
  std::string wire;
  for (int i = 1; i <= 100; ++i) {
    wire += "* " + std::to_string(i) + " FETCH (UID " + std::to_string(1000 + i) + " MODSEQ (" +
            std::to_string(5000 + i) + ") FLAGS (\\Seen \\Flagged $Forwarded))\r\n";
  }
  return wire;
}

// Parses every response of `wire` in turn, as a session reading a buffer would.
void parse_all(benchmark::State& state, std::string_view wire) {
  for (auto _ : state) {
    std::string_view rest = wire;
    while (!rest.empty()) {
      ParseResult r = parse_response(rest);
      if (r.status != ParseStatus::complete) {
        state.SkipWithError("response did not parse");
        return;
      }
      benchmark::DoNotOptimize(r.response.data.data());
      rest.remove_prefix(r.consumed);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseFetchBody1MiB(benchmark::State& state) { parse_all(state, fetch_body_1mib()); }
void BM_ParseFetchFlagsBurst100(benchmark::State& state) { parse_all(state, fetch_flags_burst()); }
void BM_ParseSelect(benchmark::State& state) { parse_all(state, kSelect); }

// Re-parsing a growing buffer while the literal arrives: need_more must not cost the literal.
void BM_NeedMoreHalfOfLiteral(benchmark::State& state) {
  const std::string wire = fetch_body_1mib();
  const std::string_view half = std::string_view(wire).substr(0, wire.size() / 2);
  for (auto _ : state) {
    ParseResult r = parse_response(half);
    benchmark::DoNotOptimize(r.status);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * half.size()));
}

// A scenario's expectation for each FETCH of the burst: unordered flags, extra items allowed.
constexpr std::string_view kFetchPattern = "* $n FETCH (FLAGS ($!unordered \\Seen $Forwarded \\Flagged) UID $uid)";

void BM_ParsePattern(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_pattern(kFetchPattern));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kFetchPattern.size()));
}

void BM_MatchFetchFlagsBurst100(benchmark::State& state) {
  const std::string wire = fetch_flags_burst();
  std::vector<Response> responses;
  for (std::string_view rest = wire; !rest.empty();) {
    ParseResult r = parse_response(rest);
    rest.remove_prefix(r.consumed);
    responses.push_back(std::move(r.response));
  }
  const Pattern pattern = *parse_pattern(kFetchPattern);
  for (auto _ : state) {
    for (const Response& response : responses) {
      Bindings vars;  // each response binds $n and $uid afresh
      if (!match(pattern, response, vars).ok) {
        state.SkipWithError("a FETCH did not match");
        return;
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

BENCHMARK(BM_ParseFetchBody1MiB);
BENCHMARK(BM_ParseFetchFlagsBurst100);
BENCHMARK(BM_ParseSelect);
BENCHMARK(BM_NeedMoreHalfOfLiteral);
BENCHMARK(BM_ParsePattern);
BENCHMARK(BM_MatchFetchFlagsBurst100);

}  // namespace
