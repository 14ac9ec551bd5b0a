// Throughput of the SMTP parsers (replies, EHLO extensions) and the DATA codec (bytes/s), the same functions the unit tests
// and the fuzzers exercise.
#include <benchmark/benchmark.h>

#include <string>

#include "harness/smtp/dot_stuffing.hpp"
#include "harness/smtp/ehlo.hpp"
#include "harness/smtp/reply.hpp"

namespace {

using namespace facteur::smtp;

constexpr std::string_view kEhlo =
    "250-mail.lab.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-VRFY\r\n250-ETRN\r\n"
    "250-STARTTLS\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
    "250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";
constexpr std::string_view kQueued = "250 2.0.0 Ok: queued as 4XyZ1k2mQbz9\r\n";

void parse(benchmark::State& state, std::string_view wire) {
  for (auto _ : state) {
    auto r = parse_reply(wire);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseReplyEhlo12Lines(benchmark::State& state) { parse(state, kEhlo); }
void BM_ParseReplySingleLine(benchmark::State& state) { parse(state, kQueued); }

// The capabilities of the EHLO reply above (keywords upper-cased, parameters split, AUTH= folded).
void BM_ParseEhloExtensions(benchmark::State& state) {
  const Reply reply = parse_reply(kEhlo).reply;
  for (auto _ : state) benchmark::DoNotOptimize(parse_ehlo(reply));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kEhlo.size()));
}

// 1 MiB of mail: header-ish lines, some leading dots, blank lines.
std::string message_1mib() {
  static constexpr std::string_view kLines[] = {
      "Received: from client.lab.test (client.lab.test [192.0.2.10]) by mail.lab.test\r\n",
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\r\n",
      ".a line that starts with a dot and must be stuffed\r\n",
      "\r\n",
      "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\r\n"};
  std::string m;
  for (std::size_t i = 0; m.size() < (1u << 20); ++i) m += kLines[i % std::size(kLines)];
  m.resize(1u << 20);
  return m;
}

void BM_DotStuff1MiB(benchmark::State& state) {
  const std::string m = message_1mib();
  for (auto _ : state) {
    std::string wire = dot_stuff(m);
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * m.size()));
}

void BM_DotUnstuff1MiB(benchmark::State& state) {
  const std::string wire = dot_stuff(message_1mib());
  std::string body;
  body.reserve(wire.size());
  for (auto _ : state) {
    body.clear();
    DotUnstuffer u;
    auto step = u.feed(wire, body);
    benchmark::DoNotOptimize(step);
    benchmark::DoNotOptimize(body.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

BENCHMARK(BM_ParseReplyEhlo12Lines);
BENCHMARK(BM_ParseReplySingleLine);
BENCHMARK(BM_ParseEhloExtensions);
BENCHMARK(BM_DotStuff1MiB);
BENCHMARK(BM_DotUnstuff1MiB);

}  // namespace
