#include "harness/ftp/session_state.hpp"

#include <cctype>
#include <string>

namespace facteur::ftp {
namespace {

std::string upper(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The argument after the verb, upper-cased, surrounding spaces dropped.
std::string argument(std::string_view command) {
  const auto space = command.find(' ');
  if (space == std::string_view::npos) return {};
  std::string_view arg = command.substr(space + 1);
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  while (!arg.empty() && arg.back() == ' ') arg.remove_suffix(1);
  return upper(arg);
}

}  // namespace

void SessionState::observe(std::string_view command, const Reply& reply) {
  const std::string verb = upper(command.substr(0, command.find(' ')));
  const bool ok = reply.code / 100 == 2;
  if (verb == "TYPE" && ok) {
    const std::string arg = argument(command);
    if (!arg.empty() && arg[0] == 'A') type = 'A';
    else if (!arg.empty() && (arg[0] == 'I' || arg[0] == 'L')) type = 'I';
  } else if (verb == "PBSZ" && ok) {
    pbsz = true;
  } else if (verb == "PROT" && ok) {
    const std::string arg = argument(command);
    prot_private = arg == "P";  // S and E are other protection levels; only P means TLS data here
  } else if (verb == "REST") {
    // RFC 3659 §5.3: 350 accepts the marker; anything else leaves none.
    rest.reset();
    if (reply.code == 350) {
      const std::string arg = argument(command);
      std::uint64_t n = 0;
      bool digits = !arg.empty();
      for (char c : arg) {
        if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) {
          digits = false;
          break;
        }
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (digits) rest = n;
    }
  } else if (verb == "EPSV" && ok && argument(command) == "ALL") {
    epsv_all = true;
  } else if (verb == "AUTH" && reply.code == 234) {
    tls = true;
  } else if ((verb == "USER" || verb == "PASS" || verb == "ACCT") && reply.code == 230) {
    logged_in = true;
  } else if (verb == "REIN" && (reply.code == 220 || ok)) {
    // RFC 959 §4.1.1: REIN flushes the user, its parameters and the transfer settings; RFC 4217
    // §6 leaves the TLS session (and so PROT) up to the server; keep what TLS gave.
    type = 'A';
    rest.reset();
    logged_in = false;
  } else if (verb == "CCC" && ok) {
    tls = false;
  }
}

}  // namespace facteur::ftp
