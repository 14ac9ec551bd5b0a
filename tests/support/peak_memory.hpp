// Peak resident memory while a piece of a test runs, for the hostile-server tests' memory bounds.
#pragma once

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace facteur::testing {

// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or -1.
inline long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == field) {
      in >> value;
      return value;
    }
    in.ignore(1 << 16, '\n');
  }
  return -1;
}

// Peak RSS growth (KiB) over `body`: the kernel's high-water mark is reset first (writing 5 to
// /proc/self/clear_refs), so an earlier test's peak does not hide this one's. Without that file,
// getrusage's lifetime peak is used (a weaker bound).
template <typename F>
long peak_growth_kib(F&& body) {
  const bool resettable = static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5");
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const long before = resettable ? status_kib("VmRSS:") : usage.ru_maxrss;
  body();
  if (resettable) return status_kib("VmHWM:") - before;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss - before;
}

}  // namespace facteur::testing
