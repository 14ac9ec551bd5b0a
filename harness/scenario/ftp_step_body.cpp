// The FTP parts of a step (s4-format.md): the "ftp" command and its data options (channel, upload,
// download, abort_after, expect_intermediate), and starttls's {"protect": false}.
#include <nlohmann/json.hpp>

#include "harness/scenario/octet_size.hpp"
#include "harness/scenario/step_reader.hpp"

namespace facteur::scenario {
using nlohmann::json;

namespace {
constexpr std::uint64_t kMaxOctets = 1ULL << 50;  // 1 PiB: past it a size is a typo
}  // namespace

std::uint64_t Reader::octets_at(const json& obj, const std::string& ptr, const char* key) const {
  const std::string p = ptr + "/" + key;
  const auto& v = obj[key];
  std::optional<std::uint64_t> n;
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0)) {
    n = v.get<std::uint64_t>();
  } else if (v.is_string()) {
    n = parse_octet_size(v.get<std::string>());
    if (!n) fail(p, "a size is a number of octets or a string like \"512 KiB\", \"10 MiB\", \"1 GiB\"");
  } else {
    fail(p, "expected a size (octets, or \"10 MiB\")");
  }
  if (*n > kMaxOctets) fail(p, "size above 1 PiB");
  return *n;
}

SeededData Reader::seeded_at(const json& obj, const std::string& ptr) const {
  const std::string p = ptr + "/seeded";
  const auto& v = obj["seeded"];
  expect_type(v, p, json::value_t::object, "{seed, size, offset}");
  check_keys(v, p, {"seed", "size", "offset"});
  SeededData d;
  if (!v.contains("seed") || !v["seed"].is_number_integer()) fail(p, "a seeded stream needs an integer 'seed'");
  d.seed = static_cast<std::uint64_t>(v["seed"].get<long long>());
  if (!v.contains("size")) fail(p, "missing required key 'size'");
  d.size = octets_at(v, p, "size");
  if (v.contains("offset")) d.offset = octets_at(v, p, "offset");
  return d;
}

void Reader::ftp_options(Step& s, const json& j, const std::string& ptr,
                         std::set<std::string, std::less<>>& allowed) const {
  if (s.kind != StepKind::ftp) return;
  allowed.insert({"channel", "upload", "download", "abort_after", "expect_intermediate"});
  FtpTransfer t;
  if (j.contains("channel")) {
    const std::string c = string_at(j, ptr, "channel", true);
    if (c == "epsv") t.channel = FtpChannel::epsv;
    else if (c == "pasv") t.channel = FtpChannel::pasv;
    else if (c == "port") t.channel = FtpChannel::port;
    else if (c == "eprt") t.channel = FtpChannel::eprt;
    else fail(ptr + "/channel", "channel is pasv, epsv, port or eprt");
  }
  if (j.contains("upload")) {
    const std::string p = ptr + "/upload";
    const auto& v = j["upload"];
    expect_type(v, p, json::value_t::object, "{text} or {seeded}");
    check_keys(v, p, {"text", "seeded"});
    FtpUpload u;
    if (v.contains("text")) {
      u.text = string_at(v, p, "text", true);
      check_template_at(*u.text, p + "/text");
    }
    if (v.contains("seeded")) u.seeded = seeded_at(v, p);
    if (u.text.has_value() == u.seeded.has_value()) fail(p, "an upload is either 'text' or 'seeded'");
    t.upload = std::move(u);
  }
  if (j.contains("download")) {
    const std::string p = ptr + "/download";
    const auto& v = j["download"];
    if (!(v.is_boolean() && v.get<bool>())) {
      expect_type(v, p, json::value_t::object, "true or {seeded, size, sha256, capture_sha256, lines, …}");
    }
    FtpDownload d;
    if (v.is_object()) {
      check_keys(v, p, {"seeded", "size", "sha256", "capture_sha256", "lines", "not_lines", "line_count", "contains"});
      if (v.contains("seeded")) d.seeded = seeded_at(v, p);
      if (v.contains("size")) d.size = octets_at(v, p, "size");
      d.sha256 = string_at(v, p, "sha256", false);
      check_template_at(d.sha256, p + "/sha256");
      d.capture_sha256 = string_at(v, p, "capture_sha256", false);
      d.lines = string_list(v, p, "lines");
      d.not_lines = string_list(v, p, "not_lines");
      for (const auto& l : d.lines) check_template_at(l, p + "/lines");
      for (const auto& l : d.not_lines) check_template_at(l, p + "/not_lines");
      if (v.contains("line_count")) d.line_count = int_at(v, p, "line_count", 0, 1000);
      d.contains = string_at(v, p, "contains", false);
      check_template_at(d.contains, p + "/contains");
    }
    t.download = std::move(d);
  }
  if (t.upload && t.download) fail(ptr, "a transfer goes one way: give 'upload' or 'download', not both");
  if (j.contains("abort_after")) t.abort_after = octets_at(j, ptr, "abort_after");
  if (j.contains("expect_intermediate")) {
    s.expect_intermediate = expect_set(j["expect_intermediate"], ptr + "/expect_intermediate");
  }
  s.ftp = std::move(t);
}

void Reader::ftp_step_body(Step& s, const json& v, const std::string& ptr) const {
  switch (s.kind) {
    case StepKind::ftp:
      expect_type(v, ptr, json::value_t::string, "an FTP command line (without CRLF)");
      s.text = v.get<std::string>();
      if (s.text.find_first_of("\r\n") != std::string::npos) fail(ptr, "a command is one line: use \"raw\" for CR or LF");
      check_template_at(s.text, ptr);
      if (!s.ftp) s.ftp = FtpTransfer{};
      break;
    case StepKind::starttls: {
      // AUTH TLS (RFC 4217 §4), then PBSZ 0 and PROT P unless {"protect": false}.
      FtpTransfer t;
      if (!v.is_boolean()) {
        expect_type(v, ptr, json::value_t::object, "true or {\"protect\": false}");
        check_keys(v, ptr, {"protect"});
        t.protect = bool_at(v, ptr, "protect", true);
      }
      s.ftp = t;
      break;
    }
    default:
      fail(ptr, "not an FTP step");
  }
}

}  // namespace facteur::scenario
