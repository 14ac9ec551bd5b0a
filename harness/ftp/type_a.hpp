// TYPE A on the data connection (RFC 959 §3.1.1.1): text crosses as NVT-ASCII lines ended by CRLF;
// local text here is Unix text, lines ended by LF. Pure, O(n), chunks cut anywhere.
//
// Local → network turns every LF into CRLF and passes every other octet, a CR included; network →
// local turns every CRLF into LF and passes every other octet, a lone CR or LF included. So
// decoding an encoding gives the local text back, whatever it holds. (NVT's CR NUL for a lone CR,
// RFC 854, is not used: FTP servers send and expect CR and LF only in pairs.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace facteur::ftp {

// Local → network. Needs no state across chunks: each LF is converted where it is.
void type_a_encode(std::string_view local, std::string& out);

// Octets type_a_encode makes of `local`: one more per LF (RFC 3659 §4.4: what SIZE reports in TYPE A).
std::size_t type_a_encoded_size(std::string_view local);

// Network → local, as the data arrives: a CR that ends one chunk waits for the next to say
// whether it is half of a CRLF.
class TypeADecoder {
 public:
  void feed(std::string_view chunk, std::string& out);
  // The data connection closed: a CR held back is data. Ready for a new transfer afterwards.
  void finish(std::string& out);

 private:
  bool pending_cr_ = false;
};

}  // namespace facteur::ftp
