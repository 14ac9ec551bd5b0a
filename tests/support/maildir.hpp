// Local Maildirs for the fake server's deliveries, written the way Dovecot's LMTP leaves them
// (one file per message under new/, LF line endings), so the scenarios' `mailbox` steps read them.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace facteur::test {

// A temporary folder holding one Maildir per user, removed by the destructor.
class TempMaildirs {
 public:
  // `users`: addresses ("alice@lab.test"); each gets <root>/<local part>/{new,cur,tmp}.
  explicit TempMaildirs(const std::map<std::string, std::string>& users);
  ~TempMaildirs();
  TempMaildirs(const TempMaildirs&) = delete;
  TempMaildirs& operator=(const TempMaildirs&) = delete;

  const std::string& root() const { return root_; }
  // Address (lower-case) → Maildir path.
  const std::map<std::string, std::string>& maildirs() const { return maildirs_; }

 private:
  std::string root_;
  std::map<std::string, std::string> maildirs_;
};

// Writes `message` (any line endings; stored with LF) into <maildir>/new via tmp/. Thread-safe.
// Returns false when the file cannot be written.
bool deliver_to_maildir(const std::string& maildir, std::string_view message);

// CRLF (and bare CR) → LF.
std::string to_lf(std::string_view text);

}  // namespace facteur::test
