// NLST names, LIST lines and MLSD entries over the LineSplitter.
#include <fmt/format.h>

#include "harness/ftp/listing.hpp"

namespace facteur::ftp {

MlsdParser::MlsdParser(ListingLimits limits) : splitter_(limits) {}

bool MlsdParser::take(std::vector<Entry>& entries) {
  const std::size_t first = splitter_.line_count() - lines_.size() + 1;
  entries.reserve(entries.size() + lines_.size());
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    Parsed<Entry> entry = parse_entry(lines_[i]);
    if (!entry.ok()) {
      error_ = fmt::format("MLSD line {}: {}", first + i, entry.error);
      break;
    }
    entries.push_back(std::move(entry.value));
  }
  lines_.clear();
  return error_.empty();
}

bool MlsdParser::feed(std::string_view chunk, std::vector<Entry>& entries) {
  if (!error_.empty()) return false;
  const bool split = splitter_.feed(chunk, lines_);
  // The lines before a splitting error are entries all the same; the first error found wins.
  if (!take(entries)) return false;
  if (!split) error_ = splitter_.error();
  return split;
}

bool MlsdParser::finish() {
  if (!error_.empty()) return false;
  if (!splitter_.finish()) error_ = splitter_.error();
  return error_.empty();
}

Parsed<std::vector<std::string>> split_lines(std::string_view data, const ListingLimits& limits) {
  LineSplitter splitter(limits);
  std::vector<std::string> lines;
  if (!splitter.feed(data, lines) || !splitter.finish()) return Failure{splitter.error()};
  return lines;
}

Parsed<std::vector<std::string>> parse_nlst(std::string_view data, const ListingLimits& limits) {
  Parsed<std::vector<std::string>> names = split_lines(data, limits);
  for (std::size_t i = 0; names.ok() && i < names.value.size(); ++i) {
    if (names.value[i].empty()) return Failure{fmt::format("NLST line {} is empty, not a pathname", i + 1)};
  }
  return names;
}

Parsed<std::vector<Entry>> parse_mlsd(std::string_view data, const ListingLimits& limits) {
  MlsdParser parser(limits);
  std::vector<Entry> entries;
  if (!parser.feed(data, entries) || !parser.finish()) return Failure{parser.error()};
  return entries;
}

}  // namespace facteur::ftp
