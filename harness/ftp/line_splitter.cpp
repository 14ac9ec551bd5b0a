// LineSplitter: CRLF lines out of a data connection's chunks, with limits.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "harness/ftp/listing.hpp"

namespace facteur::ftp {

LineSplitter::LineSplitter(ListingLimits limits) : limits_(limits) {}

bool LineSplitter::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

bool LineSplitter::feed(std::string_view chunk, std::vector<std::string>& lines) {
  if (!error_.empty()) return false;
  std::size_t pos = 0;
  while (pos < chunk.size()) {
    // An octet after the last line allowed: another line, or an unterminated one.
    if (line_count_ == limits_.max_lines) return fail(fmt::format("listing has more than {} lines", limits_.max_lines));
    const std::size_t line_no = line_count_ + 1;
    // The LF must come within the octets this line has left (partial_ < max_line holds).
    const std::size_t end = std::min(chunk.size(), pos + (limits_.max_line - partial_.size()));
    const void* hit = std::memchr(chunk.data() + pos, '\n', end - pos);
    if (hit == nullptr) {
      partial_.append(chunk.substr(pos, end - pos));
      if (partial_.size() >= limits_.max_line) {
        return fail(fmt::format("listing line {} exceeds {} octets", line_no, limits_.max_line));
      }
      return true;
    }
    const auto lf = static_cast<std::size_t>(static_cast<const char*>(hit) - chunk.data());
    const bool cr = lf > pos ? chunk[lf - 1] == '\r' : !partial_.empty() && partial_.back() == '\r';
    if (!cr) return fail(fmt::format("bare LF in listing line {}", line_no));
    if (partial_.empty()) {
      lines.emplace_back(chunk.substr(pos, lf - 1 - pos));  // the whole line in this chunk: one copy
    } else {
      partial_.append(chunk.substr(pos, lf - pos));
      partial_.pop_back();  // its CR
      lines.push_back(std::move(partial_));
      partial_.clear();
    }
    ++line_count_;
    pos = lf + 1;
  }
  return true;
}

bool LineSplitter::finish() {
  if (!error_.empty()) return false;
  if (!partial_.empty()) {
    return fail(fmt::format("listing line {} has no CRLF at the end of the data", line_count_ + 1));
  }
  return true;
}

}  // namespace facteur::ftp
