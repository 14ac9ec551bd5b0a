// The mechanism table: SASL names (RFC 4422 §3.1, upper case on the wire; matched
// case-insensitively as RFC 4954 §8 asks of AUTH) → factories.
#include <algorithm>
#include <array>
#include <cctype>

#include "harness/sasl/detail/factories.hpp"

namespace facteur::sasl {
namespace {

using Factory = std::unique_ptr<Mechanism> (*)(Credentials, NonceSource);

struct Entry {
  std::string_view name;
  Factory make;
};

constexpr std::array<Entry, 6> table{{
    {"PLAIN", [](Credentials c, NonceSource) { return detail::make_plain(std::move(c)); }},
    {"LOGIN", [](Credentials c, NonceSource) { return detail::make_login(std::move(c)); }},
    {"CRAM-MD5", [](Credentials c, NonceSource) { return detail::make_cram_md5(std::move(c)); }},
    {"SCRAM-SHA-1",
     [](Credentials c, NonceSource n) {
       return detail::make_scram("SCRAM-SHA-1", detail::Digest::sha1, std::move(c), std::move(n));
     }},
    {"SCRAM-SHA-256",
     [](Credentials c, NonceSource n) {
       return detail::make_scram("SCRAM-SHA-256", detail::Digest::sha256, std::move(c), std::move(n));
     }},
    {"XOAUTH2", [](Credentials c, NonceSource) { return detail::make_xoauth2(std::move(c)); }},
}};

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::unique_ptr<Mechanism> make_mechanism(std::string_view name, Credentials credentials,
                                          NonceSource nonce) {
  for (const Entry& entry : table) {
    if (same_name(entry.name, name)) return entry.make(std::move(credentials), std::move(nonce));
  }
  return nullptr;
}

std::vector<std::string> supported_mechanisms() {
  std::vector<std::string> names;
  names.reserve(table.size());
  for (const Entry& entry : table) names.emplace_back(entry.name);
  return names;
}

}  // namespace facteur::sasl
