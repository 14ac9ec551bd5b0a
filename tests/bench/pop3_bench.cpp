// Throughput of the POP3 response framer (bytes/s): a 1 MiB RETR parsed in one shot and fed in
// 16 KiB reads as a session would, a 1000-line LIST, and the capabilities of the lab's CAPA.
#include <benchmark/benchmark.h>

#include <string>

#include "harness/pop3/capa.hpp"
#include "harness/pop3/response.hpp"

namespace {

using namespace facteur::pop3;

// "+OK", 1 MiB of mail (header-ish lines, blank lines, stuffed leading dots), ".".
std::string retr_1mib() {
  static constexpr std::string_view kLines[] = {
      "Received: from client.lab.test (client.lab.test [192.0.2.10]) by mail.lab.test\r\n",
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\r\n",
      "..a line that starts with a dot and was stuffed\r\n",
      "\r\n",
      "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\r\n"};
  std::string wire = "+OK 1048576 octets\r\n";
  for (std::size_t i = 0; wire.size() < (1u << 20); ++i) wire += kLines[i % std::size(kLines)];
  return wire + ".\r\n";
}

std::string list_1000() {
  std::string wire = "+OK 1000 messages:\r\n";
  for (int i = 1; i <= 1000; ++i) wire += std::to_string(i) + " " + std::to_string(500 + i * 7) + "\r\n";
  return wire + ".\r\n";
}

void parse(benchmark::State& state, const std::string& wire) {
  for (auto _ : state) {
    auto r = parse_response(wire, true);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseRetr1MiBOneShot(benchmark::State& state) { parse(state, retr_1mib()); }

// The buffer grows by 16 KiB per feed, as reads would fill it: each octet is scanned once.
void BM_FeedRetr1MiB16KiBSteps(benchmark::State& state) {
  const std::string wire = retr_1mib();
  constexpr std::size_t step = 16 * 1024;
  for (auto _ : state) {
    ResponseFramer framer(true);
    ParseResult r;
    for (std::size_t k = step;; k += step) {
      r = framer.feed(std::string_view(wire).substr(0, std::min(k, wire.size())));
      if (r.status != ParseStatus::need_more) break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseList1000Lines(benchmark::State& state) { parse(state, list_1000()); }

// The lab's Dovecot answering CAPA: framing, then the capability grammar of RFC 2449 §3.
constexpr std::string_view kCapa =
    "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\n"
    "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\r\n.\r\n";

void BM_ParseCapa(benchmark::State& state) {
  for (auto _ : state) {
    const ParseResult r = parse_response(kCapa, true);
    benchmark::DoNotOptimize(parse_capa(r.response));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kCapa.size()));
}

BENCHMARK(BM_ParseRetr1MiBOneShot);
BENCHMARK(BM_FeedRetr1MiB16KiBSteps);
BENCHMARK(BM_ParseList1000Lines);
BENCHMARK(BM_ParseCapa);

}  // namespace
