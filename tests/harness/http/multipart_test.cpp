// multipart/form-data bodies (RFC 7578): framing, exact size, a boundary that occurs nowhere in
// the data (even when the data holds the first candidates, and across read chunks), every read
// size giving the same octets, seeded file parts streamed.
#include <gtest/gtest.h>

#include "harness/http/multipart.hpp"
#include "harness/scenario/seeded_content.hpp"

namespace facteur::http {
namespace {

FormPart field(std::string name, std::string value) { return FormPart{std::move(name), std::nullopt, "", text_source(std::move(value))}; }

std::string drain(MultipartEncoder& e, std::size_t max) {
  std::string out;
  for (std::string piece; !(piece = e.next(max)).empty();) {
    EXPECT_LE(piece.size(), max);
    out += piece;
  }
  return out;
}

// A source that yields one octet per read (matches must be found across reads).
class Trickle : public ByteSource {
 public:
  explicit Trickle(std::string s) : s_(std::move(s)) {}
  std::uint64_t size() const override { return s_.size(); }
  std::size_t read(char* out, std::size_t max) override {
    if (at_ == s_.size() || max == 0) return 0;
    *out = s_[at_++];
    return 1;
  }

 private:
  std::string s_;
  std::size_t at_ = 0;
};

TEST(Multipart, Framing) {
  MultipartEncoder e({field("name", "Zoë"), FormPart{"file", "a \"b\".txt", "text/plain", text_source("hi\r\n")}}, 1);
  const std::string b = e.boundary();
  EXPECT_EQ(b.size(), 37u);
  EXPECT_EQ(e.content_type(), "multipart/form-data; boundary=" + b);
  const std::string body = drain(e, 1 << 16);
  EXPECT_EQ(body, "--" + b + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nZoë\r\n--" + b +
                      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.txt\"\r\n"
                      "Content-Type: text/plain\r\n\r\nhi\r\n\r\n--" + b + "--\r\n");
  EXPECT_EQ(body.size(), MultipartEncoder({field("name", "Zoë"), FormPart{"file", "a \"b\".txt", "text/plain", text_source("hi\r\n")}}, 1).size());
}

TEST(Multipart, NamesEscaped) {
  EXPECT_EQ(quote_disposition("a\"b\r\nc"), "a%22b%0D%0Ac");
}

TEST(Multipart, BoundaryInTheDataIsNotChosen) {
  const std::string first = boundary_candidate(7, 0), second = boundary_candidate(7, 1);
  EXPECT_NE(first, second);
  MultipartEncoder plain({field("x", "data")}, 7);
  EXPECT_EQ(plain.boundary(), first);
  // The data holds the first candidate (as a delimiter line even): the second is taken.
  MultipartEncoder clash({field("x", "a\r\n--" + first + "--\r\n")}, 7);
  EXPECT_EQ(clash.boundary(), second);
  // In a part's name or file name too.
  EXPECT_EQ(choose_boundary({FormPart{first, std::nullopt, "", text_source("")}}, 7), second);
  EXPECT_EQ(choose_boundary({FormPart{"f", "x" + first, "", text_source("")}}, 7), second);
  // Both first candidates present: the third.
  EXPECT_EQ(choose_boundary({field("a", first), field("b", second)}, 7), boundary_candidate(7, 2));
  const auto body = [&] { MultipartEncoder e({field("x", "a\r\n--" + first + "--\r\n")}, 7); return drain(e, 100); }();
  const auto parts = multipart_decode(body, second);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].content, "a\r\n--" + first + "--\r\n");
}

// The candidate is found wherever it sits in the data, read one octet at a time.
TEST(Multipart, BoundarySearchAcrossReadsAtEveryOffset) {
  const std::string needle = boundary_candidate(3, 0);
  for (std::size_t at = 0; at < 70; ++at) {
    const std::string data = std::string(at, 'x') + needle + "yz";
    Trickle t(data);
    EXPECT_TRUE(source_contains(t, needle)) << at;
    Trickle cut(data.substr(0, at + needle.size() - 1));
    EXPECT_FALSE(source_contains(cut, needle)) << at;
  }
  auto big = text_source(std::string(200'000, 'q') + needle);
  EXPECT_TRUE(source_contains(*big(), needle));
}

TEST(Multipart, EveryReadSizeGivesTheSameBody) {
  std::vector<FormPart> parts{field("a", "1"), field("b", ""), FormPart{"f", "f.bin", "", seeded_source(5, 1000)}};
  MultipartEncoder whole(parts, 9);
  const std::string reference = drain(whole, 1 << 20);
  EXPECT_EQ(reference.size(), whole.size());
  for (std::size_t max = 1; max < 80; ++max) {
    MultipartEncoder e(parts, 9);
    EXPECT_EQ(drain(e, max), reference) << max;
  }
  const auto decoded = multipart_decode(reference, whole.boundary());
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 3u);
  EXPECT_EQ((*decoded)[2].content, scenario::attachment_bytes(5, 0, 1000));
  EXPECT_NE((*decoded)[2].headers.find("Content-Type: application/octet-stream"), std::string::npos);
}

TEST(Multipart, SeededPartOfAnySizeIsStreamed) {
  // 64 MiB are never held: the size is known up front, and the body is read 64 KiB at a time.
  const std::uint64_t size = 64ULL << 20;
  MultipartEncoder e({field("name", "x"), FormPart{"f", "big.bin", "", seeded_source(11, size)}}, 1);
  EXPECT_GT(e.size(), size);
  std::uint64_t total = 0;
  for (std::string piece; !(piece = e.next(64 * 1024)).empty();) total += piece.size();
  EXPECT_EQ(total, e.size());
}

TEST(Multipart, EmptyFormAndDecoderStrictness) {
  MultipartEncoder e({}, 2);
  const std::string body = drain(e, 10);
  EXPECT_EQ(body, "--" + e.boundary() + "--\r\n");
  EXPECT_EQ(multipart_decode(body, e.boundary())->size(), 0u);
  EXPECT_FALSE(multipart_decode("--b\r\nX: y\r\n\r\ndata", "b"));
  EXPECT_FALSE(multipart_decode("--b\r\nX: y\r\n\r\ndata\r\n--b--\r\nextra", "b"));
}

}  // namespace
}  // namespace facteur::http
