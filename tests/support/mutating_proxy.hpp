// A TCP proxy in front of a real server that changes what the server says, one rule at a time, so
// that a conformance case can be proven able to fail against the real server with one precise
// misbehaviour (tests/integration/negative_proxy_test.cpp).
//
// Server→client bytes are cut into lines (ending in LF; the CRLF is kept) and each line goes
// through the rules. IMAP literals ("{n}", "{n+}", "~{n}" at the end of a line) are passed through
// untouched: rules see the line that announces them and the rest of the response after them, never
// their octets; neither do lines over 64 KiB. Client→server bytes are forwarded untouched unless a
// rule says "client": true (then client lines go through those rules: an FTP "REST 100000" can be
// turned into "REST 0"), and watched for STARTTLS / STLS / FTP's AUTH TLS: once the server's positive
// answer has gone through (FTP: 234, RFC 4217 §4), the proxy cannot see inside TLS and forwards both
// ways blindly (as it does from the start for an implicit-TLS upstream). TCP urgent data from the
// client (FTP's Synch, RFC 959 §4.1.3) is relayed as urgent data.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace facteur::testing {

// One change to the server→client stream. JSON form (every key but "match" optional):
//   {"match": "regex", "replace": "text with $1", "drop": true, "insert_after": "line",
//    "occurrence": 1, "connection": 1, "close": true, "literal_delta": 1, "client": true}
// Rules apply in order to each line, each to the line as the previous ones left it; drop and close
// end the line's processing. close goes alone; drop goes alone or with insert_after.
struct ProxyRule {
  std::string match;                        // ECMAScript regex, searched in the line without its CRLF
  std::optional<std::string> replace;       // replaces the first match (std::regex_replace format: $1, $&);
                                            // "\r\n" in it makes several lines out of one
  bool drop = false;                        // the line is not forwarded (nor the literal it announces)
  std::optional<std::string> insert_after;  // a line (CRLF appended) sent after the matching one (after
                                            // its literal when it announces one); with drop: in its place
  bool close = false;                       // close both sides instead of forwarding the line
  int occurrence = 0;                       // only the n-th matching line of a connection (1-based); 0 = every
  int connection = 0;                       // only on the n-th accepted connection (1-based); 0 = all
  long long literal_delta = 0;              // announce a literal of n+delta octets; the n real ones are sent
  bool client = false;                      // applies to client→server lines (replace or drop only)

  std::string describe() const;             // "/^\* OK/ replace 'x' occurrence 2", for messages
};

// Parses the JSON form; throws std::invalid_argument naming the problem (unknown key, wrong type,
// bad regex, no action, close mixed with another action, drop with replace or literal_delta).
ProxyRule parse_proxy_rule(const nlohmann::json& j);
std::vector<ProxyRule> parse_proxy_rules(const nlohmann::json& array);

// What the proxy does with the bytes of one connection, sans I/O: the socket loop feeds it and
// sends what it returns. Also the unit under test for byte-split checks.
class ProxyStream {
 public:
  // `rule_fired(index, what)` is told each time a rule changes the stream.
  using FiredHook = std::function<void(std::size_t, const std::string&)>;
  ProxyStream(const std::vector<ProxyRule>& rules, int connection, bool imap_literals, bool blind,
              FiredHook rule_fired = {});

  // Client bytes: appends what the server must get to `out` (unchanged unless a client rule fires),
  // watching for STARTTLS / STLS / AUTH TLS.
  void from_client(std::string_view bytes, std::string& out);
  // Server bytes: appends what the client must get to `out`. False when a close rule fired: nothing
  // more may be forwarded, both sides must be closed.
  bool from_server(std::string_view bytes, std::string& out);
  // The server closed: a last line without LF goes through the rules too.
  bool server_closed(std::string& out);
  bool blind() const { return blind_; }

 private:
  bool on_line(std::string line, std::string& out);
  void watch_starttls_reply(const std::string& text);
  void on_client_line(const std::string& line);
  std::string rewrite_client_line(std::string line);

  const std::vector<ProxyRule>& rules_;
  std::vector<std::regex> regexes_;
  std::vector<int> seen_;          // matching lines per rule, on this connection
  int connection_;
  bool literals_;
  bool blind_;
  FiredHook fired_;
  // server → client
  std::string line_;               // a line still without its LF
  std::uint64_t literal_left_ = 0;
  bool literal_dropped_ = false;
  std::string after_literal_;      // insert_after lines waiting for the literal's end
  // client → server
  std::string client_line_;
  std::string client_raw_;         // with client rules: a client line still without its LF
  bool client_rules_ = false;
  std::uint64_t client_literal_left_ = 0;
  // STARTTLS: the IMAP tag awaiting its tagged OK, or a POP3 STLS / SMTP STARTTLS whose next line decides
  enum class TlsWait { none, tagged, next_line } tls_wait_ = TlsWait::none;
  std::string tls_tag_;
};

struct ProxyOptions {
  std::string upstream_host = "127.0.0.1";
  std::uint16_t upstream_port = 0;
  std::vector<ProxyRule> rules;
  bool implicit_tls = false;   // the upstream speaks TLS from the first octet: forward blindly
  bool imap_literals = true;   // pass IMAP literals through (off for POP3 and SMTP)
};

// Listens on 127.0.0.1:<ephemeral>; one thread per accepted connection, each with its own upstream
// connection. When either side closes, both are closed; the destructor stops everything.
class MutatingProxy {
 public:
  explicit MutatingProxy(ProxyOptions options);  // throws std::invalid_argument for a bad rule
  ~MutatingProxy();
  MutatingProxy(const MutatingProxy&) = delete;
  MutatingProxy& operator=(const MutatingProxy&) = delete;

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  int upstream_failures() const { return upstream_failures_.load(); }  // connections the upstream refused
  std::vector<int> fired() const;        // per rule: how many times it changed the stream
  std::vector<std::string> log() const;  // "connection 1: rule 1 replaced …", upstream failures

 private:
  void accept_loop();
  void serve(int client_fd, int number);
  void note(std::string line);

  ProxyOptions options_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> upstream_failures_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<int> fired_;
  std::vector<std::string> log_;
};

}  // namespace facteur::testing
