// multipart/form-data bodies (RFC 7578), encoded as they are sent: a file part's content comes
// from a ByteSource in chunks and is never held whole.
//
// The boundary cannot occur in the data, by construction: candidates are "facteur-form-" and 24
// hex digits drawn from the seed (candidate k from SplitMix64 stream k), and a candidate is taken
// only when it occurs nowhere in any part: not in a part's content (each source is read once,
// streamed, by source_contains) nor in its name, file name or content type. RFC 2046 §5.1.1 asks
// only that the delimiter line not occur in a body part; no occurrence at all is stricter. A
// boundary is 37 characters of bchars (RFC 2046: at most 70).
//
// Each part: "--" boundary CRLF, Content-Disposition: form-data; name="…"[; filename="…"] CRLF,
// Content-Type CRLF (file parts only; default application/octet-stream), CRLF, content, CRLF; then
// "--" boundary "--" CRLF. Names and file names are UTF-8 as given (RFC 7578 §5.1.3), with '"', CR
// and LF written %22, %0D, %0A as HTML forms do (RFC 7578 §4.2 leaves the escaping to the sender).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/http/byte_source.hpp"

namespace facteur::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // a file part when set
  std::string content_type;             // file parts: "" = application/octet-stream
  SourceFactory content;
};

// Candidate k of a seed ("facteur-form-" + 24 lower-case hex digits).
std::string boundary_candidate(std::uint64_t seed, unsigned k);
// The first candidate that occurs nowhere in `parts`; throws std::runtime_error after 64 tries.
std::string choose_boundary(const std::vector<FormPart>& parts, std::uint64_t seed);
// A name or file name as it goes between the quotes of Content-Disposition.
std::string quote_disposition(std::string_view value);

class MultipartEncoder {
 public:
  MultipartEncoder(std::vector<FormPart> parts, std::uint64_t seed);
  const std::string& boundary() const { return boundary_; }
  std::string content_type() const { return "multipart/form-data; boundary=" + boundary_; }
  std::uint64_t size() const { return size_; }  // exact, computed without reading the content
  // The next octets of the body (at most `max`, at least 1 until the end); "" at the end.
  std::string next(std::size_t max);

 private:
  struct Segment {
    std::string text;        // framing
    SourceFactory content;   // or a part's content
  };
  std::string boundary_;
  std::vector<Segment> segments_;
  std::uint64_t size_ = 0;
  std::size_t at_ = 0;       // segment being read
  std::size_t text_at_ = 0;  // offset in a text segment
  std::unique_ptr<ByteSource> open_;
};

// A parsed multipart/form-data part (for tests and the fuzz round trip; small bodies only).
struct DecodedPart {
  std::string headers;  // the header block, CRLF-separated, without the blank line
  std::string content;
};
// Strict: the body must be exactly what MultipartEncoder writes with `boundary`; nullopt otherwise.
std::optional<std::vector<DecodedPart>> multipart_decode(std::string_view body, std::string_view boundary);

}  // namespace facteur::http
