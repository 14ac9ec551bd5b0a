// Throughput of the HTTP form dialect's pure parts (bytes/s): form urlencoding both ways, the
// multipart encoder over a 1 MiB upload, the chunked coding, the CSRF-token scan of a page, Set-Cookie
// parsing, and Beast's response parser fed the way a socket delivers (whole, per TCP segment, per
// octet). The inputs are what the lab's contact form really sends (lab/conf/www/contact.php).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/http/byte_source.hpp"
#include "harness/http/chunked.hpp"
#include "harness/http/cookie_jar.hpp"
#include "harness/http/form_urlencoded.hpp"
#include "harness/http/html_fields.hpp"
#include "harness/http/multipart.hpp"
#include "harness/http/response_reader.hpp"

namespace {

using namespace facteur::http;

// GET /contact.php as nginx + php-fpm answered it in the lab (chunked, one Set-Cookie).
constexpr std::string_view kFormPage =
    "<!doctype html>\n<html lang=\"en\">\n"
    "<head><meta charset=\"utf-8\"><title>Contact - facteur lab</title></head>\n<body>\n<h1>Contact</h1>\n"
    "<form method=\"post\" action=\"/contact.php\" enctype=\"multipart/form-data\">\n"
    "<input type=\"hidden\" name=\"csrf_token\" "
    "value=\"0f93d46c2183cad74ec77f3ffae4656a64ac6da36104e08ec16f946fb7a0ee56\">\n"
    "<input type=\"hidden\" name=\"ref\" value=\"web-50e14ebd977cd37d\">\n"
    "<p><label>Name <input name=\"name\" required maxlength=\"200\"></label></p>\n"
    "<p><label>Email <input type=\"email\" name=\"email\" required maxlength=\"254\"></label></p>\n"
    "<p><label>Subject <input name=\"subject\" maxlength=\"200\"></label></p>\n"
    "<p><label>Message<br><textarea name=\"message\" required rows=\"8\" cols=\"60\"></textarea></label></p>\n"
    "<p><label>Attachment (optional; the whole request at most 1 MiB) <input type=\"file\" "
    "name=\"attachment\"></label></p>\n"
    "<p><button type=\"submit\">Send</button></p>\n</form>\n</body>\n</html>\n\n";
constexpr std::string_view kFormHead =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 17:44:19 GMT\r\n"
    "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
    "Set-Cookie: PHPSESSID=d2c8356373cbac6d851eab421a66f721; path=/; HttpOnly; SameSite=Lax\r\n"
    "Expires: Thu, 19 Nov 1981 08:52:00 GMT\r\nPragma: no-cache\r\nCache-Control: no-store\r\n\r\n";

std::string form_response() { return std::string(kFormHead) + encode_chunk(kFormPage) + std::string(kLastChunk); }

// The form inside 64 KiB of a real site's chrome: navigation, an inline script and style with
// "<input" in them, comments; the token is the last input on the page.
std::string big_page() {
  std::string chrome;
  while (chrome.size() < 64 * 1024) {
    chrome += "<nav><ul><li><a href=\"/a\">Products</a></li><li><a href=\"/b\">Support &amp; help</a></li></ul></nav>\n";
    chrome += "<!-- <input name=\"csrf_token\" value=\"stale\"> -->\n";
    chrome += "<script>document.write('<input name=\"csrf_token\" value=\"fake\">');</script>\n";
    chrome += "<style>input[type=text] { border: 1px solid #ccc; }</style>\n";
    chrome += "<p><label>Search <input type=\"search\" name=\"q\" value=\"caf&eacute; &#x2603;\"></label></p>\n";
  }
  return chrome + std::string(kFormPage);
}

void BM_InputValueFormPage(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(input_value(kFormPage, "csrf_token"));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kFormPage.size()));
}

void BM_InputValue64KiBPage(benchmark::State& state) {
  const std::string page = big_page();
  for (auto _ : state) benchmark::DoNotOptimize(input_value(page, "csrf_token"));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}

// The contact form's fields, with a message of ~4 KiB of mixed text (accents, punctuation, CRLF).
FieldList contact_fields() {
  std::string message;
  while (message.size() < 4096) message += "Bonjour, j'ai une question à propos de l'offre n°42 (prix: 10 € + TVA)?\r\n";
  return {{"csrf_token", "0f93d46c2183cad74ec77f3ffae4656a64ac6da36104e08ec16f946fb7a0ee56"},
          {"ref", "web-50e14ebd977cd37d"}, {"name", "Zoë Müller"}, {"email", "zoe.muller+form@lab.test"},
          {"subject", "Question & demande de devis"}, {"message", message}};
}

void BM_FormUrlencode(benchmark::State& state) {
  const FieldList fields = contact_fields();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = form_urlencode(fields);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_FormUrldecode(benchmark::State& state) {
  const std::string body = form_urlencode(contact_fields());
  for (auto _ : state) benchmark::DoNotOptimize(form_urldecode(body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

// The form's fields and a 1 MiB seeded attachment, encoded in the 16 KiB pieces the engine sends.
// Each iteration builds the encoder, so the boundary search (one pass over every part) is counted.
void BM_MultipartEncode1MiB(benchmark::State& state) {
  const FieldList fields = contact_fields();
  std::uint64_t size = 0;
  for (auto _ : state) {
    std::vector<FormPart> parts;
    for (const auto& [name, value] : fields) parts.push_back({name, std::nullopt, "", text_source(value)});
    parts.push_back({"attachment", "report.pdf", "application/pdf", seeded_source(7, 1 << 20)});
    MultipartEncoder encoder(std::move(parts), 42);
    size = encoder.size();
    for (std::string piece = encoder.next(16 * 1024); !piece.empty(); piece = encoder.next(16 * 1024)) {
      benchmark::DoNotOptimize(piece.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

// A 1 MiB body sent as chunks of state.range(0) octets.
std::string chunked_1mib(std::size_t chunk) {
  std::string data(1 << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i * 7 % 26);
  std::string wire;
  for (std::size_t at = 0; at < data.size(); at += chunk) wire += encode_chunk(std::string_view(data).substr(at, chunk));
  return wire + std::string(kLastChunk);
}

void BM_ChunkEncode1MiB(benchmark::State& state) {
  const std::string data(1 << 20, 'x');
  const auto chunk = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    for (std::size_t at = 0; at < data.size(); at += chunk) {
      const std::string c = encode_chunk(std::string_view(data).substr(at, chunk));
      benchmark::DoNotOptimize(c.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void BM_DecodeChunked1MiB(benchmark::State& state) {
  const std::string wire = chunked_1mib(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(decode_chunked(wire));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

// The Set-Cookie values of a session: PHP's, a consent cookie, a deletion, a path-scoped one.
constexpr std::string_view kSetCookies[] = {
    "PHPSESSID=d2c8356373cbac6d851eab421a66f721; path=/; HttpOnly; SameSite=Lax",
    "consent=analytics%3D0%26ads%3D0; Max-Age=31536000; Path=/; Secure; SameSite=Strict",
    "tracking=; Max-Age=0; Path=/",
    "cart=3f2a; Path=/shop/; Expires=Wed, 21 Oct 2027 07:28:00 GMT",
    "lang=fr-FR; Path=/contact.php",
};

void BM_CookieJarStoreAndSend(benchmark::State& state) {
  std::size_t bytes = 0;
  for (const auto c : kSetCookies) bytes += c.size();
  for (auto _ : state) {
    CookieJar jar;
    for (const auto c : kSetCookies) jar.store(c, "/contact.php");
    benchmark::DoNotOptimize(jar.header_for("/contact.php"));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// Feeds `wire` in pieces of `step` octets as the engine does: what is not consumed stays at the
// front of the buffer and the next piece is appended.
void read_response(benchmark::State& state, const std::string& wire, std::size_t step) {
  std::string rx;
  rx.reserve(wire.size());
  for (auto _ : state) {
    ResponseReader reader;
    rx.clear();
    ResponseReader::Result r;
    for (std::size_t at = 0; r.status == ResponseReader::Result::Status::need_more;) {
      if (at < wire.size()) {
        const std::size_t n = std::min(step, wire.size() - at);
        rx.append(wire, at, n);
        at += n;
      }
      r = reader.feed(rx);
      rx.erase(0, r.consumed);
      if (at == wire.size() && r.status == ResponseReader::Result::Status::need_more && r.consumed == 0) break;
    }
    if (r.status != ResponseReader::Result::Status::complete) state.SkipWithError("response not complete");
    benchmark::DoNotOptimize(reader.response().body.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void BM_ReadFormResponse(benchmark::State& state) {
  read_response(state, form_response(), static_cast<std::size_t>(state.range(0)));
}

// A 1 MiB download in 4 KiB chunks, as a TCP stream delivers it (16 KiB reads).
void BM_ReadChunkedResponse1MiB(benchmark::State& state) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
                           chunked_1mib(4096);
  read_response(state, wire, static_cast<std::size_t>(state.range(0)));
}

BENCHMARK(BM_InputValueFormPage);
BENCHMARK(BM_InputValue64KiBPage);
BENCHMARK(BM_FormUrlencode);
BENCHMARK(BM_FormUrldecode);
BENCHMARK(BM_MultipartEncode1MiB);
BENCHMARK(BM_ChunkEncode1MiB)->Arg(4096)->Arg(16384);
BENCHMARK(BM_DecodeChunked1MiB)->Arg(256)->Arg(4096);
BENCHMARK(BM_CookieJarStoreAndSend);
BENCHMARK(BM_ReadFormResponse)->Arg(1)->Arg(1460)->Arg(1 << 20);  // per octet, per segment, whole
BENCHMARK(BM_ReadChunkedResponse1MiB)->Arg(16384);

}  // namespace
