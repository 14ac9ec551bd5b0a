#include "tests/support/mutating_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

namespace facteur::testing {
namespace {

// An IMAP literal announced at the end of a line: "{n}", "{n+}" (RFC 7888) or "~{n}" (literal8,
// RFC 3516). `begin`/`end` delimit the digits.
// (A plain struct with a flag, not std::optional: GCC 12 -O2 warns that an optional's members may be
// used uninitialised after it was tested.)
struct LiteralAt {
  bool found = false;
  std::uint64_t size = 0;
  std::size_t begin = 0, end = 0;
  explicit operator bool() const { return found; }
  const LiteralAt* operator->() const { return this; }
};

LiteralAt literal_at_end(std::string_view text) {
  if (text.empty() || text.back() != '}') return {};
  std::size_t end = text.size() - 1;
  if (end > 0 && text[end - 1] == '+') --end;
  std::size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(text[begin - 1]))) --begin;
  if (begin == end || begin == 0 || text[begin - 1] != '{' || end - begin > 18) return {};
  LiteralAt at{true, 0, begin, end};
  for (std::size_t i = begin; i < end; ++i) at.size = at.size * 10 + static_cast<std::uint64_t>(text[i] - '0');
  return at;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::regex compile(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument("rule: bad regex '" + pattern + "': " + e.what());
  }
}

void validate(const ProxyRule& r) {
  (void)compile(r.match);
  const bool other = r.replace || r.insert_after || r.literal_delta != 0;
  if (!r.close && !r.drop && !other) {
    throw std::invalid_argument("rule /" + r.match + "/ does nothing: give replace, drop, insert_after, close or literal_delta");
  }
  if (r.close && (r.drop || other)) throw std::invalid_argument("rule /" + r.match + "/: close goes alone");
  if (r.drop && (r.replace || r.literal_delta != 0)) {
    throw std::invalid_argument("rule /" + r.match + "/: drop goes alone (or with insert_after, to put a line in its place)");
  }
  if (r.client && (r.close || r.insert_after || r.literal_delta != 0)) {
    throw std::invalid_argument("rule /" + r.match + "/: a client rule can only replace or drop");
  }
  if (r.occurrence < 0 || r.connection < 0) {
    throw std::invalid_argument("rule /" + r.match + "/: occurrence and connection count from 1 (0 = all)");
  }
}

// Socket helpers (blocking connect, then non-blocking I/O driven by poll).
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

int connect_to(const std::string& host, std::uint16_t port, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    error = std::string("resolve ") + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = "connect " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

void prepare(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool would_block() { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR; }

}  // namespace

// --- rules ---------------------------------------------------------------------------------------

std::string ProxyRule::describe() const {
  std::string out = "/" + match + "/";
  if (close) out += " close";
  if (drop) out += " drop";
  if (replace) out += " replace '" + *replace + "'";
  if (insert_after) out += " insert_after '" + *insert_after + "'";
  if (literal_delta != 0) out += " literal_delta " + std::to_string(literal_delta);
  if (occurrence != 0) out += " occurrence " + std::to_string(occurrence);
  if (connection != 0) out += " connection " + std::to_string(connection);
  if (client) out += " (client line)";
  return out;
}

ProxyRule parse_proxy_rule(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("a rule is an object {\"match\": \"regex\", …}");
  ProxyRule r;
  auto text = [](const nlohmann::json& v, const std::string& key) {
    if (!v.is_string()) throw std::invalid_argument("rule: '" + key + "' is a string");
    return v.get<std::string>();
  };
  auto flag = [](const nlohmann::json& v, const std::string& key) {
    if (!v.is_boolean()) throw std::invalid_argument("rule: '" + key + "' is true or false");
    return v.get<bool>();
  };
  auto number = [](const nlohmann::json& v, const std::string& key) {
    if (!v.is_number_integer()) throw std::invalid_argument("rule: '" + key + "' is an integer");
    return v.get<long long>();
  };
  auto count = [&](const nlohmann::json& v, const std::string& key) {
    const long long n = number(v, key);
    if (n < 0 || n > 1000000) throw std::invalid_argument("rule: '" + key + "' counts from 1 (0 = all)");
    return static_cast<int>(n);
  };
  bool has_match = false;
  for (const auto& [key, v] : j.items()) {
    if (key == "match") {
      r.match = text(v, key);
      has_match = true;
    } else if (key == "replace") {
      r.replace = text(v, key);
    } else if (key == "insert_after") {
      r.insert_after = text(v, key);
    } else if (key == "drop") {
      r.drop = flag(v, key);
    } else if (key == "close") {
      r.close = flag(v, key);
    } else if (key == "occurrence") {
      r.occurrence = count(v, key);
    } else if (key == "connection") {
      r.connection = count(v, key);
    } else if (key == "literal_delta") {
      r.literal_delta = number(v, key);
    } else if (key == "client") {
      r.client = flag(v, key);
    } else {
      throw std::invalid_argument("rule: unknown key '" + key +
                                  "' (match, replace, drop, insert_after, close, occurrence, connection, literal_delta, client)");
    }
  }
  if (!has_match) throw std::invalid_argument("rule: 'match' (a regex) is required");
  validate(r);
  return r;
}

std::vector<ProxyRule> parse_proxy_rules(const nlohmann::json& array) {
  if (!array.is_array()) throw std::invalid_argument("rules are an array of {\"match\": …} objects");
  std::vector<ProxyRule> out;
  for (const auto& j : array) out.push_back(parse_proxy_rule(j));
  return out;
}

// --- the stream of one connection --------------------------------------------------------------

ProxyStream::ProxyStream(const std::vector<ProxyRule>& rules, int connection, bool imap_literals, bool blind,
                         FiredHook rule_fired)
    : rules_(rules), seen_(rules.size(), 0), connection_(connection), literals_(imap_literals), blind_(blind),
      fired_(std::move(rule_fired)) {
  for (const auto& r : rules_) {
    regexes_.push_back(compile(r.match));
    client_rules_ = client_rules_ || r.client;
  }
}

bool ProxyStream::from_server(std::string_view bytes, std::string& out) {
  while (!bytes.empty()) {
    if (blind_) {
      out.append(bytes);
      return true;
    }
    if (literal_left_ > 0) {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, bytes.size()));
      if (!literal_dropped_) out.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      literal_left_ -= take;
      if (literal_left_ == 0) out += std::exchange(after_literal_, {});
      continue;
    }
    const std::size_t lf = bytes.find('\n');
    if (lf == std::string_view::npos) {
      line_.append(bytes);
      return true;
    }
    line_.append(bytes.substr(0, lf + 1));
    bytes.remove_prefix(lf + 1);
    if (!on_line(std::exchange(line_, {}), out)) return false;
  }
  return true;
}

bool ProxyStream::server_closed(std::string& out) {
  if (blind_ || line_.empty()) return true;
  return on_line(std::exchange(line_, {}), out);
}

bool ProxyStream::on_line(std::string line, std::string& out) {
  std::string ending;
  if (!line.empty() && line.back() == '\n') {
    line.pop_back();
    ending = "\n";
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
      ending = "\r\n";
    }
  }
  // The octets that follow are those the server announced, whatever the client is told.
  const LiteralAt literal = literals_ && !ending.empty() ? literal_at_end(line) : LiteralAt{};
  std::string text = line, inserts;
  bool dropped = false;
  // std::regex backtracks recursively: a very long line could exhaust the stack, so such lines
  // (never the ones a rule is written for) go through unchanged.
  constexpr std::size_t kMaxRuleLine = 64 * 1024;
  const std::size_t rule_count = text.size() <= kMaxRuleLine ? rules_.size() : 0;
  for (std::size_t i = 0; i < rule_count && !dropped; ++i) {
    const ProxyRule& r = rules_[i];
    if (r.client || (r.connection != 0 && r.connection != connection_)) continue;
    if (!std::regex_search(text, regexes_[i])) continue;
    if (++seen_[i] != r.occurrence && r.occurrence != 0) continue;
    std::string what;
    if (r.close) {
      if (fired_) fired_(i, "closed both sides instead of forwarding '" + text + "'");
      return false;
    }
    if (r.drop) {
      dropped = true;
      what = "dropped '" + text + "'" + (literal ? " and its literal" : "");
    }
    if (r.replace) {
      std::string changed = std::regex_replace(text, regexes_[i], *r.replace, std::regex_constants::format_first_only);
      what = "replaced '" + text + "' with '" + changed + "'";
      text = std::move(changed);
    }
    if (r.insert_after) {
      inserts += *r.insert_after + "\r\n";
      what += (what.empty() ? "" : ", ") + std::string("inserted '") + *r.insert_after + "' after '" + text + "'";
    }
    if (r.literal_delta != 0) {
      if (const auto at = literal_at_end(text); at && literals_) {
        const long long wanted = static_cast<long long>(at->size) + r.literal_delta;
        const std::string told = std::to_string(std::max(0LL, wanted));
        text.replace(at->begin, at->end - at->begin, told);
        what += (what.empty() ? "" : ", ") + std::string("announced a literal of ") + told + " octets for " +
                std::to_string(literal.size);
      }
    }
    if (!what.empty() && fired_) fired_(i, what);
  }
  if (!dropped) {
    out += text;
    out += ending;
    watch_starttls_reply(text);
  }
  if (literal.size > 0) {
    literal_left_ = literal.size;
    literal_dropped_ = dropped;
    after_literal_ = std::move(inserts);
  } else {
    out += inserts;
  }
  return true;
}

// The client asked for TLS: the answer the client gets decides whether the rest is TLS.
// IMAP: "<tag> OK" (RFC 9051 §6.2.1); POP3: "+OK" to STLS (RFC 2595 §4); SMTP: "220" (RFC 3207 §4).
void ProxyStream::watch_starttls_reply(const std::string& text) {
  if (tls_wait_ == TlsWait::tagged) {
    if (text.size() > tls_tag_.size() && text.compare(0, tls_tag_.size(), tls_tag_) == 0 &&
        text[tls_tag_.size()] == ' ') {
      blind_ = upper(text.substr(tls_tag_.size() + 1, 3)).rfind("OK", 0) == 0;
      tls_wait_ = TlsWait::none;
    }
  } else if (tls_wait_ == TlsWait::next_line) {
    blind_ = text.rfind("+OK", 0) == 0 || text.rfind("220", 0) == 0 || text.rfind("234", 0) == 0;
    tls_wait_ = TlsWait::none;
  }
}

void ProxyStream::from_client(std::string_view bytes, std::string& out) {
  if (client_rules_) {
    // Line by line through the client rules (FTP and the other line protocols: no literals here).
    while (!bytes.empty() && !blind_) {
      const std::size_t lf = bytes.find('\n');
      client_raw_.append(bytes.substr(0, lf == std::string_view::npos ? bytes.size() : lf + 1));
      if (lf == std::string_view::npos) return;
      bytes.remove_prefix(lf + 1);
      std::string line = std::exchange(client_raw_, {});
      line.pop_back();
      const bool cr = !line.empty() && line.back() == '\r';
      if (cr) line.pop_back();
      std::string changed = rewrite_client_line(line);
      if (changed.empty() && !line.empty()) continue;  // dropped
      out += changed + (cr ? "\r\n" : "\n");
      on_client_line(changed);
    }
    out += std::exchange(client_raw_, {});  // once blind, a partial line goes on as it is
    out.append(bytes);
    return;
  }
  out.append(bytes);
  constexpr std::size_t kKeep = 8192;  // command lines are short; of a long one, its end is enough
  while (!bytes.empty() && !blind_) {
    if (client_literal_left_ > 0) {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(client_literal_left_, bytes.size()));
      bytes.remove_prefix(take);
      client_literal_left_ -= take;
      continue;
    }
    const std::size_t lf = bytes.find('\n');
    client_line_.append(bytes.substr(0, lf == std::string_view::npos ? bytes.size() : lf));
    if (client_line_.size() > kKeep) client_line_.erase(0, client_line_.size() - 64);
    if (lf == std::string_view::npos) return;
    bytes.remove_prefix(lf + 1);
    std::string line = std::exchange(client_line_, {});
    if (!line.empty() && line.back() == '\r') line.pop_back();
    on_client_line(line);
  }
}

// Applies the client rules to one line (without its line end); "" when a rule drops it.
std::string ProxyStream::rewrite_client_line(std::string line) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const ProxyRule& r = rules_[i];
    if (!r.client || (r.connection != 0 && r.connection != connection_)) continue;
    if (!std::regex_search(line, regexes_[i])) continue;
    if (++seen_[i] != r.occurrence && r.occurrence != 0) continue;
    if (r.drop) {
      if (fired_) fired_(i, "dropped the client's '" + line + "'");
      return {};
    }
    std::string changed = std::regex_replace(line, regexes_[i], *r.replace, std::regex_constants::format_first_only);
    if (fired_) fired_(i, "replaced the client's '" + line + "' with '" + changed + "'");
    line = std::move(changed);
  }
  return line;
}

void ProxyStream::on_client_line(const std::string& line) {
  // A client literal's octets are not commands (a refused synchronizing literal is never sent,
  // which this does not follow: only STARTTLS detection right after such a refusal would suffer).
  if (literals_) {
    if (const auto at = literal_at_end(line)) {
      client_literal_left_ = at->size;
      return;
    }
  }
  const std::size_t space = line.find(' ');
  if (space == std::string::npos) {
    const std::string verb = upper(line);
    if (verb == "STLS" || verb == "STARTTLS") tls_wait_ = TlsWait::next_line;
  } else if (upper(line.substr(0, space)) == "AUTH" && !literals_) {
    // FTP (RFC 4217 §4): AUTH TLS / SSL / TLS-C / TLS-P; a 234 starts the handshake.
    const std::string mech = upper(line.substr(space + 1));
    if (mech == "TLS" || mech == "SSL" || mech == "TLS-C" || mech == "TLS-P") tls_wait_ = TlsWait::next_line;
  } else if (line.find(' ', space + 1) == std::string::npos && upper(line.substr(space + 1)) == "STARTTLS") {
    tls_wait_ = TlsWait::tagged;
    tls_tag_ = line.substr(0, space);
  }
}

// --- the proxy ---------------------------------------------------------------------------------

MutatingProxy::MutatingProxy(ProxyOptions options) : options_(std::move(options)), fired_(options_.rules.size(), 0) {
  for (const auto& r : options_.rules) validate(r);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

MutatingProxy::~MutatingProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
}

std::vector<int> MutatingProxy::fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

std::vector<std::string> MutatingProxy::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

void MutatingProxy::note(std::string line) {
  std::lock_guard lock(mutex_);
  log_.push_back(std::move(line));
}

void MutatingProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int number = ++connections_;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd, number] { serve(fd, number); });
  }
}

void MutatingProxy::serve(int client_fd, int number) {
  Fd client(client_fd);
  std::string error;
  Fd upstream(connect_to(options_.upstream_host, options_.upstream_port, error));
  const std::string who = "connection " + std::to_string(number) + ": ";
  if (upstream.fd < 0) {
    ++upstream_failures_;
    note(who + error);
    return;
  }
  prepare(client.fd);
  prepare(upstream.fd);
  ProxyStream stream(options_.rules, number, options_.imap_literals, options_.implicit_tls,
                     [&](std::size_t rule, const std::string& what) {
                       std::lock_guard lock(mutex_);
                       ++fired_[rule];
                       log_.push_back(who + "rule " + std::to_string(rule + 1) + " " + what);
                     });
  // Once either side has closed (or a close rule fired), nothing more is read: what is queued is
  // flushed for at most a second, then both sides are closed.
  constexpr std::size_t kHighWater = 1 << 20;
  std::string to_client, to_server;
  bool draining = false;
  std::chrono::steady_clock::time_point drain_until;
  auto drain = [&](const std::string& why) {
    if (draining) return;
    draining = true;
    drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    note(who + why);
  };
  char buf[16384];
  while (!stopping_) {
    if (draining && ((to_client.empty() && to_server.empty()) || std::chrono::steady_clock::now() > drain_until)) break;
    pollfd fds[2] = {{client.fd, 0, 0}, {upstream.fd, 0, 0}};
    if (!draining && to_server.size() < kHighWater) fds[0].events |= POLLIN | POLLPRI;
    if (!draining && to_client.size() < kHighWater) fds[1].events |= POLLIN;
    if (!to_client.empty()) fds[0].events |= POLLOUT;
    if (!to_server.empty()) fds[1].events |= POLLOUT;
    for (auto& p : fds) {
      if (p.events == 0) p.fd = -1;  // nothing to wait for: a hung-up socket must not spin poll
    }
    if (::poll(fds, 2, 50) < 0 && errno != EINTR) break;
    const short readable = POLLIN | POLLHUP | POLLERR;
    // Urgent data (FTP's Synch after Telnet IP, RFC 959 §4.1.3): the octets before the mark go
    // first, then the urgent octet, sent urgent in its turn, before anything after the mark is read
    // (a read stops at the mark). Never while the proxy is blind: inside TLS there is no such thing.
    if ((fds[0].events & POLLPRI) && (fds[0].revents & POLLPRI)) {
      char urgent = 0;
      if (::recv(client.fd, &urgent, 1, MSG_OOB) == 1) {
        // Read only up to the mark. At the mark a plain recv would step over it and return what
        // came after (the ABOR line), which would then reach the server ahead of the urgent octet.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        int at_mark = 0;
        while (::ioctl(client.fd, SIOCATMARK, &at_mark) == 0 && !at_mark &&
               std::chrono::steady_clock::now() < until) {
          pollfd r{client.fd, POLLIN, 0};
          if (::poll(&r, 1, 50) <= 0) continue;
          const ssize_t before = ::recv(client.fd, buf, sizeof buf, 0);
          if (before > 0) stream.from_client(std::string_view(buf, static_cast<std::size_t>(before)), to_server);
          else if (before == 0 || !would_block()) break;
        }
        while (!to_server.empty() && std::chrono::steady_clock::now() < until) {
          pollfd w{upstream.fd, POLLOUT, 0};
          if (::poll(&w, 1, 50) <= 0) continue;
          const ssize_t n = ::send(upstream.fd, to_server.data(), to_server.size(), MSG_NOSIGNAL);
          if (n > 0) to_server.erase(0, static_cast<std::size_t>(n));
          else if (!would_block()) break;
        }
        (void)::send(upstream.fd, &urgent, 1, MSG_OOB | MSG_NOSIGNAL);
        continue;
      }
    }
    if ((fds[0].events & POLLIN) && (fds[0].revents & readable)) {
      const ssize_t n = ::recv(client.fd, buf, sizeof buf, 0);
      if (n > 0) {
        const std::string_view got(buf, static_cast<std::size_t>(n));
        stream.from_client(got, to_server);
      } else if (n == 0 || !would_block()) {
        drain("client closed");
      }
    }
    if ((fds[1].events & POLLIN) && (fds[1].revents & readable)) {
      const ssize_t n = ::recv(upstream.fd, buf, sizeof buf, 0);
      if (n > 0) {
        if (!stream.from_server(std::string_view(buf, static_cast<std::size_t>(n)), to_client)) drain("close rule");
      } else if (n == 0 || !would_block()) {
        (void)stream.server_closed(to_client);
        drain("server closed");
      }
    }
    auto flush = [&](int fd, std::string& pending, short revents) {
      if (pending.empty() || !(revents & (POLLOUT | POLLHUP | POLLERR))) return;
      const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
      if (n > 0) {
        pending.erase(0, static_cast<std::size_t>(n));
      } else if (!would_block()) {
        pending.clear();
        drain("peer gone while writing");
      }
    };
    flush(client.fd, to_client, fds[0].revents);
    flush(upstream.fd, to_server, fds[1].revents);
  }
}

}  // namespace facteur::testing
