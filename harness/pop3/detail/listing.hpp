// "n rest" lines: RFC 1939 §5 drop listing ("+OK nn mm"), scan listing ("n size"), §7 unique-id
// listing ("n unique-id"). Fields are separated by a single space.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/pop3/command.hpp"

namespace facteur::pop3::detail {

struct Listing {
  std::uint64_t number = 0;
  std::string_view rest;  // after the single space
};

inline std::optional<Listing> parse_listing(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto number = parse_number(line.substr(0, space));
  if (!number) return std::nullopt;
  return Listing{*number, line.substr(space + 1)};
}

// A listing whose rest starts with a number: "nn mm [anything]" / "n size [anything]" (RFC 1939
// §5 leaves what follows the size to the server).
struct Sized {
  std::uint64_t number = 0;
  std::uint64_t size = 0;
};

inline std::optional<Sized> parse_sized(std::string_view line) {
  const auto listing = parse_listing(line);
  if (!listing) return std::nullopt;
  const auto size = parse_number(listing->rest.substr(0, listing->rest.find(' ')));
  if (!size) return std::nullopt;
  return Sized{listing->number, *size};
}

}  // namespace facteur::pop3::detail
