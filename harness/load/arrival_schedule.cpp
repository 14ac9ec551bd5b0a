// Intended start times of the open model and VU targets of the closed one (executor.hpp).
//
// Within a stage of length D whose rate goes linearly from a to b (iterations per time unit u),
// the iterations due by offset τ are A(τ) = (a·τ + (b−a)·τ²/(2D)) / u. The n-th start is where the
// running total first exceeds n − (iterations due before the stage): the root of a quadratic,
// computed from n each time, so nothing accumulates over a long run. "Exceeds" rather than
// "reaches" only matters where the total stands still, at rate 0: a start waits for the rate to
// come back instead of being issued at the start of the pause, so a stage at rate 0 starts nothing.
// Times are rounded to the nearest nanosecond.
#include <algorithm>
#include <cmath>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

struct Segment {
  double from = 0;  // rate at its start, per time unit
  double to = 0;    // rate at its end
  Nanos duration{0};
};

// The open model's stages: one for constant-arrival-rate, none for the closed executors.
std::size_t segment_count(const ExecutorConfig& c) {
  switch (c.kind) {
    case ExecutorKind::constant_arrival_rate: return 1;
    case ExecutorKind::ramping_arrival_rate: return c.stages.size();
    case ExecutorKind::constant_vus:
    case ExecutorKind::ramping_vus: break;
  }
  return 0;
}

Segment segment_at(const ExecutorConfig& c, std::size_t i) {
  if (c.kind == ExecutorKind::constant_arrival_rate) return {c.rate, c.rate, c.duration};
  return {i == 0 ? c.start_rate : c.stages[i - 1].target, c.stages[i].target, c.stages[i].duration};
}

// The offset τ ∈ [0, length] where A(τ) reaches `due` (0 < due < A(length)): the positive root of
// (b−a)/(2D)·τ² + a·τ − due·u, written as 2c / (a + √(a² + 2kc)) so that nothing cancels when a ≫ kτ.
double offset_of(double due, const Segment& s, double length, double unit) {
  if (due <= 0) return 0;
  const double c = due * unit;
  if (s.from == s.to) return c / s.from;  // exact when the time is a whole number of ns
  const double k = (s.to - s.from) / length;
  const double denominator = s.from + std::sqrt(std::max(0.0, s.from * s.from + 2 * k * c));
  return denominator > 0 ? 2 * c / denominator : length;
}

}  // namespace

ArrivalSchedule::ArrivalSchedule(const ExecutorConfig& config) : config_(config) {}

std::optional<Nanos> ArrivalSchedule::next() {
  const double unit = static_cast<double>(config_.time_unit.count());
  const auto n = static_cast<double>(issued_);
  for (const std::size_t count = segment_count(config_); stage_ < count; ++stage_) {
    const Segment s = segment_at(config_, stage_);
    const auto length = static_cast<double>(s.duration.count());
    const double in_stage = (s.from + s.to) * length / (2 * unit);  // iterations due within it
    const double due = n - done_before_stage_;
    if (due < in_stage) {
      const double offset = std::clamp(offset_of(due, s, length, unit), 0.0, length);
      const Nanos t = stage_start_ + Nanos(std::llround(offset));
      // Rounded onto the stage's end, which may be the run's (summed only then: next() is per start).
      if (t == stage_start_ + s.duration && t >= config_.total_duration()) break;
      ++issued_;
      return t;
    }
    done_before_stage_ += in_stage;
    stage_start_ += s.duration;
  }
  stage_ = segment_count(config_);  // the end stays the end
  return std::nullopt;
}

int target_vus(const ExecutorConfig& config, Nanos t) {
  t = std::max(t, Nanos{0});
  if (t >= config.total_duration()) return 0;
  if (config.kind != ExecutorKind::ramping_vus) return config.vus;
  double from = config.start_vus;
  Nanos start{0};
  for (const Stage& stage : config.stages) {
    if (t < start + stage.duration) {
      // Exact whenever (target − from) · into < 2^53 (a thousand VUs over a 2-hour stage), so a
      // whole number of VUs is never computed a hair below itself and floored away.
      const auto into = static_cast<double>((t - start).count());
      const double vus = from + (stage.target - from) * into / static_cast<double>(stage.duration.count());
      return static_cast<int>(std::floor(vus));
    }
    from = stage.target;
    start += stage.duration;
  }
  return 0;
}

}  // namespace facteur::load
