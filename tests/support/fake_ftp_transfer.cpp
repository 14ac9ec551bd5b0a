// One transfer of the fake FTP server (RETR, STOR, APPE, NLST, LIST, MLSD): the data connection,
// TLS on it under PROT P, and ABOR while a download runs.
#include <algorithm>
#include <optional>

#include "tests/support/fake_ftp_session.hpp"

namespace facteur::testing {
namespace {

using namespace std::chrono_literals;
constexpr std::size_t kChunk = 64 * 1024;  // between two looks at the control connection for ABOR

}  // namespace

void FakeFtpServer::transfer(Session& s, const std::string& verb, const std::string& path,
                             std::unique_lock<std::mutex>& lock) {
  const bool download = verb == "RETR" || verb == "NLST" || verb == "LIST" || verb == "MLSD";
  if (verb == "RETR" && !files_.count(path)) {
    s.reply("550 No such file.");
    return;
  }
  std::string payload;
  if (verb == "RETR") {
    payload = files_[path];
    payload.erase(0, std::min<std::uint64_t>(s.rest, payload.size()));
    if (faults_.truncate_retr >= 0 && payload.size() > static_cast<std::uint64_t>(faults_.truncate_retr)) {
      payload.resize(static_cast<std::size_t>(faults_.truncate_retr));
    }
  } else if (download) {
    const std::string prefix = path.empty() ? "" : path + "/";
    for (const auto& [name, data] : files_) {
      if (name.rfind(prefix, 0) != 0 || name.find('/', prefix.size()) != std::string::npos) continue;
      const std::string base = name.substr(prefix.size());
      const auto size = static_cast<long long>(data.size());
      if (verb == "NLST") payload += base + "\r\n";
      else if (verb == "MLSD") payload += mlst_facts(size + faults_.size_delta) + " " + base + "\r\n";
      else payload += "-rw-r--r--    1 1000     1000" + std::string(12, ' ') + std::to_string(size) + " Nov 26 12:00 " +
                      base + "\r\n";
    }
  }
  const std::uint64_t offset = s.rest;
  s.rest = 0;
  s.reply("150 Opening data connection.");
  if (faults_.never_connect && s.active) {
    s.active.reset();
    return;  // no data connection, no further reply: the client must notice by itself
  }
  lock.unlock();
  fake_ftp::Socket data = s.open_data();
  if (data.fd < 0) {
    s.reply("425 Cannot open data connection.");
    return;
  }
  std::optional<FtpStream> stream_holder;
  FtpStream& stream = stream_holder.emplace(data.fd, s.stopping);
  // RFC 959 §3.3: the data connection is closed before the reply that ends the transfer.
  const auto close_data = [&] {
    stream_holder.reset();
    data = fake_ftp::Socket();
  };
  // RFC 4217 §9: under PROT P the data connection is TLS before any data, the FTP server being the
  // TLS server whichever side connected (§10.2: the client may resume the control connection's session).
  if (s.protect_data && !stream.start_tls(*tls_, 5s)) {
    s.reply("522 TLS negotiation on the data connection failed.");
    return;
  }
  if (!download) {
    std::string got = stream.read_to_end(5s);
    stream.close_tls(2s);
    close_data();
    lock.lock();
    std::string& file = files_[path];
    if (verb == "APPE") {
      file += got;
    } else if (offset > 0) {
      file.resize(std::min<std::uint64_t>(offset, file.size()));
      file += got;
    } else {
      file = std::move(got);
    }
    lock.unlock();
    s.reply("226 Transfer complete.");
    return;
  }
  // RFC 959 §4.1.3: ABOR interrupts the transfer. Under TLS it comes in-band (RFC 4217 §14), so the
  // control connection is watched while the data go; `ignore_abor` is a server waiting for SIGURG.
  const auto abor_waiting = [&] { return !faults_.ignore_abor && s.control.line_ready(); };
  std::string_view rest = payload;
  bool sent = true;
  while (!rest.empty() && sent) {
    if (abor_waiting()) {
      close_data();
      s.reply("426 Transfer aborted.");  // the 226 goes to ABOR itself, read next
      return;
    }
    const std::string_view chunk = rest.substr(0, kChunk);
    sent = stream.send(chunk, 10s, abor_waiting);
    if (sent) rest.remove_prefix(chunk.size());
  }
  if (!sent) {
    close_data();
    s.reply(abor_waiting() ? "426 Transfer aborted." : "426 Connection closed; transfer aborted.");
    return;
  }
  stream.close_tls(2s);
  close_data();
  s.reply("226 Transfer complete.");
}

}  // namespace facteur::testing
