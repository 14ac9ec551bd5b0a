// The options of an HTTP step ({"http": "POST /contact.php", "form": …}), read by
// http_step_body.cpp, hung off Step as one struct (see /work/s4-format.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace facteur::scenario {

struct HttpPart {
  std::string name;                       // template
  std::string value;                      // template: a plain field ("value") or a file's "text"
  std::optional<std::string> filename;    // a file part when set (template)
  std::string content_type;               // file parts
  bool seeded = false;                    // content: `seed`/`size` octets instead of `value`
  std::uint64_t seed = 0, size = 0;
};

struct HttpRequest {
  std::string method, target;             // "POST", "/contact.php" (target a template)
  std::vector<std::pair<std::string, std::string>> headers;  // templates
  std::vector<std::pair<std::string, std::string>> query;    // templates
  enum class Body { none, form, multipart, text } body = Body::none;
  std::vector<std::pair<std::string, std::string>> form;     // templates
  std::vector<HttpPart> multipart;
  std::string text;                       // body (template)
  std::string content_type;               // for `body` (and an override for form/multipart)
  bool chunked = false;
  bool expect_continue = false;
  bool follow = false;
  std::optional<std::uint64_t> content_length;  // override (a deliberate mismatch)
  std::map<std::string, std::string> fields;     // variable ← <input name> of the HTML response
};

}  // namespace facteur::scenario
