// TYPE A conversion (RFC 959 §3.1.1.1): LF ↔ CRLF, one memchr scan per line.
#include "harness/ftp/type_a.hpp"

#include <algorithm>
#include <cstring>

namespace facteur::ftp {
namespace {

// Position of `c` in s[from, end), or s.size().
std::size_t find_from(std::string_view s, std::size_t from, char c) {
  const void* hit = std::memchr(s.data() + from, c, s.size() - from);
  return hit == nullptr ? s.size() : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

}  // namespace

void type_a_encode(std::string_view local, std::string& out) {
  out.reserve(out.size() + local.size());
  for (std::size_t pos = 0; pos < local.size();) {
    const std::size_t lf = find_from(local, pos, '\n');
    out.append(local.substr(pos, lf - pos));
    if (lf == local.size()) break;
    out += "\r\n";
    pos = lf + 1;
  }
}

std::size_t type_a_encoded_size(std::string_view local) {
  return local.size() + static_cast<std::size_t>(std::count(local.begin(), local.end(), '\n'));
}

void TypeADecoder::feed(std::string_view chunk, std::string& out) {
  if (chunk.empty()) return;
  out.reserve(out.size() + chunk.size() + 1);
  std::size_t pos = 0;
  if (pending_cr_) {  // the CR that ended the last chunk
    pending_cr_ = false;
    if (chunk[0] == '\n') {
      out += '\n';
      pos = 1;
    } else {
      out += '\r';
    }
  }
  while (pos < chunk.size()) {
    const std::size_t cr = find_from(chunk, pos, '\r');
    out.append(chunk.substr(pos, cr - pos));
    if (cr == chunk.size()) break;
    if (cr + 1 == chunk.size()) {
      pending_cr_ = true;
      break;
    }
    const bool crlf = chunk[cr + 1] == '\n';
    out += crlf ? '\n' : '\r';
    pos = cr + (crlf ? 2 : 1);
  }
}

void TypeADecoder::finish(std::string& out) {
  if (pending_cr_) out += '\r';
  pending_cr_ = false;
}

}  // namespace facteur::ftp
