#include "harness/engine/ftp_data.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <regex>

#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include "harness/engine/ftp_steps.hpp"
#include "harness/engine/sha256.hpp"
#include "harness/ftp/data_channel.hpp"
#include "harness/ftp/type_a.hpp"
#include "harness/net/listener.hpp"
#include "harness/scenario/seeded_stream.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
using scenario::Step;

namespace {

// Octets per read and per write: memory stays the same whatever the size of the transfer.
constexpr std::size_t kChunk = 64 * 1024;
// LIST/NLST/MLSD lines kept for lines/not_lines/line_count/contains; longer lines are cut.
constexpr std::size_t kMaxLines = 1000;
constexpr std::size_t kMaxLine = 8 * 1024;

std::string upper(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

ftp::DataMode mode_of(scenario::FtpChannel c) {
  switch (c) {
    case scenario::FtpChannel::pasv: return ftp::DataMode::pasv;
    case scenario::FtpChannel::port: return ftp::DataMode::port;
    case scenario::FtpChannel::eprt: return ftp::DataMode::eprt;
    case scenario::FtpChannel::epsv: break;
  }
  return ftp::DataMode::epsv;
}

std::string rate(std::uint64_t octets, double seconds) {
  const double mib = static_cast<double>(octets) / (1024.0 * 1024.0);
  return seconds > 0 ? fmt::format("{:.1f} MiB/s", mib / seconds) : std::string("-");
}

// What a download is checked against, fed chunk by chunk (after TYPE A conversion).
class DownloadCheck {
 public:
  DownloadCheck(const scenario::FtpDownload* spec, std::string sha256) : spec_(spec), sha256_(std::move(sha256)) {
    if (spec_ && spec_->seeded) seeded_.emplace(spec_->seeded->seed, spec_->seeded->offset);
  }

  void feed(std::string_view data) {
    digest_.update(data);
    if (seeded_ && mismatch_ == kNone) {
      const std::uint64_t limit = spec_->seeded->size;
      const std::uint64_t room = octets_ < limit ? limit - octets_ : 0;
      const std::string_view compared = data.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(room, data.size())));
      const std::size_t same = seeded_->compare(compared);
      if (same < compared.size()) mismatch_ = octets_ + same;
      else if (compared.size() < data.size()) mismatch_ = octets_ + compared.size();  // more than the seeded size
    }
    if (wants_lines()) keep_lines(data);
    octets_ += data.size();
  }

  void finish() {
    if (wants_lines() && !partial_.empty() && lines_.size() < kMaxLines) lines_.push_back(partial_);
    partial_.clear();
    hex_ = digest_.hex();
  }

  std::uint64_t octets() const { return octets_; }
  const std::string& hex() const { return hex_; }

  // Why the data is not what the step expects ("" when it is). Run after finish().
  std::string verdict(const std::function<std::string(const std::string&)>& expand) const {
    if (!spec_) return {};
    if (spec_->seeded) {
      const std::uint64_t want = spec_->seeded->size;
      if (mismatch_ != kNone && mismatch_ < want) {
        return fmt::format("octet {} differs from the seeded stream (seed {}, offset {})", mismatch_,
                           spec_->seeded->seed, spec_->seeded->offset);
      }
      if (octets_ < want) return fmt::format("truncated transfer: {} octets of the {} expected", octets_, want);
      if (octets_ > want) return fmt::format("{} octets, {} more than the {} expected", octets_, octets_ - want, want);
    }
    if (spec_->size && octets_ != *spec_->size) {
      return fmt::format("{} octets, expected {}{}", octets_, *spec_->size, octets_ < *spec_->size ? " (truncated)" : "");
    }
    if (!sha256_.empty() && sha256_ != hex_) return "SHA-256 " + hex_ + ", expected " + sha256_;
    for (const auto& source : spec_->lines) {
      const std::regex re(expand(source));
      bool any = false;
      for (const auto& line : lines_) any = any || std::regex_search(line, re);
      if (!any) return "no line of the data matches /" + source + "/";
    }
    for (const auto& source : spec_->not_lines) {
      const std::regex re(expand(source));
      for (const auto& line : lines_) {
        if (std::regex_search(line, re)) return "data line '" + line.substr(0, 120) + "' matches /" + source + "/";
      }
    }
    if (spec_->line_count && lines_.size() != static_cast<std::size_t>(*spec_->line_count)) {
      return fmt::format("the data has {}{} lines, expected {}", lines_.size(), lines_.size() >= kMaxLines ? "+" : "",
                         *spec_->line_count);
    }
    if (!spec_->contains.empty()) {
      const std::string needle = expand(spec_->contains);
      bool found = false;
      for (const auto& line : lines_) found = found || line.find(needle) != std::string::npos;
      if (!found) return "no line of the data contains '" + needle + "'";
    }
    return {};
  }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};

  bool wants_lines() const {
    return spec_ && (!spec_->lines.empty() || !spec_->not_lines.empty() || spec_->line_count || !spec_->contains.empty());
  }

  void keep_lines(std::string_view data) {
    for (char c : data) {
      if (lines_.size() >= kMaxLines) return;
      if (c == '\n') {
        if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
        lines_.push_back(std::move(partial_));
        partial_.clear();
      } else if (partial_.size() < kMaxLine) {
        partial_ += c;
      }
    }
  }

  const scenario::FtpDownload* spec_;
  std::string sha256_;
  Sha256 digest_;
  std::optional<scenario::SeededStream> seeded_;
  std::uint64_t octets_ = 0;
  std::uint64_t mismatch_ = kNone;
  std::vector<std::string> lines_;
  std::string partial_;
  std::string hex_;
};

// The local octets of an upload, chunk by chunk.
class UploadSource {
 public:
  UploadSource(const scenario::FtpUpload* spec, std::string text) : text_(std::move(text)) {
    if (spec && spec->seeded) {
      seeded_.emplace(spec->seeded->seed, spec->seeded->offset);
      left_ = spec->seeded->size;
    } else {
      left_ = text_.size();
    }
  }
  std::uint64_t size_left() const { return left_; }
  // The next at most `max` octets into `out` (replacing it); empty at the end.
  void next(std::string& out, std::size_t max) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left_, max));
    out.resize(n);
    if (seeded_) seeded_->fill(out.data(), n);
    else std::copy_n(text_.data() + (text_.size() - left_), n, out.data());
    left_ -= n;
  }

 private:
  std::string text_;
  std::optional<scenario::SeededStream> seeded_;
  std::uint64_t left_ = 0;
};

struct Transfer {
  CaseRun& run;
  const Step& step;
  Session& s;
  FtpSession& fs;
  std::string command;
  std::string verb;
  ftp::DataMode mode;
  bool upload;
};

asio::awaitable<std::optional<ftp::Reply>> command_reply(CaseRun& run, Session& s, std::string command) {
  const std::string wire = command + "\r\n";
  co_await run.send(s, wire);
  std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", run.reply_deadline());
  if (r) ftp_session(s).state.observe(command, *r);
  co_return r;
}

// What the control connection says after a data-connection failure, if it says it soon.
asio::awaitable<std::string> late_reply(CaseRun& run, Session& s) {
  bool timed_out = false;
  const net::Deadline soon = std::min(run.case_deadline_, net::Clock::now() + std::chrono::milliseconds(2000));
  std::optional<ftp::Reply> r = co_await read_ftp_reply(run, s, "reply", soon, true, &timed_out);
  if (!r) co_return timed_out ? std::string("no reply on the control connection") : std::string("the server closed the control connection");
  co_return "the server said " + ftp_facts(*r).summary();
}

// Telnet IP + Synch, then ABOR (RFC 959 §4.1.3); under TLS the line goes in-band.
asio::awaitable<void> send_abort(CaseRun& run, Session& s) {
  const ftp::UrgentAbort abort = ftp::urgent_abort();
  if (s.conn->tls_active()) {
    run.transcript_.note(s.name, "the control connection is TLS: ABOR sent in-band (urgent data cannot be inside a TLS record)");
    co_await run.send(s, abort.command);
    co_return;
  }
  co_await run.send(s, abort.before);
  run.transcript_.data(s.name, '>', abort.urgent);
  run.transcript_.note(s.name, "(the octet above went as TCP urgent data: the Synch of RFC 959 §4.1.3)");
  net::IoResult r = co_await s.conn->write_urgent(abort.urgent, run.reply_deadline());
  if (!r) throw CaseStop{report::Outcome::fail, "sending ABOR's urgent octet: " + r.detail, {}, {}, stop_kind(r.kind)};
  co_await run.send(s, abort.command);
}

// After ABOR: 426 then 226, or 226 alone (RFC 959 §4.1.3); the step's expect checks the last.
// With a plain control connection the data connection stays open until the server answers (the
// urgent Synch is what must interrupt it). Under TLS there was no Synch, and a server blocked in
// sending data reads no command (vsftpd: lab/README.md), so facteur also closes the data
// connection, which interrupts the transfer the way a lost connection would.
asio::awaitable<std::optional<ftp::Reply>> abort_replies(Transfer& t, net::Connection& data) {
  if (t.s.conn->tls_active()) {
    t.run.transcript_.note(t.s.name, "data connection closed by facteur after ABOR (no urgent data under TLS)");
    data.close();
  }
  std::optional<ftp::Reply> r = co_await read_ftp_reply(t.run, t.s, "reply to ABOR", t.run.reply_deadline());
  data.close();
  if (r && r->code / 100 == 4) {
    t.run.transcript_.note(t.s.name, "transfer aborted; now the reply to ABOR");
    r = co_await read_ftp_reply(t.run, t.s, "reply to ABOR", t.run.reply_deadline());
  }
  co_return r;
}

asio::awaitable<void> finish_step(Transfer& t, const std::optional<ftp::Reply>& final_reply, const std::string& what) {
  ReplyFacts facts;
  if (final_reply) {
    t.fs.state.observe(t.command, *final_reply);
    facts = ftp_facts(*final_reply);
  } else {
    facts.closed = true;
  }
  std::optional<scenario::ExpectSet> fallback =
      t.step.ftp && t.step.ftp->abort_after ? status_is("226", "225") : status_is("226", "250");
  t.run.verify(t.step, facts, t.step.expect, fallback, what);
  co_return;
}

}  // namespace

asio::awaitable<void> run_ftp_transfer(CaseRun& run, const Step& step, Session& s) {
  FtpSession& fs = ftp_session(s);
  const scenario::FtpTransfer spec = step.ftp ? *step.ftp : scenario::FtpTransfer{};
  Transfer t{run, step, s, fs, run.expand(step.text), {}, mode_of(spec.channel), false};
  t.verb = upper(std::string_view(t.command).substr(0, t.command.find(' ')));
  t.upload = spec.upload.has_value() || t.verb == "STOR" || t.verb == "STOU" || t.verb == "APPE";
  if (fs.state.epsv_all && t.mode != ftp::DataMode::epsv) {
    run.error(step, fmt::format("scenario: EPSV ALL was accepted in this session, so only EPSV may open data "
                                "connections (RFC 2428 §4); this step asks for {}", to_string(spec.channel)),
              report::StopKind::scenario);
  }
  const auto executor = co_await asio::this_coro::executor;
  net::Connection data(executor, run.settings_.tls);
  std::optional<net::Listener> listener;
  const std::string peer = s.conn->remote_address();
  std::string data_peer;  // for messages

  // 1. Where the data connection goes (RFC 959 §3.2).
  if (ftp::passive(t.mode)) {
    const std::string pcmd = ftp::passive_command(t.mode);
    std::optional<ftp::Reply> r = co_await command_reply(run, s, pcmd);
    if (!r) run.fail(step, pcmd + ": the server closed the control connection", t.mode == ftp::DataMode::pasv ? "227" : "229", "closed");
    ftp::Parsed<ftp::Endpoint> endpoint = ftp::passive_endpoint(t.mode, *r, peer);
    if (!endpoint.ok()) {
      run.fail(step, pcmd + ": " + endpoint.error, t.mode == ftp::DataMode::pasv ? "227 with h1,h2,h3,h4,p1,p2" : "229 (|||port|)",
               ftp_facts(*r).summary());
    }
    data_peer = endpoint.value.address + ":" + std::to_string(endpoint.value.port);
    const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.connect_timeout);
    net::IoResult c = co_await data.connect(endpoint.value.address, endpoint.value.port, deadline);
    if (!c) {
      run.transcript_.note(s.name, "data connection: " + c.detail);
      run.fail(step, fmt::format("the data connection to {} (from the {} reply) failed: {}", data_peer,
                                 t.mode == ftp::DataMode::pasv ? "227" : "229", c.detail),
               "a data connection", c.detail, report::StopKind::connect);
    }
    run.transcript_.note(s.name, "data connection to " + data_peer);
  } else {
    listener.emplace(executor);
    const std::string local = s.conn->local_address();
    net::IoResult l = listener->open(local);
    if (!l) run.error(step, "active mode: " + l.detail, report::StopKind::connect);
    const ftp::Endpoint here{ftp::family_of(local), local, listener->port()};
    ftp::Parsed<std::string> acmd = ftp::active_command(t.mode, here);
    if (!acmd.ok()) run.error(step, "scenario: " + acmd.error, report::StopKind::scenario);
    std::optional<ftp::Reply> r = co_await command_reply(run, s, acmd.value);
    ReplyFacts facts;
    if (r) facts = ftp_facts(*r);
    else facts.closed = true;
    run.verify(step, facts, std::nullopt, status_is("200"),
               t.mode == ftp::DataMode::port ? "PORT (RFC 959 §4.1.2)" : "EPRT (RFC 2428 §2)");
    data_peer = fmt::format("{}:{}", local, listener->port());
  }

  // 2. The command and its preliminary reply.
  if (fs.state.rest) run.transcript_.note(s.name, fmt::format("restart marker {} in force (REST)", *fs.state.rest));
  const std::string wire = t.command + "\r\n";
  co_await run.send(s, wire);
  fs.state.transfer_started();
  std::optional<ftp::Reply> prelim = co_await read_ftp_reply(run, s, "preliminary reply", run.reply_deadline());
  if (!prelim || !prelim->preliminary()) {
    // No transfer: the reply is the command's last (RFC 959 §5.4: 4xx/5xx instead of 1xx).
    ReplyFacts facts;
    if (prelim) {
      fs.state.observe(t.command, *prelim);
      facts = ftp_facts(*prelim);
    } else {
      facts.closed = true;
    }
    run.verify(step, facts, step.expect ? step.expect : step.expect_intermediate, status_is("125", "150"), t.verb);
    co_return;
  }
  run.verify(step, ftp_facts(*prelim), step.expect_intermediate, status_is("125", "150"),
             t.verb + " (preliminary reply, RFC 959 §5.4)");

  // 3. Active mode: the server connects now.
  if (listener) {
    const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.connect_timeout);
    net::IoResult a = co_await listener->accept(data, deadline);
    listener->close();
    if (!a) {
      const std::string said = co_await late_reply(run, s);
      run.fail(step, fmt::format("the server did not open the data connection to facteur's {} ({} ms after {}): {}; {}",
                                 data_peer, run.settings_.connect_timeout.count(), prelim->code, a.detail, said),
               "a data connection from the server", a.detail, stop_kind(a.kind));
    }
    run.transcript_.note(s.name, "data connection from " + data.peer_endpoint());
  }

  // 4. PROT P: TLS on the data connection, resuming the control connection's session.
  const bool tls = fs.state.prot_private;
  bool resumed = false;
  if (tls) {
    net::TlsSession session = fs.data_session       ? fs.data_session
                              : s.conn->tls_active() ? s.conn->tls_session()
                                                     : fs.cleared_session;
    fs.data_session.reset();
    if (!session) run.error(step, "PROT P is in force but the control connection has no TLS session to resume");
    data.resume_tls_session(session);
    const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.reply_timeout);
    net::IoResult h = co_await data.start_tls(s.url.host, deadline);
    if (!h) {
      run.transcript_.note(s.name, "data TLS: " + h.detail);
      data.close();
      const std::string said = co_await late_reply(run, s);
      run.fail(step, "TLS on the data connection failed (facteur offered the control connection's TLS session for "
                     "resumption, RFC 4217 §10.2): " + h.detail + "; " + said,
               "a TLS data connection", said, report::StopKind::tls);
    }
    const net::TlsInfo info = data.tls_info();
    resumed = info.resumed;
    run.transcript_.note(s.name, fmt::format("data TLS: {} {}, session {}", info.version, info.cipher,
                                             info.resumed ? "resumed from the control connection" : "NOT resumed (new session)"));
  }

  // 5. The data.
  const auto started = std::chrono::steady_clock::now();
  const bool type_a = fs.state.type == 'A';
  std::uint64_t octets = 0;       // local octets (before TYPE A encoding / after decoding)
  std::uint64_t wire_octets = 0;  // on the data connection
  std::string digest;
  std::string verdict;
  bool aborted = false;
  std::string end_note;
  std::optional<ftp::Reply> final_reply;
  std::string chunk, converted;
  chunk.reserve(kChunk);
  converted.reserve(2 * kChunk);
  if (t.upload) {
    std::string text;
    if (spec.upload && spec.upload->text) text = run.expand(*spec.upload->text);
    UploadSource source(spec.upload ? &*spec.upload : nullptr, text);
    Sha256 sha;
    while (source.size_left() > 0) {
      std::size_t n = kChunk;
      if (spec.abort_after) {
        if (octets >= *spec.abort_after) {
          aborted = true;
          break;
        }
        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, *spec.abort_after - octets));
      }
      source.next(chunk, n);
      sha.update(chunk);
      std::string_view out = chunk;
      if (type_a) {
        converted.clear();
        ftp::type_a_encode(chunk, converted);
        out = converted;
      }
      const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.reply_timeout);
      net::IoResult w = co_await data.write(out, deadline);
      if (!w) {
        run.transcript_.note(s.name, "data connection: " + w.detail);
        const std::string said = co_await late_reply(run, s);
        run.fail(step, fmt::format("{}: the data connection failed after {} octets: {}; {}", t.verb, octets, w.detail, said),
                 "the whole upload accepted", w.detail, stop_kind(w.kind));
      }
      octets += chunk.size();
      wire_octets += out.size();
    }
    digest = sha.hex();
    if (aborted) {
      co_await send_abort(run, s);
      final_reply = co_await abort_replies(t, data);
    } else {
      // End of the data: TLS close_notify both ways (the server's TLS 1.3 tickets read, so no RST
      // drops the tail), then the TCP close that tells the server the file is complete.
      if (tls) {
        const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.reply_timeout);
        net::IoResult c = co_await data.shutdown_tls(deadline);
        if (!c) end_note = "data TLS close: " + c.detail;
      }
      data.close();
      final_reply = co_await read_ftp_reply(run, s, "reply after the upload", run.reply_deadline());
    }
  } else {
    const std::string sha_expected = spec.download ? run.expand(spec.download->sha256) : std::string();
    DownloadCheck check(spec.download ? &*spec.download : nullptr, sha_expected);
    ftp::TypeADecoder decoder;
    bool close_notify = !tls;
    for (;;) {
      chunk.clear();
      const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.reply_timeout);
      net::IoResult r = co_await data.read_some(chunk, kChunk, deadline);
      if (!chunk.empty()) {
        wire_octets += chunk.size();
        std::string_view in = chunk;
        if (type_a) {
          converted.clear();
          decoder.feed(chunk, converted);
          in = converted;
        }
        check.feed(in);
        if (spec.abort_after && wire_octets >= *spec.abort_after) {
          aborted = true;
          break;
        }
      }
      if (r) continue;
      if (r.kind == net::FailureKind::closed) {
        close_notify = close_notify || r.detail.find("truncated") == std::string::npos;
        break;
      }
      run.transcript_.note(s.name, "data connection: " + r.detail);
      if (net::Clock::now() >= run.case_deadline_) {
        run.error(step, fmt::format("deadline: the case ran past its limit during {} after {} octets", t.verb, check.octets()),
                  report::StopKind::timeout);
      }
      const std::string said = co_await late_reply(run, s);
      run.fail(step, fmt::format("{}: the data connection {} after {} octets; {}", t.verb,
                                 r.kind == net::FailureKind::timeout
                                     ? fmt::format("stalled (no data for {} ms)", run.settings_.reply_timeout.count())
                                     : "failed (" + r.detail + ")",
                                 check.octets(), said),
               "the whole download", r.detail, stop_kind(r.kind));
    }
    if (type_a) {
      converted.clear();
      decoder.finish(converted);
      check.feed(converted);
    }
    check.finish();
    octets = check.octets();
    digest = check.hex();
    if (aborted) {
      co_await send_abort(run, s);
      final_reply = co_await abort_replies(t, data);
    } else {
      if (tls && !close_notify) {
        end_note = "the server closed the TLS data connection without close_notify (RFC 4217 §10.3 wants it)";
      } else if (tls) {
        // vsftpd answers 226 only once the client has answered its close_notify (lab/README.md).
        const net::Deadline deadline = std::min(run.case_deadline_, net::Clock::now() + run.settings_.reply_timeout);
        net::IoResult c = co_await data.shutdown_tls(deadline);
        if (!c) end_note = "data TLS close: " + c.detail;
      }
      data.close();
      final_reply = co_await read_ftp_reply(run, s, "reply after the download", run.reply_deadline());
      if (spec.download) verdict = check.verdict(run.expander());
      // TYPE A: the octets that crossed, not the decoded text, show whether lines ended in CRLF.
      if (verdict.empty() && spec.download && spec.download->wire_size && *spec.download->wire_size != wire_octets) {
        verdict = fmt::format("{} octets on the wire, expected {}", wire_octets, *spec.download->wire_size);
      }
      if (spec.download && !spec.download->capture_sha256.empty()) run.vars_[spec.download->capture_sha256] = digest;
    }
  }
  if (tls) {
    net::TlsSession next = data.tls_session();
    if (next && SSL_SESSION_is_resumable(next.get()) == 1) fs.data_session = std::move(next);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!end_note.empty()) run.transcript_.note(s.name, end_note);
  run.transcript_.note(s.name, fmt::format("data: {} octets in {:.2f} s ({}), sha256 {}{}{}", octets, seconds,
                                           rate(octets, seconds), digest,
                                           wire_octets != octets ? fmt::format(" ({} octets on the wire, TYPE A)", wire_octets) : "",
                                           aborted ? ", aborted with ABOR" : ""));
  const std::string what = aborted ? std::string("ABOR (RFC 959 §4.1.3)")
                                   : fmt::format("{} after {} octets", t.verb, octets);
  if (tls && !resumed && final_reply && final_reply->code == 522 && !step.expect) {
    // vsftpd's require_ssl_reuse: the handshake succeeds, then the server drops the data connection.
    run.fail(step, fmt::format("{}: the server refused the TLS data connection because it did not resume the "
                               "control connection's TLS session (facteur offered it, but the handshake made a "
                               "new one; RFC 4217 §10.2 lets a server require reuse): {}",
                               t.verb, ftp_facts(*final_reply).summary()),
             "226 over a resumed TLS session", ftp_facts(*final_reply).summary(), report::StopKind::tls);
  }
  co_await finish_step(t, final_reply, what);
  if (!verdict.empty()) {
    const std::string code = final_reply ? std::to_string(final_reply->code) : std::string("no reply");
    run.fail(step, fmt::format("{}: {} ({} {})", t.verb, verdict, "the server said", code), "the expected data", verdict);
  }
}

}  // namespace facteur::engine
