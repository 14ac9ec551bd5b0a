// Throughput of the FTP parsers (bytes/s): the reply framer on a FEAT reply, a single line and a
// 512 KiB multi-line STAT reply (one shot and fed in 16 KiB reads), the MLSD parser on a 1 MiB
// listing (one shot and streamed in 16 KiB chunks), the TYPE A conversion both ways, and the reply
// texts parsed after framing: FEAT's features, PASV's and EPSV's data addresses.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "harness/ftp/data_address.hpp"
#include "harness/ftp/features.hpp"
#include "harness/ftp/listing.hpp"
#include "harness/ftp/reply.hpp"
#include "harness/ftp/type_a.hpp"

namespace {

using namespace facteur::ftp;

constexpr std::string_view kFeat =
    "211-Features:\r\n AUTH TLS\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n"
    " TVFS\r\n UTF8\r\n211 End\r\n";
constexpr std::string_view kTransferComplete = "226 Transfer complete.\r\n";
constexpr std::size_t kRead = 16 * 1024;

// STAT of a directory: a listing carried on the control connection (RFC 959 §4.1.3).
std::string stat_512kib() {
  std::string wire = "213-Status of /pub:\r\n";
  for (int i = 0; wire.size() < 512 * 1024; ++i) {
    wire += "-rw-r--r--    1 ftp      ftp        104857 Jan 01 12:00 file-" + std::to_string(i) + ".tar.gz\r\n";
  }
  return wire + "213 End of status\r\n";
}

std::string mlsd_1mib() {
  std::string data;
  for (int i = 0; data.size() < (1u << 20); ++i) {
    data += "type=file;size=" + std::to_string(1000 + i * 37) +
            ";modify=20260101120000;perm=adfrw;unique=803g1c2d" + std::to_string(i) +
            ";UNIX.mode=0644;UNIX.owner=ftp; report " + std::to_string(i) + ".txt\r\n";
  }
  return data;
}

std::string text_1mib() {
  static constexpr std::string_view kLines[] = {
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n", "\n",
      "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\n"};
  std::string text;
  for (std::size_t i = 0; text.size() < (1u << 20); ++i) text += kLines[i % std::size(kLines)];
  return text;
}

ReplyLimits big_limits() {
  ReplyLimits limits;
  limits.keep_lines = 1000000;
  return limits;
}

void frame(benchmark::State& state, std::string_view wire, const ReplyLimits& limits = {}) {
  for (auto _ : state) {
    auto r = parse_reply(wire, limits);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_FrameFeat(benchmark::State& state) { frame(state, kFeat); }
void BM_FrameSingleLine(benchmark::State& state) { frame(state, kTransferComplete); }
void BM_FrameStat512KiBOneShot(benchmark::State& state) { frame(state, stat_512kib(), big_limits()); }

// The buffer grows by 16 KiB per feed, as reads would fill it: each octet is looked at once.
void BM_FeedStat512KiB16KiBSteps(benchmark::State& state) {
  const std::string wire = stat_512kib();
  for (auto _ : state) {
    ReplyFramer framer(big_limits());
    ReplyParse r;
    for (std::size_t k = kRead;; k += kRead) {
      r = framer.feed(std::string_view(wire).substr(0, std::min(k, wire.size())));
      if (r.status != ParseStatus::need_more) break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseMlsd1MiBOneShot(benchmark::State& state) {
  const std::string data = mlsd_1mib();
  for (auto _ : state) {
    auto entries = parse_mlsd(data);
    benchmark::DoNotOptimize(entries);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void BM_StreamMlsd1MiB16KiBChunks(benchmark::State& state) {
  const std::string data = mlsd_1mib();
  for (auto _ : state) {
    MlsdParser parser;
    std::vector<Entry> entries;
    for (std::size_t k = 0; k < data.size(); k += kRead) {
      parser.feed(std::string_view(data).substr(k, kRead), entries);
      entries.clear();  // a reader hands each batch on
    }
    benchmark::DoNotOptimize(parser.finish());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void BM_SplitList1MiB(benchmark::State& state) {
  const std::string data = stat_512kib() + stat_512kib();
  for (auto _ : state) {
    auto lines = split_lines(data);
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void BM_TypeAEncode1MiB(benchmark::State& state) {
  const std::string text = text_1mib();
  std::string wire;
  for (auto _ : state) {
    wire.clear();
    type_a_encode(text, wire);
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_TypeADecode1MiB16KiBChunks(benchmark::State& state) {
  std::string wire;
  type_a_encode(text_1mib(), wire);
  std::string text;
  for (auto _ : state) {
    text.clear();
    TypeADecoder decoder;
    for (std::size_t k = 0; k < wire.size(); k += kRead) decoder.feed(std::string_view(wire).substr(k, kRead), text);
    decoder.finish(text);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

// From a framed reply to what the session uses of it.
template <auto Parse>
void parse_framed(benchmark::State& state, std::string_view wire) {
  const Reply reply = parse_reply(wire).reply;
  for (auto _ : state) benchmark::DoNotOptimize(Parse(reply));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ParseFeat(benchmark::State& state) { parse_framed<parse_feat>(state, kFeat); }
void BM_ParsePasv(benchmark::State& state) {
  parse_framed<parse_pasv>(state, "227 Entering Passive Mode (127,0,0,1,82,24).\r\n");
}
void BM_ParseEpsv(benchmark::State& state) {
  parse_framed<parse_epsv>(state, "229 Entering Extended Passive Mode (|||21017|)\r\n");
}

BENCHMARK(BM_FrameFeat);
BENCHMARK(BM_FrameSingleLine);
BENCHMARK(BM_FrameStat512KiBOneShot);
BENCHMARK(BM_FeedStat512KiB16KiBSteps);
BENCHMARK(BM_ParseMlsd1MiBOneShot);
BENCHMARK(BM_StreamMlsd1MiB16KiBChunks);
BENCHMARK(BM_SplitList1MiB);
BENCHMARK(BM_TypeAEncode1MiB);
BENCHMARK(BM_TypeADecode1MiB16KiBChunks);
BENCHMARK(BM_ParseFeat);
BENCHMARK(BM_ParsePasv);
BENCHMARK(BM_ParseEpsv);

}  // namespace
