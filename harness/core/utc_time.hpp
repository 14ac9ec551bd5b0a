// The current time as reports write it.
#pragma once

#include <string>

namespace facteur {

// "2026-11-26T12:00:00Z" (RFC 3339, UTC, whole seconds).
std::string utc_now_rfc3339();

}  // namespace facteur
