// Fuzzes parse_response / ResponseFramer (and parse_capa, MaildropTracker on what they accept),
// checking properties, not just crashes.
//
// Input: the first octet says what the command expects, the rest is the server's answer.
// An odd first octet ('1') means a +OK is followed by a multi-line body (RETR, LIST, CAPA...), an
// even one ('0') means a single line (STAT, USER, LIST n...). Corpus files start with '1' or '0'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/pop3/capa.hpp"
#include "harness/pop3/maildrop.hpp"
#include "harness/pop3/response.hpp"

namespace {

using namespace facteur::pop3;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool same(const Response& a, const Response& b) {
  return a.kind == b.kind && a.text == b.text && a.code == b.code && a.multiline == b.multiline &&
         a.lines == b.lines && a.line_count == b.line_count && a.body_octets == b.body_octets &&
         a.wire_bytes == b.wire_bytes && a.body_hash == b.body_hash;
}

bool same(const ParseResult& a, const ParseResult& b) {
  return a.status == b.status && a.consumed == b.consumed && a.error == b.error &&
         (a.status != ParseStatus::complete || same(a.response, b.response));
}

// RFC 1939 §3 byte-stuffing of body lines, then the terminator. (smtp::dot_stuff would turn the
// bare CRs a body line may hold into line ends.)
std::string restuff(const Response& r) {
  std::string wire = "+OK\r\n";
  for (const auto& line : r.lines) {
    if (!line.empty() && line.front() == '.') wire += '.';
    wire += line;
    wire += "\r\n";
  }
  return wire + ".\r\n";
}

void check_body(const Response& r, bool multiline, const Limits& limits) {
  require(r.multiline == (multiline && r.kind == Response::Kind::ok));
  require(r.lines.size() <= limits.keep_lines && r.lines.size() <= r.line_count);
  require(r.body_octets <= limits.max_body);
  if (!r.multiline) {
    require(r.line_count == 0 && r.body_octets == 0 && r.body_hash == fnv1a64_basis);
    return;
  }
  if (!r.all_lines_kept()) return;
  std::size_t octets = 0;
  std::uint64_t hash = fnv1a64_basis;
  for (const auto& line : r.lines) {
    require(line.size() + 2 <= limits.max_line);
    require(line.find('\n') == std::string::npos);
    octets += line.size() + 2;
    hash = fnv1a64("\r\n", fnv1a64(line, hash));
  }
  require(octets == r.body_octets && hash == r.body_hash);
  // Stuffing the lines again gives the same body (a stuffed line may be one octet longer).
  Limits wider = limits;
  wider.max_line = limits.max_line + 1;
  const ParseResult again = parse_response(restuff(r), true, wider);
  require(again.status == ParseStatus::complete);
  require(again.response.lines == r.lines && again.response.body_octets == r.body_octets &&
          again.response.body_hash == r.body_hash);
}

void check_users(const Response& r) {
  std::string error;
  const auto caps = parse_capa(r, &error);
  require(caps.has_value() || !error.empty());
  if (caps) {
    for (const auto& [tag, params] : caps->tags) require(!tag.empty() && caps->has(tag));
    (void)caps->sasl_mechanisms();
    (void)caps->implementation();
    (void)caps->expire();
    (void)caps->login_delay();
  }
  MaildropTracker tracker;
  (void)tracker.observe("USER a", Response{});
  (void)tracker.observe("PASS b", Response{});
  for (const char* command : {"STAT", "LIST", "UIDL", "RETR 1", "TOP 1 0", "LIST 1", "UIDL 1", "DELE 1", "RETR 1",
                              "RSET", "LIST", "QUIT"}) {
    (void)tracker.observe(command, r);
  }
}

void check(std::string_view in, bool multiline, const Limits& limits, std::size_t probe) {
  const ParseResult r = parse_response(in, multiline, limits);
  require(r.consumed <= in.size());
  switch (r.status) {
    case ParseStatus::need_more:
      require(r.consumed == 0 && r.error.empty());
      break;
    case ParseStatus::error: {
      require(r.consumed == 0 && !r.error.empty());
      // Errors are reported once proven: more octets never change the verdict.
      const ParseResult longer = parse_response(std::string(in) + "\r\n.\r\n+OK\r\n", multiline, limits);
      require(longer.status == ParseStatus::error && longer.error == r.error);
      break;
    }
    case ParseStatus::complete: {
      require(r.consumed > 0 && r.response.wire_bytes == r.consumed);
      require(r.error.empty());
      const std::string_view exact = in.substr(0, r.consumed);
      require(same(parse_response(exact, multiline, limits), r));
      const std::size_t cuts[] = {r.consumed - 1, r.consumed / 2, probe % r.consumed};
      for (const std::size_t k : cuts) {
        require(parse_response(exact.substr(0, k), multiline, limits).status == ParseStatus::need_more);
      }
      check_body(r.response, multiline, limits);
      if (r.response.ok() && r.response.multiline) check_users(r.response);
      break;
    }
  }

  // The framer fed the buffer one octet at a time, and in steps, ends like the one-shot parse.
  for (const std::size_t step : {std::size_t{1}, 1 + probe % 64}) {
    ResponseFramer framer(multiline, limits);
    ParseResult fed;
    for (std::size_t k = 0;; k = std::min(in.size(), k + step)) {
      fed = framer.feed(in.substr(0, k));
      if (fed.status != ParseStatus::need_more || k == in.size()) break;
    }
    require(same(fed, r));
    require(same(framer.feed(in), r));  // a finished framer answers the same again
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool multiline = (data[0] & 1) != 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t probe = data[size - 1] * 31u + size;
  check(in, multiline, Limits{}, probe);
  check(in, multiline, Limits{64, 256, 4}, probe);  // tight limits reach the limit paths on short inputs
  return 0;
}
