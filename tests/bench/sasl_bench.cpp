// SASL costs: base64 over 64 KiB (bytes/s) and one full SCRAM-SHA-256 client exchange at i=4096,
// which is dominated by PBKDF2 and bounds how fast a load run can authenticate.
#include <benchmark/benchmark.h>

#include <string>

#include "harness/sasl/mechanism.hpp"

namespace {

using namespace facteur::sasl;

std::string bytes_64k() {
  std::string raw(64 * 1024, '\0');
  for (std::size_t k = 0; k < raw.size(); ++k) raw[k] = static_cast<char>((k * 131 + 7) & 0xFF);
  return raw;
}

void BM_Base64Encode64K(benchmark::State& state) {
  const std::string raw = bytes_64k();
  for (auto _ : state) benchmark::DoNotOptimize(base64_encode(raw));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(raw.size()));
}
BENCHMARK(BM_Base64Encode64K);

void BM_Base64Decode64K(benchmark::State& state) {
  const std::string raw = bytes_64k();
  const std::string text = base64_encode(raw);
  for (auto _ : state) benchmark::DoNotOptimize(base64_decode(text));
  // Counted in decoded bytes, the same unit as the encoder.
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(raw.size()));
}
BENCHMARK(BM_Base64Decode64K);

// RFC 7677 §3 exchange: client-first, client-final (PBKDF2 4096 rounds), server signature check.
void BM_ScramSha256Exchange4096(benchmark::State& state) {
  for (auto _ : state) {
    auto scram = make_mechanism("SCRAM-SHA-256", {.authcid = "user", .password = "pencil"},
                                [] { return std::string("rOprNGfwEbeRWgbNEkqO"); });
    benchmark::DoNotOptimize(scram->initial_response());
    benchmark::DoNotOptimize(scram->step(
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
    if (!scram->verify_success("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=").empty()) {
      state.SkipWithError("server signature did not verify");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ScramSha256Exchange4096)->Unit(benchmark::kMillisecond);

}  // namespace
