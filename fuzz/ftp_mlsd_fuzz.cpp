// Fuzzes what is read off the FTP data connection: MLSD entries, LIST lines, NLST names (one-shot
// and streaming in chunks), a lone entry, a time-val, and the TYPE A round trip, checking
// properties, not just crashes.
//
// Input: the first octet picks the chunk size (1 + its low 6 bits) and, with its top bit, tight
// limits; the rest is the data connection's octets.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ftp/facts.hpp"
#include "harness/ftp/listing.hpp"
#include "harness/ftp/time_val.hpp"
#include "harness/ftp/type_a.hpp"

namespace {

using namespace facteur::ftp;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

void check_entry(const Entry& e) {
  require(parse_entry(e.str()).value == e);
  for (const auto& [name, value] : e.facts) {
    require(!name.empty() && e.fact(name) == &value);
    for (const char c : name) require(!(c >= 'A' && c <= 'Z') && c != ' ' && c != '=' && c != ';');
    require(value.find(';') == std::string::npos && value.find(' ') == std::string::npos);
  }
  const Parsed<TimeVal> modify = e.modify();
  if (modify.ok()) require(modify.value.str() == *e.fact("modify"));
}

// `reader` fed `data` in chunks of `step` octets, stopping at the first failing feed.
template <class Item, class Reader>
bool stream(Reader& reader, std::string_view data, std::size_t step, std::vector<Item>& items) {
  for (std::size_t k = 0; k < data.size(); k += step) {
    if (!reader.feed(data.substr(k, step), items)) return reader.finish();
  }
  return reader.finish();
}

void check_listings(std::string_view data, std::size_t step, const ListingLimits& limits) {
  // LIST lines: the one-shot split and the chunked one agree; the lines, CRLF-ended, are the data.
  const Parsed<std::vector<std::string>> lines = split_lines(data, limits);
  LineSplitter splitter(limits);
  std::vector<std::string> streamed;
  const bool ok = stream(splitter, data, step, streamed);
  require(ok == lines.ok() && splitter.error() == lines.error);
  require(lines.ok() ? streamed == lines.value : !lines.error.empty());
  if (lines.ok()) {
    require(lines.value.size() <= limits.max_lines);
    std::string joined;
    for (const auto& line : lines.value) {
      require(line.size() + 2 <= limits.max_line);
      joined += line + "\r\n";
    }
    require(joined == data);
  }
  // NLST: the same lines, none empty.
  const Parsed<std::vector<std::string>> names = parse_nlst(data, limits);
  bool any_empty = false;
  for (const auto& line : lines.value) any_empty = any_empty || line.empty();
  require(names.ok() == (lines.ok() && !any_empty));

  // MLSD: the one-shot parse and the chunked one agree, entry for entry.
  const Parsed<std::vector<Entry>> mlsd = parse_mlsd(data, limits);
  MlsdParser parser(limits);
  std::vector<Entry> entries;
  const bool mlsd_ok = stream(parser, data, step, entries);
  require(mlsd_ok == mlsd.ok() && parser.error() == mlsd.error);
  if (mlsd.ok()) {
    require(entries == mlsd.value && lines.ok() && entries.size() == lines.value.size());
    for (const Entry& e : entries) check_entry(e);
  }
}

void check_type_a(std::string_view data, std::size_t step) {
  // LF → CRLF → LF is the identity, whatever the text holds (lone CRs included), cut anywhere.
  std::string wire;
  type_a_encode(data, wire);
  require(wire.size() == type_a_encoded_size(data));
  for (std::size_t i = 0; i < wire.size(); ++i) require(wire[i] != '\n' || (i > 0 && wire[i - 1] == '\r'));
  TypeADecoder decoder;
  std::string back;
  for (std::size_t k = 0; k < wire.size(); k += step) decoder.feed(std::string_view(wire).substr(k, step), back);
  decoder.finish(back);
  require(back == data);
  // Decoding the input itself: the same in one piece and in chunks, never longer.
  TypeADecoder whole;
  std::string local;
  whole.feed(data, local);
  whole.finish(local);
  TypeADecoder chunked;
  std::string pieces;
  for (std::size_t k = 0; k < data.size(); k += step) chunked.feed(data.substr(k, step), pieces);
  chunked.finish(pieces);
  require(pieces == local && local.size() <= data.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + (data[0] & 63);
  const ListingLimits limits = (data[0] & 128) != 0 ? ListingLimits{32, 8} : ListingLimits{};
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_listings(in, step, limits);
  const Parsed<Entry> entry = parse_entry(in);
  if (entry.ok()) check_entry(entry.value);
  const Parsed<TimeVal> time = parse_time_val(in);
  if (time.ok()) require(time.value.str() == in && time.value.nanoseconds() < 1000000000u);
  check_type_a(in, step);
  return 0;
}
