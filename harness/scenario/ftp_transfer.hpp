// The FTP options of a step (s4-format.md): a data transfer's channel, what is uploaded, what the
// download is checked against, ABOR after N octets, and STARTTLS's PBSZ/PROT. One struct hung off
// Step, so the FTP reader lives in its own file (ftp_step_body.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace facteur::scenario {

// Deterministic octets (seeded_stream.hpp): `size` octets of the stream of `seed` from `offset`.
struct SeededData {
  std::uint64_t seed = 0;
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
};

enum class FtpChannel { epsv, pasv, port, eprt };
const char* to_string(FtpChannel);

struct FtpUpload {
  std::optional<std::string> text;      // a template, expanded when the step runs
  std::optional<SeededData> seeded;     // streamed, never held whole
};

struct FtpDownload {
  std::optional<SeededData> seeded;     // every octet compared with the regenerated stream
  std::optional<std::uint64_t> size;    // exact octet count (after TYPE A conversion)
  std::string sha256;                   // template: expected lower-case hex digest
  std::string capture_sha256;           // variable that receives the digest
  std::vector<std::string> lines;       // regular expressions (templates), each found in some line
  std::vector<std::string> not_lines;   // no line may match
  std::optional<int> line_count;        // exact number of lines
  std::string contains;                 // template: the data holds this text (first 1000 lines)
};

struct FtpTransfer {
  FtpChannel channel = FtpChannel::epsv;
  std::optional<FtpUpload> upload;
  std::optional<FtpDownload> download;
  std::optional<std::uint64_t> abort_after;  // send ABOR (urgent) after this many data octets
  bool protect = true;                       // starttls: PBSZ 0 + PROT P after the handshake
};

}  // namespace facteur::scenario
