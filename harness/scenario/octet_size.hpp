// Sizes written for people in scenarios: 1048576, "512 KiB", "10 MiB", "1 GiB", "100 kB".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace facteur::scenario {

// Digits, optional spaces, then an optional unit: B, KiB/MiB/GiB/TiB (powers of 1024) or
// kB/KB/MB/GB/TB (powers of 1000; units are case-sensitive apart from the K of kB). nullopt for
// anything else, and for a value that does not fit 64 bits.
std::optional<std::uint64_t> parse_octet_size(std::string_view text);

}  // namespace facteur::scenario
