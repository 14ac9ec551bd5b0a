#include "tests/support/maildir.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace facteur::test {
namespace fs = std::filesystem;

namespace {
std::atomic<unsigned long> g_sequence{0};

std::string unique_name() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + ".P" +
         std::to_string(::getpid()) + "Q" + std::to_string(++g_sequence) + ".facteur-fake";
}
}  // namespace

TempMaildirs::TempMaildirs(const std::map<std::string, std::string>& users) {
  const fs::path root = fs::temp_directory_path() / ("facteur-fake-mail-" + unique_name());
  fs::create_directories(root);
  root_ = root.string();
  for (const auto& [address, password] : users) {
    (void)password;
    const std::string local = address.substr(0, address.find('@'));
    for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(root / local / sub);
    maildirs_[address] = (root / local).string();
  }
}

TempMaildirs::~TempMaildirs() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

std::string to_lf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      out.push_back('\n');
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

bool deliver_to_maildir(const std::string& maildir, std::string_view message) {
  const std::string name = unique_name();
  const fs::path tmp = fs::path(maildir) / "tmp" / name;
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return false;
    const std::string lf = to_lf(message);
    out.write(lf.data(), static_cast<std::streamsize>(lf.size()));
    if (!out) return false;
  }
  std::error_code ec;
  // Maildir: written under tmp/, renamed into new/ in one step so readers never see half a file.
  fs::rename(tmp, fs::path(maildir) / "new" / name, ec);
  return !ec;
}

}  // namespace facteur::test
