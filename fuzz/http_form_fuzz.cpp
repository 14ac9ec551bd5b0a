// Fuzzes the pure parts of the HTTP form dialect, checking properties, not just crashes:
//  - HTML input extraction: never crashes; a value found in a page is found the same in the page
//    with a comment put in front; input_value(page of one <input name=N value=V> with V written as
//    character references) == V.
//  - multipart encoding: the data split into fields and a file part round-trips through
//    multipart_decode, the boundary occurs nowhere in the data, and size() is exact.
//  - form urlencoding and chunked coding round-trip.
//
// Input: the first octet picks the split points (low 4 bits: number of parts); the rest is data.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/http/chunked.hpp"
#include "harness/http/form_urlencoded.hpp"
#include "harness/http/html_fields.hpp"
#include "harness/http/multipart.hpp"

namespace {

using namespace facteur::http;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

std::string as_references(std::string_view v) {
  std::string out;
  for (unsigned char c : v) out += "&#" + std::to_string(c < 0x80 ? c : 0x41) + ";";
  return out;
}

std::string ascii_of(std::string_view v) {
  std::string out;
  for (unsigned char c : v) out += static_cast<char>(c < 0x80 && c != 0 ? c : 0x41);
  return out;
}

void html(std::string_view data) {
  const auto direct = input_value(data, "t");
  const std::string commented = "<!-- <input name=t value=decoy> -->" + std::string(data);
  require(input_value(commented, "t") == direct);
  // A value written as numeric references decodes to itself (NUL is U+FFFD: left out).
  const std::string value = ascii_of(data.substr(0, 64));
  const std::string page = "<p>x</p><input type=hidden name=\"t\" value=\"" + as_references(value) + "\">";
  require(input_value(page, "t") == value);
}

void multipart(std::string_view data, unsigned parts_wanted) {
  std::vector<FormPart> parts;
  std::vector<std::string> contents;
  const std::size_t n = parts_wanted % 5 + 1;
  const std::size_t each = data.size() / n;
  for (std::size_t i = 0; i < n; ++i) {
    std::string content(data.substr(i * each, i + 1 == n ? std::string_view::npos : each));
    contents.push_back(content);
    FormPart p{"f" + std::to_string(i), std::nullopt, "", text_source(content)};
    if (i % 2 == 1) p.filename = "file" + std::to_string(i) + ".bin";
    parts.push_back(std::move(p));
  }
  MultipartEncoder e(parts, data.size());
  std::string body;
  for (std::string piece; !(piece = e.next(1 + data.size() % 97)).empty();) body += piece;
  require(body.size() == e.size());
  for (const auto& c : contents) require(c.find(e.boundary()) == std::string::npos);
  const auto decoded = multipart_decode(body, e.boundary());
  require(decoded.has_value() && decoded->size() == contents.size());
  for (std::size_t i = 0; i < contents.size(); ++i) require((*decoded)[i].content == contents[i]);
}

void codings(std::string_view data) {
  const FieldList fields{{std::string(data.substr(0, data.size() / 2)), std::string(data.substr(data.size() / 2))}};
  require(form_urldecode(form_urlencode(fields)) == fields);
  std::string wire;
  for (std::size_t k = 0; k < data.size(); k += 7) wire += encode_chunk(data.substr(k, 7));
  wire += kLastChunk;
  require(decode_chunked(wire) == std::string(data));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  html(data);
  multipart(data, bytes[0] & 0x0F);
  codings(data);
  return 0;
}
