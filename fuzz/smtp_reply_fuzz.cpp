// Fuzzes parse_reply (and parse_ehlo on what it accepts), checking properties, not just crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/smtp/ehlo.hpp"
#include "harness/smtp/reply.hpp"

namespace {

using namespace facteur::smtp;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool same(const Reply& a, const Reply& b) {
  return a.code == b.code && a.lines == b.lines && a.enhanced == b.enhanced &&
         a.wire_bytes == b.wire_bytes;
}

void check_ehlo(const Reply& reply) {
  std::string error;
  const auto ext = parse_ehlo(reply, &error);
  if (!ext) {
    require(!error.empty());
    return;
  }
  require(ext->keywords.size() < reply.lines.size());
  for (const auto& [keyword, params] : ext->keywords) {
    require(!keyword.empty() && ext->has(keyword) && ext->params(keyword) == &params);
    for (char c : keyword) require(!(c >= 'a' && c <= 'z'));
    for (const auto& p : params) require(!p.empty() && p.find(' ') == std::string::npos);
  }
  (void)ext->size_limit();
  require(ext->auth_mechanisms().size() == (ext->has("AUTH") ? ext->params("AUTH")->size() : 0));
}

void check(std::string_view in, const ReplyLimits& limits, std::size_t probe) {
  const ReplyParse r = parse_reply(in, limits);
  require(r.consumed <= in.size());
  switch (r.status) {
    case ParseStatus::need_more:
      require(r.consumed == 0 && r.error.empty());
      require(in.size() < limits.max_reply);
      break;
    case ParseStatus::error: {
      require(r.consumed == 0 && !r.error.empty());
      // Errors are reported once proven: more octets never change the verdict.
      const ReplyParse longer = parse_reply(std::string(in) + "\r\n250 ok\r\n", limits);
      require(longer.status == ParseStatus::error && longer.error == r.error);
      break;
    }
    case ParseStatus::complete: {
      const Reply& reply = r.reply;
      require(r.consumed > 0 && reply.wire_bytes == r.consumed && r.consumed <= limits.max_reply);
      require(reply.code >= 200 && reply.code <= 599);
      require(!reply.lines.empty() && reply.lines.size() <= limits.max_lines);
      for (const auto& line : reply.lines) require(line.size() < limits.max_line);
      require(reply.enhanced == parse_enhanced_code(reply.lines.front()));
      const std::string_view exact = in.substr(0, r.consumed);
      const ReplyParse again = parse_reply(exact, limits);
      require(again.status == ParseStatus::complete && again.consumed == r.consumed);
      require(same(again.reply, reply));
      // Any shorter prefix is still in flight.
      const std::size_t cuts[] = {r.consumed - 1, r.consumed / 2, probe % r.consumed};
      for (std::size_t k : cuts) require(parse_reply(exact.substr(0, k), limits).status == ParseStatus::need_more);
      if (reply.klass() == 2) check_ehlo(reply);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t probe = size == 0 ? 0 : data[size - 1] * 31u + size;
  check(in, ReplyLimits{}, probe);
  check(in, ReplyLimits{64, 8, 256}, probe);  // tight limits reach the limit paths on short inputs
  return 0;
}
