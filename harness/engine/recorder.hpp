// `facteur run --record DIR`: the octets each session received, exactly as they arrived (after TLS,
// before any parsing), one file per connection, for the fuzz corpora (scripts/record-corpus).
// What the client sent is never written: it holds passwords and AUTH payloads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "harness/core/target_url.hpp"

namespace facteur::engine {

class Recorder {
 public:
  static constexpr std::size_t kMaxFile = 1024 * 1024;  // octets past this are dropped

  Recorder(std::filesystem::path dir, std::string_view case_id);

  // A new connection of `session`: what it receives goes to
  // DIR/<protocol>/<case id, '/' → '_'>.<session>.bin, or <session>.<n>.bin for the n-th
  // connection of that name in the case. The file is made on the first octet.
  void open(const std::string& session, Protocol protocol);
  // Appends what `session` received; "" or why the file cannot be written (said once per file).
  std::string append(const std::string& session, std::string_view bytes);

  // The file of the session's current connection (for tests and messages).
  std::filesystem::path path(const std::string& session) const;

 private:
  struct File {
    std::filesystem::path path;
    std::ofstream out;
    std::size_t written = 0;
    int connections = 0;
    bool failed = false;
  };
  std::filesystem::path dir_;
  std::string case_stem_;
  std::map<std::string, File> files_;
};

}  // namespace facteur::engine
