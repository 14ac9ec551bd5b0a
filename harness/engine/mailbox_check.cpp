// The lab check: wait for a message to be delivered into a local Maildir, then look inside it.
// (Once IMAP lands, the same check is made over IMAP so it works against any server.)
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

std::string to_lf(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// Only messages written since `since` count: a message left in the Maildir by an earlier run (whose
// generated Message-IDs and tags repeat from run to run) must not satisfy this case's check.
std::optional<std::string> find_message(const std::string& maildir, const std::string& needle,
                                        fs::file_time_type since) {
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(maildir) / sub, ec)) {
      if (!entry.is_regular_file()) continue;
      std::error_code time_ec;
      const auto written = entry.last_write_time(time_ec);
      if (time_ec || written < since) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      std::string content = to_lf(buffer.str());
      if (content.find(needle) != std::string::npos) return content;
    }
  }
  return std::nullopt;
}

}  // namespace

asio::awaitable<void> CaseRun::mailbox(const scenario::Step& step) {
  const auto& m = *step.mailbox;
  const std::string maildir = expand(m.maildir);
  const std::string needle = to_lf(expand(m.match));
  if (!fs::is_directory(fs::path(maildir))) {
    skip("mailbox check: '" + maildir + "' is not a local Maildir (the lab's mailbox checks need --vars from the lab)");
  }
  transcript_.note("mailbox", "waiting for a message containing '" + printable(needle) + "' in " + maildir);
  const auto until = net::Clock::now() + std::chrono::milliseconds(m.timeout_ms);
  // The case's start, less a second for file systems whose timestamps lag or are coarse.
  const auto since = fs::file_time_type::clock::now() -
                     std::chrono::milliseconds(static_cast<long long>(transcript_.elapsed_ms()) + 1000);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::optional<std::string> found;
  for (;;) {
    found = find_message(maildir, needle, since);
    if (found || net::Clock::now() >= until) break;
    timer.expires_after(std::chrono::milliseconds(25));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!found) {
    fail(step, fmt::format("no delivered message contains '{}' after {} ms", printable(needle), m.timeout_ms),
         "the message in the mailbox", "not delivered");
  }
  transcript_.note("mailbox", fmt::format("found the message ({} octets)", found->size()));
  for (const auto& t : m.contains) {
    const std::string want = to_lf(expand(t));
    if (found->find(want) == std::string::npos) {
      fail(step, "the delivered message lacks '" + printable(want) + "'", printable(want),
           printable(found->substr(0, 2000)));
    }
  }
  for (const auto& t : m.not_contains) {
    const std::string unwanted = to_lf(expand(t));
    if (found->find(unwanted) != std::string::npos) {
      fail(step, "the delivered message contains '" + printable(unwanted) + "'", "no '" + printable(unwanted) + "'",
           printable(found->substr(0, 2000)));
    }
  }
}

}  // namespace facteur::engine
