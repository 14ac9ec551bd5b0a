#include "harness/engine/recorder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace facteur::engine {

namespace {
// A case id or session name as one file name component: '/' and anything unusual become '_'.
std::string file_safe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '-' || c == '_';
    if (!plain) c = '_';
  }
  return out;
}
}  // namespace

Recorder::Recorder(std::filesystem::path dir, std::string_view case_id)
    : dir_(std::move(dir)), case_stem_(file_safe(case_id)) {}

void Recorder::open(const std::string& session, Protocol protocol) {
  File& f = files_[session];
  if (f.out.is_open()) f.out.close();
  ++f.connections;
  std::string name = case_stem_ + "." + file_safe(session);
  if (f.connections > 1) name += "." + std::to_string(f.connections);
  f.path = dir_ / to_string(protocol) / (name + ".bin");
  f.written = 0;
  f.failed = false;
}

std::string Recorder::append(const std::string& session, std::string_view bytes) {
  const auto it = files_.find(session);
  if (it == files_.end() || bytes.empty()) return {};
  File& f = it->second;
  if (f.failed || f.written >= kMaxFile) return {};
  if (!f.out.is_open()) {
    std::error_code ec;
    std::filesystem::create_directories(f.path.parent_path(), ec);
    f.out.open(f.path, std::ios::binary | std::ios::trunc);
    if (!f.out) {
      f.failed = true;
      return f.path.string() + ": cannot write: " + std::strerror(errno);
    }
  }
  const std::size_t n = std::min(bytes.size(), kMaxFile - f.written);
  f.out.write(bytes.data(), static_cast<std::streamsize>(n));
  f.out.flush();  // an interrupted run keeps what it received
  f.written += n;
  if (!f.out) {
    f.failed = true;
    return f.path.string() + ": write failed: " + std::strerror(errno);
  }
  return {};
}

std::filesystem::path Recorder::path(const std::string& session) const {
  const auto it = files_.find(session);
  return it == files_.end() ? std::filesystem::path() : it->second.path;
}

}  // namespace facteur::engine
