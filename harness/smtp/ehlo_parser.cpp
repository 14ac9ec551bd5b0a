// parse_ehlo: the extension list of a 250 reply to EHLO (RFC 5321 §4.1.1.1, RFC 1869 §4.3).
#include <algorithm>

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/smtp/ehlo.hpp"

namespace facteur::smtp {
namespace {

using ascii::iequal;
using ascii::is_alnum;
using ascii::upper;

// ehlo-param = 1*(%d33-126)
bool is_param_char(char c) { return c >= 33 && c <= 126; }

// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool valid_keyword(std::string_view k) {
  if (k.empty() || !is_alnum(k.front())) return false;
  return std::all_of(k.begin(), k.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// Splits `rest` on single SPs into ehlo-params; returns an error text on an empty or bad param.
std::optional<std::string> split_params(std::string_view rest, std::vector<std::string>& out) {
  while (true) {
    const std::size_t sp = rest.find(' ');
    const std::string_view param = rest.substr(0, sp);
    if (param.empty()) return "empty parameter (double or trailing space)";
    if (!std::all_of(param.begin(), param.end(), is_param_char)) {
      return fmt::format("parameter '{}' has a control or non-ASCII octet", param);
    }
    out.emplace_back(param);
    if (sp == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(sp + 1);
  }
}

// Adds AUTH mechanisms not yet listed (case-insensitive): "AUTH PLAIN" and the obsolete
// "AUTH=PLAIN LOGIN" line that old Outlook needed are often both sent.
void merge_auth(std::vector<std::string>& into, const std::vector<std::string>& mechs) {
  for (const auto& m : mechs) {
    const bool seen = std::any_of(into.begin(), into.end(), [&](const auto& x) { return iequal(x, m); });
    if (!seen) into.push_back(m);
  }
}

// One "ehlo-line = ehlo-keyword *( SP ehlo-param )". Returns an error text when malformed.
std::optional<std::string> add_line(std::string_view line, Extensions& ext) {
  const std::size_t sp = line.find(' ');
  const std::string_view keyword = line.substr(0, sp);
  std::vector<std::string> params;
  if (sp != std::string_view::npos) {
    if (auto err = split_params(line.substr(sp + 1), params)) return err;
  }
  // Obsolete "AUTH=LOGIN PLAIN": not ehlo-keyword syntax, tolerated and folded into AUTH.
  if (keyword.size() > 5 && iequal(keyword.substr(0, 5), "AUTH=")) {
    std::vector<std::string> mechs;
    if (auto err = split_params(keyword.substr(5), mechs)) return err;
    mechs.insert(mechs.end(), params.begin(), params.end());
    merge_auth(ext.keywords["AUTH"], mechs);
    return std::nullopt;
  }
  if (!valid_keyword(keyword)) {
    return fmt::format("keyword '{}' is not (ALPHA / DIGIT) *(ALPHA / DIGIT / \"-\")", keyword);
  }
  std::string key = upper(keyword);
  if (key == "AUTH") {
    merge_auth(ext.keywords[key], params);
  } else {
    ext.keywords.emplace(std::move(key), std::move(params));  // a repeated keyword keeps its first line
  }
  return std::nullopt;
}

}  // namespace

// RFC 5321 §4.1.1.1: ehlo-ok-rsp = "250" SP Domain [SP ehlo-greet] CRLF
//                                / "250-" Domain [SP ehlo-greet] CRLF *("250-" ehlo-line CRLF)
//                                  "250" SP ehlo-line CRLF
std::optional<Extensions> parse_ehlo(const Reply& reply, std::string* error) {
  const auto fail = [&](std::string message) -> std::optional<Extensions> {
    if (error != nullptr) *error = std::move(message);
    return std::nullopt;
  };
  if (reply.klass() != 2) return fail(fmt::format("EHLO reply code {} is not 2xx", reply.code));
  if (reply.lines.empty()) return fail("EHLO reply has no lines");

  Extensions ext;
  const std::string_view first = reply.lines.front();
  const std::size_t sp = first.find(' ');
  ext.domain = first.substr(0, sp);
  if (sp != std::string_view::npos) ext.greeting = first.substr(sp + 1);

  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    if (auto err = add_line(reply.lines[i], ext)) {
      return fail(fmt::format("EHLO line {}: {}", i + 1, *err));
    }
  }
  return ext;
}

}  // namespace facteur::smtp
