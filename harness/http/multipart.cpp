#include "harness/http/multipart.hpp"

#include <fmt/format.h>

#include "harness/scenario/seeded_content.hpp"

namespace facteur::http {

std::string boundary_candidate(std::uint64_t seed, unsigned k) {
  scenario::SplitMix64 rng = scenario::stream(seed, scenario::Stream::boundary, k);
  const std::uint64_t a = rng.next(), b = rng.next();
  return fmt::format("facteur-form-{:016x}{:08x}", a, static_cast<std::uint32_t>(b));
}

std::string quote_disposition(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '"') out += "%22";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out.push_back(c);
  }
  return out;
}

namespace {
std::string part_head(const std::string& boundary, const FormPart& p) {
  std::string head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quote_disposition(p.name) + "\"";
  if (p.filename) {
    head += "; filename=\"" + quote_disposition(*p.filename) + "\"\r\nContent-Type: ";
    head += p.content_type.empty() ? "application/octet-stream" : p.content_type;
  }
  head += "\r\n\r\n";
  return head;
}

bool occurs_in(const FormPart& p, const std::string& candidate) {
  if (p.name.find(candidate) != std::string::npos) return true;
  if (p.filename && p.filename->find(candidate) != std::string::npos) return true;
  if (p.content_type.find(candidate) != std::string::npos) return true;
  auto source = p.content();
  return source_contains(*source, candidate);
}
}  // namespace

std::string choose_boundary(const std::vector<FormPart>& parts, std::uint64_t seed) {
  for (unsigned k = 0; k < 64; ++k) {
    std::string candidate = boundary_candidate(seed, k);
    bool clash = false;
    for (const auto& p : parts) {
      if (occurs_in(p, candidate)) {
        clash = true;
        break;
      }
    }
    if (!clash) return candidate;
  }
  throw std::runtime_error("multipart: no boundary candidate is absent from the data (64 tried)");
}

MultipartEncoder::MultipartEncoder(std::vector<FormPart> parts, std::uint64_t seed)
    : boundary_(choose_boundary(parts, seed)) {
  std::string pending;
  for (auto& p : parts) {
    pending += part_head(boundary_, p);
    segments_.push_back(Segment{std::move(pending), {}});
    pending.clear();
    size_ += segments_.back().text.size() + p.content()->size();
    segments_.push_back(Segment{{}, std::move(p.content)});
    pending = "\r\n";
  }
  pending += "--" + boundary_ + "--\r\n";
  size_ += pending.size();
  segments_.push_back(Segment{std::move(pending), {}});
}

std::string MultipartEncoder::next(std::size_t max) {
  std::string out;
  while (at_ < segments_.size() && out.size() < max) {
    Segment& seg = segments_[at_];
    if (seg.content) {
      if (!open_) open_ = seg.content();
      const std::size_t before = out.size();
      out.resize(max);
      const std::size_t got = open_->read(out.data() + before, max - before);
      out.resize(before + got);
      if (got == 0) {
        open_.reset();
        ++at_;
      }
    } else {
      const std::size_t n = std::min(max - out.size(), seg.text.size() - text_at_);
      out.append(seg.text, text_at_, n);
      text_at_ += n;
      if (text_at_ == seg.text.size()) {
        text_at_ = 0;
        ++at_;
      }
    }
  }
  return out;
}

std::optional<std::vector<DecodedPart>> multipart_decode(std::string_view body, std::string_view boundary) {
  const std::string first = "--" + std::string(boundary) + "\r\n";
  const std::string delimiter = "\r\n--" + std::string(boundary);
  if (body.substr(0, first.size()) != first) {
    // No part at all: only the close delimiter.
    if (body == "--" + std::string(boundary) + "--\r\n") return std::vector<DecodedPart>{};
    return std::nullopt;
  }
  std::vector<DecodedPart> parts;
  std::size_t at = first.size();
  for (;;) {
    const std::size_t blank = body.find("\r\n\r\n", at);
    if (blank == std::string_view::npos) return std::nullopt;
    DecodedPart part;
    part.headers = std::string(body.substr(at, blank - at));
    const std::size_t content_at = blank + 4;
    const std::size_t end = body.find(delimiter, content_at);
    if (end == std::string_view::npos) return std::nullopt;
    part.content = std::string(body.substr(content_at, end - content_at));
    parts.push_back(std::move(part));
    at = end + delimiter.size();
    if (body.substr(at) == "--\r\n") return parts;
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
  }
}

}  // namespace facteur::http
