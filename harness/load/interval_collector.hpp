// Where the recording threads of a load run hand over each interval's metrics, and where the
// reporting thread takes them (wrk2 style: threads share nothing while recording, counts are merged
// once per interval).
//
// Two LoadMetrics take turns, so that a long run allocates nothing per interval once every metric
// has been seen: the one being filled by deliver(), and the reader's, which take() swaps in after
// zeroing it. Each keeps the histograms of every metric it has ever held (a default-config
// HdrHistogram is 188 KiB; allocating a pair per metric per second was the run's largest churn).
#pragma once

#include <mutex>

#include "harness/load/metrics.hpp"

namespace facteur::load {

class IntervalCollector {
 public:
  // Adds one thread's interval (LoadMetrics::add: histograms added, error kinds summed).
  void deliver(const LoadMetrics& m);
  // `out` becomes the sum of what was delivered since the last take; what `out` held before is
  // zeroed and becomes the buffer the next deliveries add into. Metrics and error kinds seen in
  // earlier intervals stay in `out` with zero counts, as LoadMetrics::reset() keeps them.
  void take(LoadMetrics& out);

 private:
  std::mutex mutex_;
  LoadMetrics pending_;
};

}  // namespace facteur::load
