// Fuzzes the DATA codec: dot_unstuff(dot_stuff(x)) == normalise(x), streaming == whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/smtp/dot_stuffing.hpp"

namespace {

using namespace facteur::smtp;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

// RFC 5321 §2.3.8 model, written independently: CRLF, bare CR, bare LF → CRLF; final CRLF added.
std::string normalise(std::string_view m) {
  std::string out;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r' || m[i] == '\n') {
      out += "\r\n";
      if (m[i] == '\r' && i + 1 < m.size() && m[i + 1] == '\n') ++i;
    } else {
      out.push_back(m[i]);
    }
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

struct Decoded {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
};

Decoded unstuff(std::string_view wire, std::size_t split) {
  DotUnstuffer u;
  Decoded d;
  for (std::string_view piece : {wire.substr(0, split), wire.substr(split)}) {
    const auto step = u.feed(piece, d.body);
    require(step.consumed <= piece.size());
    require(!d.done || step.consumed == 0);
    require(step.done || step.consumed == piece.size());
    d.consumed += step.consumed;
    d.done = step.done;
  }
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);

  // Sender side: whole, split once, and in chunks of a size taken from the input.
  const std::string wire = dot_stuff(in);
  require(wire.ends_with(".\r\n"));
  require(("\r\n" + wire).find("\r\n.\r\n") == wire.size() - 3);  // the only end marker is the last
  DotStuffer stuffer;
  std::string chunked;
  stuffer.feed(in.substr(0, split), chunked);
  stuffer.feed(in.substr(split), chunked);
  stuffer.finish(chunked);
  require(chunked == wire);
  const std::size_t chunk = size < 2 ? 1 : 1 + data[1] % 17;
  chunked.clear();
  for (std::size_t i = 0; i < size; i += chunk) stuffer.feed(in.substr(i, chunk), chunked);
  stuffer.finish(chunked);
  require(chunked == wire);

  // Round trip, with the next command after the marker left unread.
  const std::string stream = wire + "QUIT\r\n";
  const Decoded back = unstuff(stream, split % (stream.size() + 1));
  require(back.done && back.consumed == wire.size() && back.body == normalise(in));

  // Receiver side on raw bytes: the split never changes the outcome.
  const Decoded whole = unstuff(in, size);
  const Decoded two = unstuff(in, split);
  require(whole.body == two.body && whole.consumed == two.consumed && whole.done == two.done);
  require(whole.body.size() <= whole.consumed);
  return 0;
}
