#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "reports/render.hpp"

namespace facteur::report {
namespace {

namespace fs = std::filesystem;

// Written to a temporary name then renamed, so a reader never sees half a report (a CI step may
// pick up result.json while a crashed run left it truncated otherwise).
std::string write_file(const fs::path& dir, const char* name, const std::string& content) {
  const fs::path path = dir / name;
  const fs::path temporary = dir / (std::string(".") + name + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write: {}", temporary.string(), std::strerror(errno)));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw std::runtime_error(fmt::format("{}: write failed: {}", temporary.string(), std::strerror(errno)));
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path.string(), ec.message()));
  }
  return path.string();
}

}  // namespace

WrittenReports write_reports(const RunResult& r, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create the report directory: {}", dir, ec.message()));
  WrittenReports written;
  written.json = write_file(dir, "result.json", render_json(r));
  written.junit = write_file(dir, "junit.xml", render_junit(r));
  written.markdown = write_file(dir, "summary.md", render_markdown(r));
  written.html = write_file(dir, "report.html", render_html(r));
  return written;
}

}  // namespace facteur::report
