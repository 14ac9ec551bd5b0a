// The probe's dialects (probe.cpp connects and dispatches on the target's protocol).
#pragma once

#include <cctype>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "harness/net/connection.hpp"
#include "harness/runner/probe.hpp"

namespace facteur::runner::detail {

inline std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

boost::asio::awaitable<void> probe_smtp(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out);
boost::asio::awaitable<void> probe_imap(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out);
boost::asio::awaitable<void> probe_ftp(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out);
boost::asio::awaitable<void> probe_pop3(const engine::RunSettings& settings, net::Connection& conn, ProbeResult& out);

}  // namespace facteur::runner::detail
