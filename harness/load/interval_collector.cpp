// Handing intervals from the recording threads to the reporting one (interval_collector.hpp).
#include "harness/load/interval_collector.hpp"

#include <utility>

namespace facteur::load {

void IntervalCollector::deliver(const LoadMetrics& m) {
  std::lock_guard lock(mutex_);
  pending_.add(m);
}

void IntervalCollector::take(LoadMetrics& out) {
  out.reset();  // outside the lock: zeroing the histograms is the slow part
  std::lock_guard lock(mutex_);
  std::swap(pending_, out);
}

}  // namespace facteur::load
