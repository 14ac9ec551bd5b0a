#include "tests/support/fake_form_fields.hpp"

#include <cctype>
#include <cstdint>

#include "harness/core/ascii.hpp"
#include "harness/http/multipart.hpp"

namespace facteur::testing {
namespace {

// The value of `param="…"` or `param=…` in a header or Content-Type; nullopt when absent.
std::optional<std::string> parameter(std::string_view text, std::string_view param) {
  for (std::size_t at = text.find(param); at != std::string_view::npos; at = text.find(param, at + 1)) {
    const bool starts = at == 0 || text[at - 1] == ';' || text[at - 1] == ' ';
    if (!starts || text.substr(at + param.size(), 1) != "=") continue;
    std::string_view rest = text.substr(at + param.size() + 1);
    if (!rest.empty() && rest.front() == '"') {
      const auto end = rest.find('"', 1);
      return std::string(rest.substr(1, end == std::string_view::npos ? end : end - 1));
    }
    return std::string(rest.substr(0, rest.find_first_of("; \r\n")));
  }
  return std::nullopt;
}

// Each octet taken for a Latin-1 character and written again in UTF-8: what a handler that
// assumes ISO-8859-1 does to UTF-8 text.
std::string latin1_to_utf8(std::string_view octets) {
  std::string out;
  for (char ch : octets) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// %XX decoded where it is one, kept as it is where not; '+' is a space.
std::string lenient_unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

http::FieldList lenient_urldecode(std::string_view body) {
  http::FieldList out;
  std::size_t from = 0;
  while (from <= body.size()) {
    const auto amp = body.find('&', from);
    const std::string_view pair = body.substr(from, amp == std::string_view::npos ? amp : amp - from);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      out.emplace_back(lenient_unescape(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : lenient_unescape(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    from = amp + 1;
  }
  return out;
}

std::optional<PostedForm> read_multipart(const FakeRequest& r, const std::string& type,
                                         const FakeFormMisbehaviour& bad) {
  std::optional<std::string> boundary = parameter(type, "boundary");
  if (bad.multipart_boundary_from_body && r.body.rfind("--", 0) == 0) {
    boundary = r.body.substr(2, r.body.find("\r\n") - 2);
  }
  std::optional<std::vector<http::DecodedPart>> parts;
  if (boundary) parts = http::multipart_decode(r.body, *boundary);
  PostedForm form;
  form.multipart = true;
  if (!parts) {
    if (bad.multipart_unreadable_as_empty) return form;
    return std::nullopt;
  }
  for (const auto& p : *parts) {
    const auto name = parameter(p.headers, "name");
    if (!name) return std::nullopt;
    if (const auto filename = parameter(p.headers, "filename")) {
      std::string part_type;
      const auto at = ascii::lower(p.headers).find("content-type:");
      if (at != std::string::npos) {
        part_type = p.headers.substr(at + 13, p.headers.find("\r\n", at) - at - 13);
        part_type.erase(0, part_type.find_first_not_of(' '));
      }
      form.files.push_back({*name, *filename, part_type, p.content});
    } else {
      form.fields.emplace_back(*name, p.content);
    }
  }
  return form;
}

}  // namespace

std::optional<PostedForm> read_posted_form(const FakeRequest& r, const FakeFormMisbehaviour& bad) {
  const std::string type = r.header("Content-Type");
  std::optional<PostedForm> form;
  if (ascii::lower(type).rfind("multipart/form-data", 0) == 0) {
    form = read_multipart(r, type, bad);
  } else if (bad.lenient_urldecoding) {
    form = PostedForm{false, lenient_urldecode(r.body), {}};
  } else if (auto fields = http::form_urldecode(r.body)) {
    form = PostedForm{false, std::move(*fields), {}};
  }
  if (form && bad.latin1_reencoding) {
    for (auto& [k, v] : form->fields) {
      k = latin1_to_utf8(k);
      v = latin1_to_utf8(v);
    }
    for (auto& f : form->files) f.name = latin1_to_utf8(f.name);
  }
  return form;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07;
    else return false;
    if (i + n >= text.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF.
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace facteur::testing
