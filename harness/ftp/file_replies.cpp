// SIZE / MDTM 213 (RFC 3659 §3-4) and PWD / MKD 257 (RFC 959 appendix II).
#include "harness/ftp/file_replies.hpp"

#include <fmt/format.h>

#include "harness/core/ascii.hpp"
#include "harness/ftp/detail/numbers.hpp"

namespace facteur::ftp {
namespace {

// The text of a 213 that RFC 3659 wants on one line; a Failure when it is another reply.
Parsed<std::string> single_213(const Reply& reply, std::string_view command) {
  if (reply.code != 213) return Failure{fmt::format("{} answered {}, not 213", command, reply.code)};
  if (reply.multiline) return Failure{fmt::format("{} answered a multi-line 213, which RFC 3659 does not permit", command)};
  return reply.text();
}

}  // namespace

Parsed<std::uint64_t> parse_size(const Reply& reply) {
  const Parsed<std::string> text = single_213(reply, "SIZE");
  if (!text.ok()) return Failure{text.error};
  std::uint64_t size = 0;
  if (!detail::parse_u64(text.value, size)) {
    return Failure{fmt::format("SIZE reply \"{}\" is not 213 SP 1*DIGIT of 64 bits", ascii::printable(text.value))};
  }
  return size;
}

Parsed<TimeVal> parse_mdtm(const Reply& reply) {
  const Parsed<std::string> text = single_213(reply, "MDTM");
  if (!text.ok()) return Failure{text.error};
  Parsed<TimeVal> time = parse_time_val(text.value);
  if (!time.ok()) return Failure{"MDTM reply: " + time.error};
  return time;
}

Parsed<DirectoryName> parse_directory(const Reply& reply) {
  if (reply.code != 257) return Failure{fmt::format("PWD / MKD answered {}, not 257", reply.code)};
  const std::string_view text = reply.lines.empty() ? std::string_view{} : std::string_view(reply.lines.front());
  const std::size_t open = text.find('"');
  if (open == std::string_view::npos) {
    return Failure{fmt::format("257 reply \"{}\" holds no quoted directory name", ascii::printable(text))};
  }
  DirectoryName name;
  name.quote_first = open == 0;
  for (std::size_t pos = open + 1;;) {
    const std::size_t quote = text.find('"', pos);
    if (quote == std::string_view::npos) {
      return Failure{fmt::format("257 reply \"{}\": the directory name has no closing quote", ascii::printable(text))};
    }
    name.path.append(text.substr(pos, quote - pos));
    if (quote + 1 < text.size() && text[quote + 1] == '"') {  // "" inside the name: one quote
      name.path += '"';
      pos = quote + 2;
      continue;
    }
    std::string_view rest = text.substr(quote + 1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    name.commentary = std::string(rest);
    break;
  }
  if (name.path.empty()) return Failure{"257 reply: the directory name \"\" is empty"};
  return name;
}

}  // namespace facteur::ftp
