// The fields and files of a posted form, as the fake form's handler and its echo see them
// (application/x-www-form-urlencoded or multipart/form-data, RFC 7578), with the switches of
// FakeFormMisbehaviour that change how a form is read. Pure (over an already read request).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/http/form_urlencoded.hpp"
#include "tests/support/fake_http_form_config.hpp"
#include "tests/support/fake_http_request.hpp"

namespace facteur::testing {

struct PostedFile {
  std::string field, name, type, content;  // name: the part's filename; type: its Content-Type
};

struct PostedForm {
  bool multipart = false;
  http::FieldList fields;  // in order, duplicates kept
  std::vector<PostedFile> files;
};

// nullopt when the body cannot be read as the form its Content-Type says (a multipart body
// without its boundary, a broken %-escape). Any other type is read as urlencoded.
std::optional<PostedForm> read_posted_form(const FakeRequest& r, const FakeFormMisbehaviour& bad);

// True when `text` is well-formed UTF-8 (RFC 3629 §4: shortest forms, no surrogates).
bool valid_utf8(std::string_view text);

}  // namespace facteur::testing
