#include "harness/http/byte_source.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "harness/scenario/seeded_stream.hpp"

namespace facteur::http {
namespace {

class TextSource : public ByteSource {
 public:
  explicit TextSource(std::shared_ptr<const std::string> text) : text_(std::move(text)) {}
  std::uint64_t size() const override { return text_->size(); }
  std::size_t read(char* out, std::size_t max) override {
    const std::size_t n = std::min(max, text_->size() - at_);
    std::memcpy(out, text_->data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::shared_ptr<const std::string> text_;
  std::size_t at_ = 0;
};

// Reads the stream word by word (scenario::SeededStream), not octet by octet.
class SeededSource : public ByteSource {
 public:
  SeededSource(std::uint64_t seed, std::uint64_t size) : stream_(seed, scenario::Stream::attachment, 0), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(char* out, std::size_t max) override {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(max, size_ - stream_.position()));
    stream_.fill(out, n);
    return n;
  }

 private:
  scenario::SeededStream stream_;
  std::uint64_t size_;
};

}  // namespace

SourceFactory text_source(std::string text) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  return [shared] { return std::make_unique<TextSource>(shared); };
}

SourceFactory seeded_source(std::uint64_t seed, std::uint64_t size) {
  return [seed, size] { return std::make_unique<SeededSource>(seed, size); };
}

bool source_contains(ByteSource& source, std::string_view needle) {
  if (needle.empty()) return true;
  constexpr std::size_t kChunk = 64 * 1024;
  std::vector<char> buffer(needle.size() - 1 + kChunk);
  std::size_t carried = 0;
  for (;;) {
    const std::size_t got = source.read(buffer.data() + carried, kChunk);
    if (got == 0) return false;
    const std::string_view window(buffer.data(), carried + got);
    if (window.find(needle) != std::string_view::npos) return true;
    carried = std::min(window.size(), needle.size() - 1);
    std::memmove(buffer.data(), window.data() + window.size() - carried, carried);
  }
}

}  // namespace facteur::http
