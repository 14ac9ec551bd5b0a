// Fuzzes the FTP reply framer (parse_reply / ReplyFramer) and what is read out of the replies it
// frames (PASV, EPSV, 257, SIZE, MDTM, FEAT, MLST), plus the PORT / EPRT argument parsers and
// builders, checking properties, not just crashes.
#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/ftp/data_address.hpp"
#include "harness/ftp/facts.hpp"
#include "harness/ftp/features.hpp"
#include "harness/ftp/file_replies.hpp"
#include "harness/ftp/reply.hpp"

namespace {

using namespace facteur::ftp;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool same(const ReplyParse& a, const ReplyParse& b) {
  return a.status == b.status && a.consumed == b.consumed && a.error == b.error &&
         (a.status != ParseStatus::complete || a.reply == b.reply);
}

// The reply written back in the canonical form: "NNN-" on every line but the last, "NNN " there.
// Framing it again gives the same reply (but for wire_bytes: "NNN" CRLF becomes "NNN " CRLF).
void check_rewritten(const Reply& r, const ReplyLimits& limits) {
  if (!r.all_lines_kept()) return;
  const std::string code = std::to_string(r.code);
  std::string wire;
  for (std::size_t i = 0; i < r.lines.size(); ++i) wire += code + (i + 1 < r.lines.size() ? "-" : " ") + r.lines[i] + "\r\n";
  ReplyLimits wider = limits;
  wider.max_line = limits.max_line + 4;
  wider.max_reply = wire.size() + 1;
  const ReplyParse again = parse_reply(wire, wider);
  require(again.status == ParseStatus::complete && again.consumed == wire.size());
  require(again.reply.code == r.code && again.reply.lines == r.lines && again.reply.multiline == r.multiline);
}

void check_endpoint(const Endpoint& e) {
  require(e.family == Family::ipv4 && e.port != 0);
  const Parsed<std::string> port = format_port_argument(e);
  require(port.ok() && parse_port_argument(port.value).value == e);
  const Parsed<std::string> eprt = format_eprt_argument(e);
  require(eprt.ok() && parse_eprt_argument(eprt.value).value == e);
}

// What is read out of a reply: a value that holds its invariants, or a reason.
void check_readers(const Reply& r) {
  const Parsed<Endpoint> pasv = parse_pasv(r);
  if (pasv.ok()) check_endpoint(pasv.value);
  const Parsed<std::uint16_t> epsv = parse_epsv(r);
  require(!epsv.ok() || (r.code == 229 && epsv.value != 0));

  const Parsed<DirectoryName> dir = parse_directory(r);
  if (dir.ok()) {
    // Quoted again (doubling each quote), the name and commentary read the same.
    std::string quoted = "257 \"";
    for (const char c : dir.value.path) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\" " + dir.value.commentary + "\r\n";
    const ReplyParse again = parse_reply(quoted, ReplyLimits{quoted.size(), quoted.size(), 1});
    require(again.status == ParseStatus::complete);
    const Parsed<DirectoryName> back = parse_directory(again.reply);
    require(back.ok() && back.value.path == dir.value.path && back.value.commentary == dir.value.commentary);
  }

  const Parsed<std::uint64_t> size = parse_size(r);
  if (size.ok()) require(r.code == 213 && r.text().find_first_not_of("0123456789") == std::string::npos);
  const Parsed<TimeVal> mdtm = parse_mdtm(r);
  if (mdtm.ok()) {
    require(mdtm.value.str() == r.text());
    require(parse_time_val(mdtm.value.str()).value == mdtm.value);
  }

  const Parsed<Features> feat = parse_feat(r);
  require(feat.ok() || feat.value.labels.empty());
  for (const auto& [label, params] : feat.value.labels) {
    require(!label.empty() && feat.value.has(label) && feat.value.params(label) == &params);
    for (const char c : label) require(!(c >= 'a' && c <= 'z'));
  }
  for (const MlstFact& fact : feat.value.mlst_facts()) require(!fact.name.empty());

  const Parsed<std::vector<Entry>> mlst = parse_mlst(r);
  require(!mlst.ok() || !mlst.value.empty());
  for (const Entry& e : mlst.value) {
    require(e.path == mlst.value.front().path);
    require(parse_entry(e.str()).value == e);
  }
}

void check(std::string_view in, const ReplyLimits& limits, std::size_t probe) {
  const ReplyParse r = parse_reply(in, limits);
  require(r.consumed <= in.size());
  switch (r.status) {
    case ParseStatus::need_more:
      require(r.consumed == 0 && r.error.empty() && in.size() < limits.max_reply);
      break;
    case ParseStatus::error: {
      require(r.consumed == 0 && !r.error.empty());
      // Errors are reported once proven: more octets never change the verdict.
      const ReplyParse longer = parse_reply(std::string(in) + "\r\n226 ok\r\n", limits);
      require(longer.status == ParseStatus::error && longer.error == r.error);
      break;
    }
    case ParseStatus::complete: {
      const Reply& reply = r.reply;
      require(r.consumed > 0 && reply.wire_bytes == r.consumed && r.consumed <= limits.max_reply && r.error.empty());
      require(reply.code >= 100 && reply.code <= 599);
      require(reply.line_count >= 1 && reply.multiline == (reply.line_count > 1));
      require(reply.lines.size() == std::min(reply.line_count, limits.keep_lines));
      for (const auto& line : reply.lines) require(line.size() + 2 <= limits.max_line && line.find('\n') == std::string::npos);
      // Framing the reply's own octets again gives the same reply; any shorter prefix is in flight.
      const std::string_view exact = in.substr(0, r.consumed);
      require(same(parse_reply(exact, limits), r));
      for (const std::size_t k : {r.consumed - 1, r.consumed / 2, probe % r.consumed}) {
        require(parse_reply(exact.substr(0, k), limits).status == ParseStatus::need_more);
      }
      check_rewritten(reply, limits);
      check_readers(reply);
      break;
    }
  }
  // The framer fed the buffer one octet at a time, and in steps, ends like the one-shot parse.
  for (const std::size_t step : {std::size_t{1}, 1 + probe % 64}) {
    ReplyFramer framer(limits);
    ReplyParse fed;
    for (std::size_t k = 0;; k = std::min(in.size(), k + step)) {
      fed = framer.feed(in.substr(0, k));
      if (fed.status != ParseStatus::need_more || k == in.size()) break;
    }
    require(same(fed, r));
    require(same(framer.feed(in), r));  // a finished framer answers the same again
  }
}

// The input as a PORT / EPRT argument, and endpoints made of its octets through the builders.
void check_arguments(std::string_view in) {
  const Parsed<Endpoint> port = parse_port_argument(in);
  if (port.ok()) check_endpoint(port.value);
  const Parsed<Endpoint> eprt = parse_eprt_argument(in);
  if (eprt.ok()) {
    const Parsed<std::string> again = format_eprt_argument(eprt.value, in[0]);
    require(again.ok() && parse_eprt_argument(again.value).value == eprt.value);
  }
  if (in.size() < 23) return;
  const auto* u = reinterpret_cast<const unsigned char*>(in.data());
  const auto port_of = [&](std::size_t at) { return static_cast<std::uint16_t>(u[at] << 8 | u[at + 1]); };
  Endpoint v4{Family::ipv4,
              std::to_string(u[0]) + "." + std::to_string(u[1]) + "." + std::to_string(u[2]) + "." + std::to_string(u[3]),
              port_of(4)};
  if (v4.port != 0) check_endpoint(v4);
  char text[INET6_ADDRSTRLEN];
  require(inet_ntop(AF_INET6, u + 6, text, sizeof text) != nullptr);
  const Endpoint v6{Family::ipv6, text, port_of(4)};
  const Parsed<std::string> built = format_eprt_argument(v6, in[22]);
  if (built.ok()) require(v6.port != 0 && parse_eprt_argument(built.value).value == v6);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t probe = size == 0 ? 0 : data[size - 1] * 31u + size;
  check(in, ReplyLimits{}, probe);
  check(in, ReplyLimits{64, 256, 4}, probe);  // tight limits reach the limit paths on short inputs
  check_arguments(in);
  return 0;
}
