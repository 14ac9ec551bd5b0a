// Assembles generated test messages (RFC 5322 + MIME). The text part is built first; when a size
// is asked for, generated lines make up the difference exactly (boundary length is fixed).
#include "harness/scenario/message_builder.hpp"
#include "harness/scenario/template.hpp"

#include <atomic>
#include <cstdio>
#include <random>
#include <vector>

#include "harness/scenario/mime_encoding.hpp"
#include "harness/scenario/rfc5322_date.hpp"
#include "harness/scenario/seeded_content.hpp"

namespace facteur::scenario {
namespace {

// Lines that check 8-bit transparency (RFC 6152): Latin-1 range, CJK, 4-octet characters.
constexpr std::string_view eight_bit_lines =
    "Gr\xC3\xBC\xC3\x9F" "e, caf\xC3\xA9, \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\r\n"
    "\xC3\x80\xC3\x89\xC3\x8E\xC3\x95\xC3\x9C \xC3\xB1 \xC3\xA7 \xC3\x9F \xE2\x82\xAC \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\r\n"
    "\xE2\x9C\x89 \xF0\x9F\x93\xAC\r\n";

// RFC 5321 §4.5.2: lines a client must dot-stuff and a server must unstuff.
constexpr std::string_view leading_dot_lines = ".\r\n..\r\n.hidden\r\n..double\r\n";

// run_token() (template.hpp) is drawn once per process: generated Message-IDs never repeat from one
// run to the next, so a check that looks for a delivered message cannot find an earlier run's.
std::string generated_message_id(std::uint64_t seed) {
  static std::atomic<std::uint64_t> counter{0};
  SplitMix64 rng = stream(seed, Stream::message_id);
  return "<" + hex16(rng) + "." + std::to_string(++counter) + "." + run_token() + "@facteur.test>";
}

std::string text_part_body(const MessageSpec& spec) {
  std::string body = crlf_lines(spec.body);
  if (spec.eight_bit) body += eight_bit_lines;
  if (spec.leading_dots) body += leading_dot_lines;
  if (spec.line_length > 0) {
    static constexpr std::string_view pattern = "abcdefghijklmnopqrstuvwxyz0123456789";
    body.reserve(body.size() + spec.line_length + 2);
    for (std::size_t i = 0; i < spec.line_length; ++i) body.push_back(pattern[i % pattern.size()]);
    body += "\r\n";
  }
  return body;
}

// RFC 2045 §6.2: 8bit when any octet is outside US-ASCII.
std::string_view transfer_encoding(const MessageSpec& spec, std::string_view body) {
  return spec.eight_bit || has_8bit(body) ? "8bit" : "7bit";
}

// filename="..." as a quoted-string, or RFC 2231 filename*=UTF-8''%XX when it is not plain ASCII.
std::string filename_parameter(std::string_view filename) {
  bool plain = true;
  for (char c : filename) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) plain = false;
  }
  std::string out;
  if (plain) {
    out = "filename=\"";
    for (char c : filename) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
    return out;
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  out = "filename*=UTF-8''";
  for (char c : filename) {
    const auto u = static_cast<unsigned char>(c);
    const bool attribute_char = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                                c == '.' || c == '-' || c == '_' || c == '~';
    if (attribute_char) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[u >> 4U]);
      out.push_back(hex[u & 0xFU]);
    }
  }
  return out;
}

std::string attachment_part(const MessageSpec& spec, std::size_t index) {
  const AttachmentSpec& a = spec.attachments[index];
  std::string part = fold_header("Content-Type", a.content_type);
  part += "Content-Transfer-Encoding: base64\r\n";
  part += fold_header("Content-Disposition", "attachment; " + filename_parameter(a.filename));
  part += "\r\n";
  part += base64_lines(attachment_bytes(spec.seed, index, a.size));
  return part;
}

bool occurs_in(const std::string& needle, const std::vector<std::string>& parts) {
  for (const auto& part : parts) {
    if (part.find(needle) != std::string::npos) return true;
  }
  return false;
}

// RFC 2046 §5.1.1: the boundary must not occur in any part. Candidates come from a SplitMix64
// stream, whose outputs are all distinct, and a part holds finitely many substrings of the
// boundary's length, so the loop ends (in practice, at the first candidate: "=_" never occurs in
// base64 or in generated lines). Every candidate has the same length, so sizes stay exact.
std::string choose_boundary(std::uint64_t seed, const std::vector<std::string>& parts) {
  SplitMix64 rng = stream(seed, Stream::boundary);
  for (;;) {
    std::string boundary = "=_facteur_" + hex16(rng);
    if (!occurs_in(boundary, parts)) return boundary;
  }
}

struct Fixed {
  std::string date;
  std::string message_id;
  std::vector<std::string> attachments;  // whole parts: headers, blank line, base64
};

std::string assemble(const MessageSpec& spec, const Fixed& fixed, const std::string& text) {
  std::string message;
  message += fold_header("Date", fixed.date);
  message += fold_header("From", spec.from);
  message += fold_header("To", spec.to);
  // RFC 6532 allows raw UTF-8 in header fields; otherwise RFC 2047 encoded-words.
  message += fold_header("Subject", spec.utf8_headers || !has_8bit(spec.subject) ? spec.subject
                                                                                   : encoded_words(spec.subject));
  message += fold_header("Message-ID", fixed.message_id);
  message += "MIME-Version: 1.0\r\n";
  const std::string_view cte = transfer_encoding(spec, text);
  if (spec.attachments.empty()) {
    message += "Content-Type: text/plain; charset=utf-8\r\n";
    message += "Content-Transfer-Encoding: " + std::string(cte) + "\r\n";
    for (const auto& [name, value] : spec.headers) message += fold_header(name, value);
    message += "\r\n";
    message += text;
    return message;
  }
  std::vector<std::string> parts;
  parts.reserve(fixed.attachments.size() + 1);
  parts.push_back("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: " + std::string(cte) +
                  "\r\n\r\n" + text);
  parts.insert(parts.end(), fixed.attachments.begin(), fixed.attachments.end());
  const std::string boundary = choose_boundary(spec.seed, parts);
  message += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
  message += "Content-Transfer-Encoding: " + std::string(cte) + "\r\n";
  for (const auto& [name, value] : spec.headers) message += fold_header(name, value);
  message += "\r\nThis is a multi-part message in MIME format.\r\n";
  for (const auto& part : parts) {
    // Each delimiter is CRLF "--" boundary; the CRLF belongs to it, not to the part (RFC 2046).
    message += "\r\n--" + boundary + "\r\n";
    message += part;
  }
  message += "\r\n--" + boundary + "--\r\n";
  return message;
}

}  // namespace

std::string build_message(const MessageSpec& spec) {
  Fixed fixed;
  fixed.date = spec.date.empty() ? rfc5322_date_now() : spec.date;
  fixed.message_id = spec.message_id.empty() ? generated_message_id(spec.seed) : spec.message_id;
  for (std::size_t i = 0; i < spec.attachments.size(); ++i) fixed.attachments.push_back(attachment_part(spec, i));
  std::string text = text_part_body(spec);
  std::string message = assemble(spec, fixed, text);
  if (spec.size > message.size()) {
    // Filler is ASCII and the boundary length fixed, so the message grows by exactly its length.
    text += filler_lines(spec.seed, spec.size - message.size());
    message = assemble(spec, fixed, text);
  }
  return message;
}

}  // namespace facteur::scenario
