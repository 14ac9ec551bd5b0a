// The result of the FTP parsers that read one value out of a reply, an argument or a line: the
// value, or the reason there is none. A plain struct, so callers read `value` after testing ok()
// without the maybe-uninitialized noise GCC 12 -O2 makes about an optional.
#pragma once

#include <string>
#include <utility>

namespace facteur::ftp {

// Why a parse failed; converts to any Parsed<T>.
struct Failure {
  std::string reason;
};

template <class T>
struct Parsed {
  T value{};
  std::string error;  // why not, when !ok(); never empty then

  // Implicit on purpose: a parser returns either its value or a Failure.
  Parsed() = default;
  Parsed(T v) : value(std::move(v)) {}
  Parsed(Failure f) : error(std::move(f.reason)) {}

  bool ok() const { return error.empty(); }
};

}  // namespace facteur::ftp
