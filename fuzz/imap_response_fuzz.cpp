// Fuzzes parse_response (and parse_values), checking properties, not just crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/imap/response.hpp"

namespace {

using namespace facteur::imap;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool same(const Response& a, const Response& b) {
  return a.kind == b.kind && a.tag == b.tag && a.status == b.status && a.number == b.number && a.name == b.name &&
         a.code == b.code && a.code_args == b.code_args && a.text == b.text && a.data == b.data &&
         a.literal_octets == b.literal_octets && a.wire_bytes == b.wire_bytes;
}

bool is_upper(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
  }
  return true;
}

struct Tally {
  std::size_t values = 0;
  std::size_t literal_octets = 0;
  bool has_literal = false;  // a literal value, or an atom whose section held one
};

// Depth of the deepest list (1 for a flat list) and the tally of everything inside.
std::size_t walk(const std::vector<Value>& values, const Limits& limits, Tally& t) {
  std::size_t depth = 0;
  for (const Value& v : values) {
    ++t.values;
    switch (v.kind) {
      case Value::Kind::list:
        depth = std::max(depth, 1 + walk(v.items, limits, t));
        break;
      case Value::Kind::string:
        if (v.literal) {
          t.has_literal = true;
          t.literal_octets += v.text.size();
          require(v.text.size() <= limits.max_literal);
        } else {
          require(v.text.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
        }
        break;
      case Value::Kind::atom:
      case Value::Kind::number:
        require(!v.text.empty());
        if (v.text.find('\n') != std::string::npos) t.has_literal = true;
        break;
      case Value::Kind::nil:
        break;
    }
    require(v.binary ? v.literal : true);
  }
  return depth;
}

std::string joined_wire(const std::vector<Value>& values) {
  std::string out;
  for (const Value& v : values) out += (out.empty() ? "" : " ") + v.wire();
  return out;
}

void check_values(std::string_view in) {
  std::string error;
  const auto values = parse_values(in, &error);
  if (!values) {
    require(!error.empty());
    return;
  }
  const auto again = parse_values(joined_wire(*values));
  require(again && *again == *values);
}

void check(std::string_view in, const Limits& limits, std::size_t probe) {
  const ParseResult r = parse_response(in, limits);
  require(r.consumed <= in.size());
  switch (r.status) {
    case ParseStatus::need_more:
      require(r.consumed == 0 && r.error.empty());
      require(in.size() < limits.max_response);
      break;
    case ParseStatus::error: {
      require(r.consumed == 0 && !r.error.empty());
      // Errors are reported once proven: more octets never change the verdict.
      const ParseResult longer = parse_response(std::string(in) + "\r\nA1 OK x\r\n", limits);
      require(longer.status == ParseStatus::error && longer.error == r.error);
      break;
    }
    case ParseStatus::complete: {
      const Response& resp = r.response;
      require(r.consumed > 0 && resp.wire_bytes == r.consumed && r.consumed <= limits.max_response);
      require(r.error.empty() && in.substr(r.consumed - 2, 2) == "\r\n");
      require(is_upper(resp.name) && is_upper(resp.status) && is_upper(resp.code));
      if (resp.kind == Response::Kind::tagged) {
        require(!resp.tag.empty() && (resp.status == "OK" || resp.status == "NO" || resp.status == "BAD"));
      }
      if (resp.is_status()) require(resp.data.empty() && resp.name == resp.status && !resp.number);
      if (!resp.is_status()) require(resp.code.empty() || resp.kind == Response::Kind::continuation);
      require(resp.text.find_first_of("\r\n") == std::string::npos);
      Tally tally;
      require(walk(resp.data, limits, tally) <= limits.max_depth);
      require(tally.values <= limits.max_values);
      require(tally.literal_octets <= resp.literal_octets);
      if (!tally.has_literal) {
        const auto again = parse_values(joined_wire(resp.data));
        require(again && *again == resp.data);
      }
      Tally code_tally;
      require(walk(resp.code_args, limits, code_tally) <= limits.max_depth && !code_tally.has_literal);
      (void)resp.items();
      // The exact response re-parses identically; any shorter prefix is still in flight.
      const std::string_view exact = in.substr(0, r.consumed);
      const ParseResult again = parse_response(exact, limits);
      require(again.status == ParseStatus::complete && again.consumed == r.consumed && same(again.response, resp));
      const std::size_t cuts[] = {r.consumed - 1, r.consumed / 2, probe % r.consumed};
      for (std::size_t k : cuts) require(parse_response(exact.substr(0, k), limits).status == ParseStatus::need_more);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t probe = size == 0 ? 0 : data[size - 1] * 31u + size;
  check(in, Limits{}, probe);
  check(in, Limits{64, 256, 1024, 4, 16}, probe);  // tight limits reach the limit paths on short inputs
  check_values(in.substr(0, in.find_first_of("\r\n")));
  return 0;
}
