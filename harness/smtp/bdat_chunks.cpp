// BDAT chunking arithmetic (RFC 3030 §2).
#include "harness/smtp/dot_stuffing.hpp"

namespace facteur::smtp {

std::size_t bdat_chunk_count(std::size_t message_size, std::size_t chunk_size) {
  if (chunk_size == 0) return 0;    // no valid split: the caller passed a bad chunk size
  if (message_size == 0) return 1;  // RFC 3030 §2: "BDAT 0 LAST" carries an empty message
  return message_size / chunk_size + (message_size % chunk_size != 0 ? 1 : 0);
}

}  // namespace facteur::smtp
