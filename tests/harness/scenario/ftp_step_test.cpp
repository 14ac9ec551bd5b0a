// The FTP step options (s4-format.md) as the loader reads them, and the pure pieces they use:
// human sizes ("1 GiB") and the seeded stream that uploads and downloads regenerate from any offset.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/scenario/octet_size.hpp"
#include "harness/scenario/seeded_stream.hpp"
#include "tests/harness/scenario/loader_test_support.hpp"

namespace facteur::scenario {
namespace {
using namespace loader_testing;

TEST(OctetSize, ReadsNumbersAndUnits) {
  EXPECT_EQ(parse_octet_size("0"), 0U);
  EXPECT_EQ(parse_octet_size("1048576"), 1048576U);
  EXPECT_EQ(parse_octet_size("1 GiB"), 1ULL << 30);
  EXPECT_EQ(parse_octet_size("1GiB"), 1ULL << 30);
  EXPECT_EQ(parse_octet_size("512 KiB"), 512U * 1024);
  EXPECT_EQ(parse_octet_size("10 MiB"), 10U * 1024 * 1024);
  EXPECT_EQ(parse_octet_size("2 TiB"), 2ULL << 40);
  EXPECT_EQ(parse_octet_size("100 kB"), 100000U);
  EXPECT_EQ(parse_octet_size("100 KB"), 100000U);
  EXPECT_EQ(parse_octet_size("3 MB"), 3000000U);
  EXPECT_EQ(parse_octet_size("1 GB"), 1000000000U);
  EXPECT_EQ(parse_octet_size("7 B"), 7U);
}

TEST(OctetSize, RefusesWhatIsNotASize) {
  for (const char* bad : {"", " 1", "-1", "1.5 GiB", "1 gib", "1 Gib", "GiB", "1  GiB x", "1 GiB ", "10 ", "1 KIB",
                          "0x10", "18446744073709551616", "16777216 TiB", "1,000"}) {
    EXPECT_FALSE(parse_octet_size(bad).has_value()) << bad;
  }
  EXPECT_EQ(parse_octet_size("18446744073709551615"), 18446744073709551615ULL);
}

std::string stream_bytes(std::uint64_t seed, std::uint64_t offset, std::size_t n) {
  std::string out(n, '\0');
  SeededStream s(seed, offset);
  s.fill(out.data(), n);
  return out;
}

TEST(SeededStream, IsDeterministicAndDependsOnTheSeed) {
  EXPECT_EQ(stream_bytes(7, 0, 1000), stream_bytes(7, 0, 1000));
  EXPECT_NE(stream_bytes(7, 0, 64), stream_bytes(8, 0, 64));
  // Not a constant or a short cycle: the 256 values of an octet all show up in 64 KiB.
  const std::string data = stream_bytes(1, 0, 65536);
  std::vector<bool> seen(256);
  for (unsigned char c : data) seen[c] = true;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 256);
}

TEST(SeededStream, AnyOffsetGivesTheSameOctetsAsReadingFromTheStart) {
  const std::string whole = stream_bytes(42, 0, 4096);
  for (std::uint64_t offset : {0U, 1U, 7U, 8U, 9U, 15U, 16U, 1000U, 4095U}) {
    EXPECT_EQ(stream_bytes(42, offset, 4096 - offset), whole.substr(offset)) << offset;
  }
  // A jump far into the stream (a REST at 1 GiB) costs nothing and agrees with chunked reading.
  SeededStream far(42, (1ULL << 30) - 3);
  std::string tail(11, '\0');
  far.fill(tail.data(), 11);
  EXPECT_EQ(tail, stream_bytes(42, (1ULL << 30) - 3, 11));
}

TEST(SeededStream, ChunksCutAnywhereGiveTheSameOctets) {
  const std::string whole = stream_bytes(3, 5, 300);
  for (std::size_t cut = 0; cut <= 300; ++cut) {
    SeededStream s(3, 5);
    std::string parts(300, '\0');
    s.fill(parts.data(), cut);
    s.fill(parts.data() + cut, 300 - cut);
    ASSERT_EQ(parts, whole) << cut;
    EXPECT_EQ(s.position(), 305U);
  }
}

TEST(SeededStream, CompareFindsTheFirstDifferentOctet) {
  std::string data = stream_bytes(9, 100, 10000);
  SeededStream same(9, 100);
  EXPECT_EQ(same.compare(data), data.size());
  data[5000] = static_cast<char>(data[5000] ^ 1);
  SeededStream other(9, 100);
  EXPECT_EQ(other.compare(data), 5000U);
  EXPECT_EQ(other.position(), 10100U);
  SeededStream shifted(9, 101);  // the data of offset 100 read as offset 101: wrong from the start
  EXPECT_LT(shifted.compare(std::string_view(data).substr(0, 64)), 8U);
}

TEST(FtpSteps, ReadsATransferWithEveryOption) {
  const auto steps = steps_of({
      R"({"connect": true})",
      R"({"starttls": {"protect": false}})",
      R"({"login": true})",
      R"({"ftp": "STOR ${d}/big.bin", "channel": "pasv", "upload": {"seeded": {"seed": 7, "size": "1 GiB"}}})",
      R"({"ftp": "RETR big.bin", "channel": "port", "abort_after": "64 KiB", "expect_intermediate": {"code": "150"},
          "download": {"seeded": {"seed": 7, "size": 10, "offset": "1 MiB"}, "size": 10, "sha256": "${h}",
                       "capture_sha256": "h2", "lines": ["^a"], "not_lines": "b", "line_count": 3, "contains": "c"},
          "expect": {"code": "226"}})",
      R"({"ftp": "LIST"})",
      R"({"ftp": "APPE a.txt", "channel": "eprt", "upload": {"text": "x\n"}})",
      R"({"quit": true})",
  }, "ftp");
  ASSERT_EQ(steps.size(), 8U);
  ASSERT_TRUE(steps[1].ftp);
  EXPECT_FALSE(steps[1].ftp->protect);
  EXPECT_EQ(steps[2].user, "${ftp_user}");
  EXPECT_EQ(steps[2].password, "${ftp_password}");
  ASSERT_TRUE(steps[3].ftp && steps[3].ftp->upload && steps[3].ftp->upload->seeded);
  EXPECT_EQ(steps[3].kind, StepKind::ftp);
  EXPECT_EQ(steps[3].text, "STOR ${d}/big.bin");
  EXPECT_EQ(steps[3].ftp->channel, FtpChannel::pasv);
  EXPECT_EQ(steps[3].ftp->upload->seeded->size, 1ULL << 30);
  const auto& retr = *steps[4].ftp;
  EXPECT_EQ(retr.channel, FtpChannel::port);
  EXPECT_EQ(retr.abort_after, 65536U);
  ASSERT_TRUE(retr.download && retr.download->seeded);
  EXPECT_EQ(retr.download->seeded->offset, 1U << 20);
  EXPECT_EQ(retr.download->size, 10U);
  EXPECT_EQ(retr.download->sha256, "${h}");
  EXPECT_EQ(retr.download->capture_sha256, "h2");
  EXPECT_EQ(retr.download->lines, std::vector<std::string>{"^a"});
  EXPECT_EQ(retr.download->not_lines, std::vector<std::string>{"b"});
  EXPECT_EQ(retr.download->line_count, 3);
  EXPECT_EQ(retr.download->contains, "c");
  EXPECT_TRUE(steps[4].expect_intermediate);
  EXPECT_TRUE(steps[4].expect);
  ASSERT_TRUE(steps[5].ftp);
  EXPECT_EQ(steps[5].ftp->channel, FtpChannel::epsv);  // the default
  EXPECT_FALSE(steps[5].ftp->download);
  EXPECT_EQ(steps[6].ftp->upload->text, "x\n");
}

TEST(FtpSteps, BadOptionsAreReportedWhereTheyAre) {
  auto error_of = [](const std::string& step) { return failure_of(with_steps({step}, "ftp")); };
  Failure f = error_of(R"({"ftp": "LIST", "channel": "passive"})");
  EXPECT_EQ(f.path, "$.steps[0].channel");
  EXPECT_EQ(f.message, "channel is pasv, epsv, port or eprt");
  f = error_of(R"({"ftp": "STOR a", "upload": {"seeded": {"seed": 1, "size": "3 furlongs"}}})");
  EXPECT_EQ(f.path, "$.steps[0].upload.seeded.size");
  f = error_of(R"({"ftp": "STOR a", "upload": {"text": "x", "seeded": {"seed": 1, "size": 1}}})");
  EXPECT_EQ(f.message, "an upload is either 'text' or 'seeded'");
  f = error_of(R"({"ftp": "RETR a", "upload": {"text": "x"}, "download": true})");
  EXPECT_EQ(f.message, "a transfer goes one way: give 'upload' or 'download', not both");
  f = error_of(R"({"ftp": "RETR a", "download": {"sha1": "x"}})");
  EXPECT_EQ(f.path, "$.steps[0].download.sha1");
  f = error_of(R"({"send": "RETR a", "channel": "pasv"})");
  EXPECT_EQ(f.path, "$.steps[0].channel");
  f = error_of(R"({"starttls": {"protect": false, "required": true}})");
  EXPECT_EQ(f.path, "$.steps[0].starttls.required");
  // FTP steps belong to FTP scenarios only.
  f = failure_of(with_steps({R"({"ftp": "LIST"})"}, "smtp"));
  EXPECT_EQ(f.message, "'ftp' is not a step of smtp scenarios");
}

}  // namespace
}  // namespace facteur::scenario
