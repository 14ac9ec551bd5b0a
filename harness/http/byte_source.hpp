// Request bodies that are produced as they are sent, never held whole: a body of any size (a seeded
// upload of 1 GiB) is read from a source in chunks. A factory makes a fresh source from the start
// again (the multipart encoder reads every part once to choose its boundary, then once to send).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace facteur::http {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;                 // total octets, known in advance
  virtual std::size_t read(char* out, std::size_t max) = 0;  // 0 at the end
};
using SourceFactory = std::function<std::unique_ptr<ByteSource>()>;

SourceFactory text_source(std::string text);
// `size` octets of SplitMix64 output for `seed`, the same octets as scenario::attachment_bytes(seed,
// 0, size) (8 octets per draw, least significant first), so a receiver can regenerate them.
SourceFactory seeded_source(std::uint64_t seed, std::uint64_t size);

// Whether `needle` occurs in what `source` yields, reading it in chunks (a match across two chunks
// is found: the last needle.size()-1 octets are carried over).
bool source_contains(ByteSource& source, std::string_view needle);

}  // namespace facteur::http
