#include "harness/scenario/message_builder.hpp"

#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/scenario/mime_encoding.hpp"
#include "harness/scenario/seeded_content.hpp"

namespace facteur::scenario {
namespace {

// ---- a small independent reader of what the builder writes ---------------------------------

struct Entity {
  std::vector<std::pair<std::string, std::string>> headers;  // unfolded
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
};

Entity parse_entity(const std::string& text) {
  Entity e;
  const auto end = text.find("\r\n\r\n");
  const std::string head = end == std::string::npos ? text : text.substr(0, end + 2);
  e.body = end == std::string::npos ? "" : text.substr(end + 4);
  std::size_t i = 0;
  while (i < head.size()) {
    const auto eol = head.find("\r\n", i);
    const std::string line = head.substr(i, eol - i);
    i = eol + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      e.headers.back().second += line;  // RFC 5322 §2.2.3 unfolding: drop the CRLF only
    } else {
      const auto colon = line.find(':');
      e.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  return e;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=' || c == '\r' || c == '\n') continue;
    else return std::nullopt;
    buffer = (buffer << 6U) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU));
    }
  }
  return out;
}

// RFC 2047 §6: decodes "=?UTF-8?B?...?=" words; whitespace between two words is dropped.
std::string decode_words(const std::string& value) {
  static const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  std::string out;
  std::string pending_space;
  bool last_was_word = false;
  std::size_t pos = 0;
  for (auto it = std::sregex_iterator(value.begin(), value.end(), word); it != std::sregex_iterator(); ++it) {
    const std::string between = value.substr(pos, static_cast<std::size_t>(it->position()) - pos);
    const bool only_space = between.find_first_not_of(" \t") == std::string::npos;
    if (!(last_was_word && only_space)) out += between;
    out += base64_decode((*it)[1].str()).value_or("<bad base64>");
    pos = static_cast<std::size_t>(it->position() + it->length());
    last_was_word = true;
  }
  out += value.substr(pos);
  return out;
}

// Every line ends in CRLF (no bare CR or LF) and keeps to `max_line` octets.
void expect_wire_form(const std::string& m, std::size_t max_line = 998) {
  ASSERT_GE(m.size(), 2U);
  EXPECT_EQ(m.substr(m.size() - 2), "\r\n");
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r') {
      ASSERT_TRUE(i + 1 < m.size() && m[i + 1] == '\n') << "bare CR at " << i;
    } else if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
      EXPECT_LE(i - 1 - line_start, max_line) << "long line at " << line_start;
      line_start = i + 1;
    }
  }
}

struct Multipart {
  std::string boundary;
  std::vector<std::string> parts;  // raw, between delimiter lines
};

Multipart split_multipart(const Entity& top) {
  Multipart mp;
  static const std::regex boundary_re("multipart/mixed; boundary=\"([^\"]+)\"");
  std::smatch match;
  const std::string content_type = top.header("Content-Type").value_or("");
  if (!std::regex_search(content_type, match, boundary_re)) return mp;
  mp.boundary = match[1];
  const std::string delimiter = "\r\n--" + mp.boundary;
  std::size_t at = top.body.find(delimiter);
  while (at != std::string::npos) {
    const std::size_t after = at + delimiter.size();
    if (top.body.compare(after, 2, "--") == 0) break;  // close-delimiter
    const std::size_t start = top.body.find("\r\n", after) + 2;
    at = top.body.find(delimiter, start);
    mp.parts.push_back(top.body.substr(start, at - start));
  }
  return mp;
}

MessageSpec fixed_spec() {
  MessageSpec spec;
  spec.date = "Thu, 26 Nov 2026 06:10:00 +0000";
  spec.message_id = "<fixed@facteur.test>";
  return spec;
}

// ---- build_message ---------------------------------------------------------------------------

TEST(BuildMessage, DefaultMessage) {
  const std::string m = build_message(fixed_spec());
  expect_wire_form(m, 78);
  const Entity e = parse_entity(m);
  const std::vector<std::string> order{"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                                       "Content-Type", "Content-Transfer-Encoding"};
  ASSERT_EQ(e.headers.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(e.headers[i].first, order[i]);
  EXPECT_EQ(e.header("Date"), "Thu, 26 Nov 2026 06:10:00 +0000");
  EXPECT_EQ(e.header("From"), "sender@example.test");
  EXPECT_EQ(e.header("To"), "rcpt@example.test");
  EXPECT_EQ(e.header("Subject"), "facteur test message");
  EXPECT_EQ(e.header("Message-ID"), "<fixed@facteur.test>");
  EXPECT_EQ(e.header("MIME-Version"), "1.0");
  EXPECT_EQ(e.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(e.header("Content-Transfer-Encoding"), "7bit");
  EXPECT_EQ(e.body, "This is a facteur test message.\r\n");
}

TEST(BuildMessage, GeneratedMessageIdAndDate) {
  MessageSpec spec;
  spec.seed = 99;
  const Entity a = parse_entity(build_message(spec));
  const Entity b = parse_entity(build_message(spec));
  const std::regex id_re(R"(<([0-9a-f]{16})\.([0-9]+)\.([0-9a-f]{8})@facteur\.test>)");
  std::smatch ma;
  std::smatch mb;
  const std::string ida = a.header("Message-ID").value_or("");
  const std::string idb = b.header("Message-ID").value_or("");
  ASSERT_TRUE(std::regex_match(ida, ma, id_re)) << ida;
  ASSERT_TRUE(std::regex_match(idb, mb, id_re)) << idb;
  EXPECT_EQ(ma[1], mb[1]);  // from the seed
  EXPECT_NE(ma[2], mb[2]);  // the counter keeps them unique
  EXPECT_EQ(ma[3], mb[3]);  // one token per process, so runs never repeat an id
  EXPECT_TRUE(std::regex_match(a.header("Date").value_or(""),
                               std::regex("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \\+0000")));
}

TEST(BuildMessage, DeterministicForASeed) {
  MessageSpec spec = fixed_spec();
  spec.size = 20'000;
  spec.attachments = {AttachmentSpec{"a.bin", "application/octet-stream", 3000}, AttachmentSpec{}};
  spec.seed = 5;
  EXPECT_EQ(build_message(spec), build_message(spec));
  MessageSpec other = spec;
  other.seed = 6;
  EXPECT_NE(build_message(spec), build_message(other));
}

TEST(BuildMessage, BodyLineEndingsBecomeCrlf) {
  MessageSpec spec = fixed_spec();
  spec.body = "one\ntwo\r\nthree\rfour";
  const std::string m = build_message(spec);
  expect_wire_form(m);
  EXPECT_EQ(parse_entity(m).body, "one\r\ntwo\r\nthree\r\nfour\r\n");
}

TEST(BuildMessage, HeaderValuesCannotInjectLines) {
  MessageSpec spec = fixed_spec();
  spec.subject = "hi\r\nBcc: victim@example.test";
  spec.headers = {{"X-Folded", "a\r\n b"}, {"X-Bare", "c\nd"}};
  const std::string m = build_message(spec);
  expect_wire_form(m);
  const Entity e = parse_entity(m);
  EXPECT_FALSE(e.header("Bcc").has_value());
  EXPECT_EQ(e.header("Subject"), "hi Bcc: victim@example.test");
  EXPECT_EQ(e.header("X-Folded"), "a b");
  EXPECT_EQ(e.header("X-Bare"), "c d");
}

TEST(BuildMessage, ExtraHeadersInOrderAndFolded) {
  MessageSpec spec = fixed_spec();
  std::string long_value;
  for (int i = 0; i < 40; ++i) long_value += "word" + std::to_string(i) + " ";
  long_value += "end";
  spec.headers = {{"X-Z", "1"}, {"Received", "from a"}, {"X-Long", long_value}, {"Received", "from b"}};
  const std::string m = build_message(spec);
  expect_wire_form(m, 78);
  const Entity e = parse_entity(m);
  ASSERT_EQ(e.headers.size(), 12U);
  EXPECT_EQ(e.headers[8], std::make_pair(std::string("X-Z"), std::string("1")));
  EXPECT_EQ(e.headers[9], std::make_pair(std::string("Received"), std::string("from a")));
  EXPECT_EQ(e.headers[10], std::make_pair(std::string("X-Long"), long_value));
  EXPECT_EQ(e.headers[11], std::make_pair(std::string("Received"), std::string("from b")));
}

TEST(BuildMessage, LongAsciiSubjectFoldsAndUnfolds) {
  MessageSpec spec = fixed_spec();
  for (int i = 0; i < 30; ++i) spec.subject += "subject-word-" + std::to_string(i) + " ";
  spec.subject += "last";
  const std::string m = build_message(spec);
  expect_wire_form(m, 78);
  EXPECT_EQ(parse_entity(m).header("Subject"), spec.subject);
}

TEST(BuildMessage, UnbreakableHeaderIsLeftWhole) {
  MessageSpec spec = fixed_spec();
  spec.headers = {{"X-Token", std::string(300, 't')}};
  const std::string m = build_message(spec);
  expect_wire_form(m);
  EXPECT_EQ(parse_entity(m).header("X-Token"), std::string(300, 't'));
}

TEST(BuildMessage, NonAsciiSubjectBecomesEncodedWords) {
  for (const std::string& subject :
       {std::string("Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln"),
        std::string("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E ") + std::string(60, 'x') + " \xF0\x9F\x93\xAC",
        [] {
          std::string s;
          for (int i = 0; i < 80; ++i) s += "\xE6\x97\xA5";  // 240 octets: several words
          return s;
        }()}) {
    MessageSpec spec = fixed_spec();
    spec.subject = subject;
    const std::string m = build_message(spec);
    expect_wire_form(m, 76);  // RFC 2047 §2: lines with encoded-words ≤ 76
    const std::string head = m.substr(0, m.find("\r\n\r\n"));
    for (char c : head) EXPECT_LT(static_cast<unsigned char>(c), 0x80U);
    const std::string value = parse_entity(m).header("Subject").value_or("");
    EXPECT_NE(value.find("=?UTF-8?B?"), std::string::npos);
    EXPECT_EQ(decode_words(value), subject);
  }
}

TEST(BuildMessage, EncodedWordsHoldWholeCharacters) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "a\xF0\x9F\x93\xAC";  // 5 octets each
  const std::string words = encoded_words(subject);
  static const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  for (auto it = std::sregex_iterator(words.begin(), words.end(), word); it != std::sregex_iterator(); ++it) {
    EXPECT_LE(it->length(), 64);
    const std::string decoded = base64_decode((*it)[1].str()).value();
    ASSERT_FALSE(decoded.empty());
    EXPECT_NE(static_cast<unsigned char>(decoded.front()) & 0xC0U, 0x80U);  // starts a character
  }
}

TEST(BuildMessage, Utf8HeadersKeepRawUtf8) {
  MessageSpec spec = fixed_spec();
  spec.subject = "Gr\xC3\xBC\xC3\x9F" "e";
  spec.utf8_headers = true;
  EXPECT_EQ(parse_entity(build_message(spec)).header("Subject"), spec.subject);
}

TEST(BuildMessage, EightBitBody) {
  MessageSpec spec = fixed_spec();
  spec.eight_bit = true;
  const std::string m = build_message(spec);
  expect_wire_form(m);
  const Entity e = parse_entity(m);
  EXPECT_EQ(e.header("Content-Transfer-Encoding"), "8bit");
  EXPECT_NE(e.body.find("Gr\xC3\xBC\xC3\x9F" "e, caf\xC3\xA9, \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\r\n"),
            std::string::npos);
}

TEST(BuildMessage, EightBitUserBodyIsLabelled8bit) {
  MessageSpec spec = fixed_spec();
  spec.body = "na\xC3\xAFve\r\n";
  EXPECT_EQ(parse_entity(build_message(spec)).header("Content-Transfer-Encoding"), "8bit");
}

TEST(BuildMessage, LeadingDots) {
  MessageSpec spec = fixed_spec();
  spec.leading_dots = true;
  const Entity e = parse_entity(build_message(spec));
  EXPECT_EQ(e.body, "This is a facteur test message.\r\n.\r\n..\r\n.hidden\r\n..double\r\n");
}

TEST(BuildMessage, LineLength) {
  for (std::size_t n : {std::size_t{1}, std::size_t{76}, std::size_t{998}, std::size_t{999}, std::size_t{5000}}) {
    MessageSpec spec = fixed_spec();
    spec.line_length = n;
    const Entity e = parse_entity(build_message(spec));
    const std::string prefix = "This is a facteur test message.\r\n";
    ASSERT_EQ(e.body.substr(0, prefix.size()), prefix);
    const std::string line = e.body.substr(prefix.size());
    EXPECT_EQ(line.size(), n + 2);
    EXPECT_EQ(line.find("\r\n"), n);
    EXPECT_NE(line.front(), '.');
  }
}

TEST(BuildMessage, SizeIsExact) {
  for (std::size_t size : {std::size_t{1024}, std::size_t{100 * 1024}, std::size_t{5 * 1024 * 1024}}) {
    for (bool with_attachment : {false, true}) {
      MessageSpec spec = fixed_spec();
      spec.size = size;
      if (with_attachment) spec.attachments = {AttachmentSpec{"x.bin", "application/octet-stream", 64}};
      const std::string m = build_message(spec);
      EXPECT_EQ(m.size(), size) << size << " " << with_attachment;
      expect_wire_form(m, 78);
    }
  }
}

TEST(BuildMessage, SizeExactForEveryShortfall) {
  MessageSpec spec = fixed_spec();
  const std::size_t base = build_message(spec).size();
  for (std::size_t extra = 0; extra < 400; ++extra) {
    spec.size = base + extra;
    const std::size_t got = build_message(spec).size();
    if (extra == 1) {
      EXPECT_EQ(got, base);  // one octet cannot be a line
    } else {
      EXPECT_EQ(got, base + extra);
    }
  }
  spec.size = 10;  // smaller than the message: no padding
  EXPECT_EQ(build_message(spec).size(), base);
}

TEST(BuildMessage, FillerLines) {
  for (std::size_t n = 0; n < 1000; ++n) {
    const std::string f = filler_lines(3, n);
    ASSERT_EQ(f.size(), n == 1 ? 0 : n) << n;
    std::size_t start = 0;
    while (start < f.size()) {
      const auto eol = f.find("\r\n", start);
      ASSERT_NE(eol, std::string::npos);
      const std::string line = f.substr(start, eol - start);
      EXPECT_LE(line.size(), 76U);
      if (!line.empty()) {
        EXPECT_TRUE(line.front() >= 'a' && line.front() <= 'z');
        EXPECT_NE(line.back(), ' ');
      }
      start = eol + 2;
    }
  }
  EXPECT_EQ(filler_lines(3, 5000), filler_lines(3, 5000));
  EXPECT_NE(filler_lines(3, 5000), filler_lines(4, 5000));
}

TEST(BuildMessage, AttachmentsMakeMultipartMixed) {
  MessageSpec spec = fixed_spec();
  spec.seed = 17;
  spec.eight_bit = true;
  const std::vector<std::size_t> sizes{0, 1, 2, 3, 57, 58, 1000, 70'000};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    spec.attachments.push_back(AttachmentSpec{"file" + std::to_string(i) + ".bin", "application/x-test", sizes[i]});
  }
  spec.attachments[1].filename = "na\"me\\.txt";
  spec.attachments[2].filename = "r\xC3\xA9sum\xC3\xA9 1.pdf";
  const std::string m = build_message(spec);
  expect_wire_form(m, 78);
  const Entity top = parse_entity(m);
  EXPECT_EQ(top.header("Content-Transfer-Encoding"), "8bit");
  const Multipart mp = split_multipart(top);
  ASSERT_FALSE(mp.boundary.empty());
  EXPECT_LE(mp.boundary.size(), 70U);  // RFC 2046 §5.1.1
  ASSERT_EQ(mp.parts.size(), sizes.size() + 1);
  EXPECT_NE(m.find("\r\n--" + mp.boundary + "--\r\n"), std::string::npos);
  for (const auto& part : mp.parts) EXPECT_EQ(part.find(mp.boundary), std::string::npos);

  const Entity text = parse_entity(mp.parts[0]);
  EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.header("Content-Transfer-Encoding"), "8bit");
  EXPECT_EQ(text.body.substr(0, 33), "This is a facteur test message.\r\n");

  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const Entity part = parse_entity(mp.parts[i + 1]);
    EXPECT_EQ(part.header("Content-Type"), "application/x-test");
    EXPECT_EQ(part.header("Content-Transfer-Encoding"), "base64");
    for (std::size_t at = 0; at < part.body.size();) {
      const auto eol = part.body.find("\r\n", at);
      EXPECT_LE(eol - at, 76U);
      at = eol + 2;
    }
    const auto decoded = base64_decode(part.body);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, attachment_bytes(17, i, sizes[i])) << i;
  }
  EXPECT_EQ(parse_entity(mp.parts[1]).header("Content-Disposition"), "attachment; filename=\"file0.bin\"");
  EXPECT_EQ(parse_entity(mp.parts[2]).header("Content-Disposition"), "attachment; filename=\"na\\\"me\\\\.txt\"");
  EXPECT_EQ(parse_entity(mp.parts[3]).header("Content-Disposition"),
            "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf");
}

TEST(BuildMessage, BoundaryIsRegeneratedWhenABodyContainsIt) {
  MessageSpec spec = fixed_spec();
  spec.attachments = {AttachmentSpec{}};
  const std::string first = split_multipart(parse_entity(build_message(spec))).boundary;
  ASSERT_FALSE(first.empty());
  spec.body = "quoting an earlier message:\r\n--" + first + "\r\n";
  const std::string m = build_message(spec);
  const Multipart mp = split_multipart(parse_entity(m));
  EXPECT_NE(mp.boundary, first);
  EXPECT_EQ(mp.boundary.size(), first.size());
  ASSERT_EQ(mp.parts.size(), 2U);
  for (const auto& part : mp.parts) EXPECT_EQ(part.find(mp.boundary), std::string::npos);
  EXPECT_EQ(parse_entity(mp.parts[0]).body, spec.body);
}

TEST(BuildMessage, AttachmentBytesAreDeterministicAndDistinct) {
  EXPECT_EQ(attachment_bytes(1, 0, 100), attachment_bytes(1, 0, 100));
  EXPECT_NE(attachment_bytes(1, 0, 100), attachment_bytes(1, 1, 100));
  EXPECT_NE(attachment_bytes(1, 0, 100), attachment_bytes(2, 0, 100));
  EXPECT_EQ(attachment_bytes(1, 0, 100).substr(0, 50), attachment_bytes(1, 0, 50));
}

// ---- message_spec_from_json --------------------------------------------------------------

TEST(MessageSpecFromJson, EveryKey) {
  const auto j = nlohmann::json::parse(R"({
    "from": "a@x.test", "to": "b@y.test", "subject": "s", "message_id": "<m@x>",
    "date": "Mon, 01 Jan 2024 00:00:00 +0000", "headers": {"X-B": "2", "X-A": "1"},
    "body": "hello\n", "size": 4096, "eight_bit": true, "utf8_headers": true,
    "leading_dots": true, "line_length": 1000, "seed": 18446744073709551615,
    "attachments": [{"filename": "f.txt", "content_type": "text/csv", "size": 10}, {}]
  })");
  const MessageSpec spec = message_spec_from_json(j);
  EXPECT_EQ(spec.from, "a@x.test");
  EXPECT_EQ(spec.to, "b@y.test");
  EXPECT_EQ(spec.subject, "s");
  EXPECT_EQ(spec.message_id, "<m@x>");
  EXPECT_EQ(spec.date, "Mon, 01 Jan 2024 00:00:00 +0000");
  // nlohmann::json keeps objects sorted by key.
  const std::vector<std::pair<std::string, std::string>> sorted{{"X-A", "1"}, {"X-B", "2"}};
  EXPECT_EQ(spec.headers, sorted);
  EXPECT_EQ(spec.body, "hello\n");
  EXPECT_EQ(spec.size, 4096U);
  EXPECT_TRUE(spec.eight_bit);
  EXPECT_TRUE(spec.utf8_headers);
  EXPECT_TRUE(spec.leading_dots);
  EXPECT_EQ(spec.line_length, 1000U);
  EXPECT_EQ(spec.seed, 18446744073709551615ULL);
  ASSERT_EQ(spec.attachments.size(), 2U);
  EXPECT_EQ(spec.attachments[0].filename, "f.txt");
  EXPECT_EQ(spec.attachments[0].content_type, "text/csv");
  EXPECT_EQ(spec.attachments[0].size, 10U);
  EXPECT_EQ(spec.attachments[1].filename, "attachment.bin");  // defaults
  EXPECT_EQ(spec.attachments[1].size, 1024U);
}

TEST(MessageSpecFromJson, EmptyObjectGivesDefaults) {
  const MessageSpec spec = message_spec_from_json(nlohmann::json::object());
  const MessageSpec defaults;
  EXPECT_EQ(spec.subject, defaults.subject);
  EXPECT_EQ(spec.body, defaults.body);
  EXPECT_EQ(spec.seed, defaults.seed);
}

TEST(MessageSpecFromJson, OrderedJsonKeepsHeaderOrder) {
  const auto j = nlohmann::ordered_json::parse(R"({"headers": {"X-B": "2", "X-A": "1"}})");
  const std::vector<std::pair<std::string, std::string>> in_order{{"X-B", "2"}, {"X-A", "1"}};
  EXPECT_EQ(message_spec_from_json(j).headers, in_order);
}

TEST(MessageSpecFromJson, HeaderPairsMayRepeat) {
  const auto j = nlohmann::json::parse(R"({"headers": [["Received", "a"], ["X-A", ""], ["Received", "b"]]})");
  const std::vector<std::pair<std::string, std::string>> expected{{"Received", "a"}, {"X-A", ""}, {"Received", "b"}};
  EXPECT_EQ(message_spec_from_json(j).headers, expected);
}

TEST(MessageSpecFromJson, IntegersBuiltInCodeAreAccepted) {
  const nlohmann::json j{{"size", 2048}, {"seed", 7}, {"line_length", 0}};
  const MessageSpec spec = message_spec_from_json(j);
  EXPECT_EQ(spec.size, 2048U);
  EXPECT_EQ(spec.seed, 7U);
}

std::string error_of(const char* json_text) {
  try {
    (void)message_spec_from_json(nlohmann::json::parse(json_text));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(MessageSpecFromJson, Errors) {
  EXPECT_EQ(error_of(R"({"subjet": "x"})"), "unknown message key 'subjet'");
  EXPECT_EQ(error_of(R"({"subject": 3})"), "message key 'subject' must be a string (got number)");
  EXPECT_EQ(error_of(R"({"eight_bit": "yes"})"), "message key 'eight_bit' must be a boolean (got string)");
  EXPECT_EQ(error_of(R"({"size": -1})"),
            "message key 'size' must be a non-negative integer (got a negative or fractional number)");
  EXPECT_EQ(error_of(R"({"size": 1.5})"),
            "message key 'size' must be a non-negative integer (got a negative or fractional number)");
  EXPECT_EQ(error_of(R"({"size": "1k"})"), "message key 'size' must be a non-negative integer (got string)");
  EXPECT_EQ(error_of(R"({"size": 1073741825})"), "message key 'size' must be at most 1073741824");
  EXPECT_EQ(error_of(R"({"seed": null})"), "message key 'seed' must be a non-negative integer (got null)");
  EXPECT_EQ(error_of(R"({"headers": "X: y"})"),
            "message key 'headers' must be an object or an array of [name, value] pairs (got string)");
  EXPECT_EQ(error_of(R"({"headers": {"X": 1}})"), "message key 'headers.X' must be a string (got number)");
  EXPECT_EQ(error_of(R"({"headers": {"Bad Name": "v"}})"), "message key 'headers': invalid header name 'Bad Name'");
  EXPECT_EQ(error_of(R"({"headers": [["A", "1"], ["B"]]})"),
            "message key 'headers[1]' must be a [name, value] pair (got array)");
  EXPECT_EQ(error_of(R"({"headers": [["A:", "1"]]})"), "message key 'headers[0]': invalid header name 'A:'");
  EXPECT_EQ(error_of(R"({"attachments": {}})"), "message key 'attachments' must be an array (got object)");
  EXPECT_EQ(error_of(R"({"attachments": [1]})"), "message key 'attachments[0]' must be an object (got number)");
  EXPECT_EQ(error_of(R"({"attachments": [{}, {"name": "x"}]})"), "unknown message key 'attachments[1].name'");
  EXPECT_EQ(error_of(R"({"attachments": [{"size": true}]})"),
            "message key 'attachments[0].size' must be a non-negative integer (got boolean)");
  EXPECT_EQ(error_of(R"([1, 2])"), "message must be an object (got array)");
}

TEST(MessageSpecFromJson, SpecBuildsTheMessageItDescribes) {
  const auto j = nlohmann::json::parse(R"({"subject": "Caf\u00e9", "date": "Mon, 01 Jan 2024 00:00:00 +0000",
    "message_id": "<x@y>", "size": 4000, "leading_dots": true, "attachments": [{"size": 100}], "seed": 3})");
  const std::string m = build_message(message_spec_from_json(j));
  EXPECT_EQ(m.size(), 4000U);
  expect_wire_form(m, 78);
  EXPECT_EQ(decode_words(parse_entity(m).header("Subject").value_or("")), "Caf\xC3\xA9");
}

}  // namespace
}  // namespace facteur::scenario
