#include "harness/runner/load_run.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "harness/core/utc_time.hpp"
#include "harness/core/version.hpp"
#include "harness/engine/case_run.hpp"
#include "harness/load/interval_collector.hpp"
#include "harness/runner/probe.hpp"

namespace facteur::runner {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal = sig;
  // A second signal ends the process at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

std::uint64_t micros(Clock::duration d) {
  return d.count() <= 0 ? 0 : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

// Which error an iteration that did not pass counts as.
const char* error_kind(const report::CaseResult& r) {
  switch (r.stop) {
    case report::StopKind::connect: return "connect";
    case report::StopKind::tls: return "tls";
    case report::StopKind::timeout: return "timeout";
    case report::StopKind::check: return "check";
    default: return "protocol";  // malformed, invariant, excess, io, scenario
  }
}

// What every thread hands over: its metrics of one interval, and the failing iterations it kept.
class Collector {
 public:
  void deliver(const load::LoadMetrics& m, std::vector<report::CaseResult>& failures) {
    metrics_.deliver(m);
    std::lock_guard lock(mutex_);
    for (auto& f : failures) failures_.push_back(std::move(f));
    failures.clear();
  }
  // Into the reporting thread's own buffer, reused from one interval to the next.
  void take(load::LoadMetrics& out) { metrics_.take(out); }
  std::vector<report::CaseResult> take_failures() {
    std::lock_guard lock(mutex_);
    return std::move(failures_);
  }

 private:
  load::IntervalCollector metrics_;
  std::mutex mutex_;
  std::vector<report::CaseResult> failures_;
};

struct Shared {
  const scenario::Scenario& scenario;
  const LoadOptions& options;
  engine::Capabilities caps;
  Clock::time_point start, end, warm_end;
  std::atomic<bool> stop{false};           // no new iterations (end, signal, abort)
  std::atomic<std::uint64_t> started{0};   // constant-vus with an iteration count
  std::atomic<int> active{0};
  Collector collector;

  bool stopping() const { return stop.load(std::memory_order_relaxed) || g_signal.load() != 0; }
};

// Records each step of the iteration in flight into its thread's metrics. `delay` is how late the
// iteration started against its intended time: the corrected latency of every step carries it.
struct VuObserver final : engine::StepObserver {
  load::LoadMetrics* metrics = nullptr;
  Clock::duration delay{0};
  bool keep = true;
  void on_step(const std::string& metric, std::chrono::steady_clock::duration took, bool failed) override {
    if (!keep) return;
    load::LatencyMetric& m = metrics->metric(metric);
    m.uncorrected.record(micros(took));
    m.corrected.record(micros(took + delay));
    if (failed) ++m.failures;
  }
};

struct Vu {
  VuObserver observer;
  engine::RunSettings settings;
  bool busy = false;
};

// One thread: its io_context, its virtual users, its metrics.
class Worker {
 public:
  Worker(Shared& shared, int index, int vus) : shared_(shared), index_(index), vus_(static_cast<std::size_t>(vus)) {
    ticker_.emplace(*io_);
    for (Vu& vu : vus_) {
      vu.observer.metrics = &interval_;
      vu.settings = shared.options.settings;
      vu.settings.observer = &vu.observer;
      if (shared.options.tls_resume) vu.settings.tls_sessions = std::make_shared<engine::TlsSessionCache>();
    }
  }

  void start() {
    const auto& ex = shared_.options.executor;
    if (ex.open_model()) {
      spawn(dispatch());
    } else {
      for (std::size_t i = 0; i < vus_.size(); ++i) spawn(closed_vu(i));
    }
    spawn(tick());
  }
  // Coroutines a hard stop left suspended are destroyed with the io_context, while what they refer
  // to (the VUs, the metrics) still exists.
  ~Worker() {
    ticker_.reset();
    io_.reset();
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void run() { io_->run(); }
  void hard_stop() { io_->stop(); }
  // After run(): what is left in this thread's interval.
  void flush() { shared_.collector.deliver(interval_, failures_); }

 private:
  void spawn(asio::awaitable<void> a) {
    ++alive_;
    asio::co_spawn(*io_, std::move(a), [this](std::exception_ptr) {
      if (--alive_ == 1) ticker_->cancel();  // only the ticker is left
    });
  }

  // `scheduled`: the open model's intended start; the closed model has none (its iterations are
  // never late), so intended and actual are the same instant.
  asio::awaitable<void> iteration(Vu& vu, std::optional<Clock::time_point> scheduled) {
    const Clock::time_point actual = Clock::now();
    const Clock::time_point intended = scheduled.value_or(actual);
    vu.observer.delay = actual > intended ? actual - intended : Clock::duration{0};
    vu.observer.keep = intended >= shared_.warm_end;
    // Each iteration draws its own ${@hex}, ${@uuid}…: two VUs never create the same mailbox name.
    vu.settings.seed = shared_.options.settings.seed ^ ((static_cast<std::uint64_t>(index_) << 48) + ++drawn_) * 0x9E3779B97F4A7C15ULL;
    ++shared_.active;
    report::CaseResult r = co_await engine::run_case(shared_.scenario, vu.settings, shared_.caps);
    --shared_.active;
    if (!vu.observer.keep) co_return;
    const Clock::time_point end = Clock::now();
    load::LatencyMetric& it = interval_.metric("iteration");
    it.uncorrected.record(micros(end - actual));
    it.corrected.record(micros(end - intended));
    ++interval_.iterations;
    if (r.outcome == report::Outcome::pass || r.outcome == report::Outcome::skip) {
      ++interval_.checks_passed;
      co_return;
    }
    ++interval_.checks_failed;
    ++it.failures;
    ++interval_.errors[error_kind(r)];
    if (kept_ < shared_.options.keep_failures) {
      ++kept_;
      r.id += fmt::format("#iteration-at-{:.3f}s", std::chrono::duration<double>(actual - shared_.start).count());
      failures_.push_back(std::move(r));
    }
  }

  // Closed model: the VU runs iterations back to back while the executor wants it.
  asio::awaitable<void> closed_vu(std::size_t i) {
    const auto& ex = shared_.options.executor;
    const int global = index_ + static_cast<int>(i) * shared_.options.threads;
    asio::steady_timer idle(*io_);
    idle.expires_at(shared_.start);  // every thread's VUs start on the same instant
    co_await idle.async_wait(asio::use_awaitable);
    while (!shared_.stopping()) {
      const auto now = Clock::now();
      if (ex.total_duration().count() > 0 && now >= shared_.end) break;
      if (ex.kind == load::ExecutorKind::ramping_vus && global >= load::target_vus(ex, now - shared_.start)) {
        idle.expires_after(std::chrono::milliseconds(20));
        co_await idle.async_wait(asio::use_awaitable);
        continue;
      }
      if (ex.iterations > 0 && shared_.started.fetch_add(1) >= ex.iterations) break;
      co_await iteration(vus_[i], std::nullopt);
    }
  }

  // Open model: this thread takes every threads-th start of the schedule. A start with no free VU
  // waits in a bounded backlog and runs as soon as one frees: its latency still counts from its
  // intended start (that is the coordinated-omission correction). A full backlog drops (counted).
  asio::awaitable<void> dispatch() {
    load::ArrivalSchedule schedule(shared_.options.executor);
    asio::steady_timer timer(*io_);
    std::uint64_t n = 0;
    while (auto offset = schedule.next()) {
      if (shared_.stopping()) break;
      if (n++ % static_cast<std::uint64_t>(shared_.options.threads) != static_cast<std::uint64_t>(index_)) continue;
      const Clock::time_point intended = shared_.start + std::chrono::duration_cast<Clock::duration>(*offset);
      if (Clock::now() < intended) {
        timer.expires_at(intended);
        co_await timer.async_wait(asio::use_awaitable);
      }
      Vu* free_vu = nullptr;
      for (Vu& vu : vus_) {
        if (!vu.busy) {
          free_vu = &vu;
          break;
        }
      }
      if (free_vu) {
        free_vu->busy = true;
        spawn(open_vu(*free_vu, intended));
      } else if (backlog_.size() < kBacklog) {
        backlog_.push_back(intended);
      } else if (intended >= shared_.warm_end) {
        ++interval_.errors["dropped"];
      }
    }
  }

  asio::awaitable<void> open_vu(Vu& vu, Clock::time_point intended) {
    for (;;) {
      co_await iteration(vu, intended);
      if (backlog_.empty()) break;
      intended = backlog_.front();
      backlog_.pop_front();
      if (shared_.stopping()) {
        // Never started: the run ended first.
        interval_.errors["dropped"] += backlog_.size() + 1;
        backlog_.clear();
        break;
      }
    }
    vu.busy = false;
  }

  // Hands this thread's interval over at every interval boundary (aligned on the run's start).
  asio::awaitable<void> tick() {
    const auto step = shared_.options.interval;
    for (int k = 1;; ++k) {
      ticker_->expires_at(shared_.start + k * step);
      boost::system::error_code ec;
      co_await ticker_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      shared_.collector.deliver(interval_, failures_);
      interval_.reset();  // the same histograms record the next interval
      if (ec || alive_ <= 1) co_return;
    }
  }

  std::unique_ptr<asio::io_context> io_ = std::make_unique<asio::io_context>(1);
  Shared& shared_;
  int index_;
  std::optional<asio::steady_timer> ticker_;
  std::vector<Vu> vus_;
  load::LoadMetrics interval_;
  std::vector<report::CaseResult> failures_;
  static constexpr std::size_t kBacklog = 100'000;  // starts waiting for a VU (8 octets each)
  std::deque<Clock::time_point> backlog_;
  int kept_ = 0;
  int alive_ = 0;
  std::uint64_t drawn_ = 0;  // iterations started by this thread
};

report::CaseResult threshold_case(const load::ThresholdResult& t, const std::string& protocol) {
  report::CaseResult c;
  c.id = "threshold/" + t.threshold.metric + "/" + t.threshold.expression;
  c.title = t.threshold.metric + " " + t.threshold.expression;
  c.protocol = protocol;
  c.level = "MUST";
  c.tags = {"threshold"};
  c.outcome = t.passed ? report::Outcome::pass : report::Outcome::fail;
  c.message = t.text;
  return c;
}

// One point of the run's time series ("intervals" in result.json), kept as numbers until the run
// ends: a JSON object per interval took ~850 octets of heap, what a long run still gained each second.
struct IntervalPoint {
  double t = 0, rate = 0;
  std::uint64_t iterations = 0, checks_failed = 0, errors = 0;
  std::optional<double> p50_ms, p99_ms;  // of "iteration", when the interval has one
};

IntervalPoint interval_point(double t, double length, const load::LoadMetrics& m) {
  IntervalPoint p{t, length > 0 ? static_cast<double>(m.iterations) / length : 0.0, m.iterations, m.checks_failed, 0, {}, {}};
  for (const auto& [kind, count] : m.errors) p.errors += count;
  if (auto it = m.latency.find("iteration"); it != m.latency.end() && it->second.corrected.total_count() > 0) {
    p.p50_ms = static_cast<double>(it->second.corrected.value_at_percentile(50)) / 1000.0;
    p.p99_ms = static_cast<double>(it->second.corrected.value_at_percentile(99)) / 1000.0;
  }
  return p;
}

nlohmann::json interval_json(const IntervalPoint& p) {
  nlohmann::json j{{"t", p.t}, {"iterations", p.iterations}, {"rate", p.rate}, {"checks_failed", p.checks_failed},
                   {"errors", p.errors}};
  if (p.p50_ms) j["p50_ms"] = *p.p50_ms;
  if (p.p99_ms) j["p99_ms"] = *p.p99_ms;
  return j;
}

}  // namespace

LoadResult run_load(const scenario::Scenario& scenario, const LoadOptions& options) {
  LoadResult out;
  report::RunResult& run = out.run;
  run.tool_version = version();
  run.command = "load";
  run.target = options.settings.target.display();
  run.started_at = utc_now_rfc3339();

  Shared shared{scenario, options, {}, {}, {}, {}, {}, {}, {}, {}};
  {
    asio::io_context io;
    ProbeResult probed;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { probed = co_await probe(options.settings); }, asio::detached);
    io.run();
    shared.caps = probed.caps;
    for (const auto& [k, v] : probed.facts) run.environment[k] = v;
    scenario::Vars merged = scenario.vars;
    for (const auto& [k, v] : options.settings.vars) merged[k] = v;
    const bool tls_from_start = options.settings.target.implicit_tls || options.settings.starttls;
    if (std::string missing = engine::missing_requirement(scenario, probed.caps, merged, tls_from_start); !missing.empty()) {
      if (auto ehlo = probed.facts.find("ehlo"); ehlo != probed.facts.end()) missing += " (" + ehlo->second + ")";
      throw std::runtime_error("cannot load " + scenario.id + ": " + missing);
    }
  }

  const int threads = std::max(1, options.threads);
  const int pool = std::max(1, options.executor.pool_size());
  g_signal = 0;
  auto previous_int = std::signal(SIGINT, on_signal);
  auto previous_term = std::signal(SIGTERM, on_signal);

  shared.start = Clock::now() + std::chrono::milliseconds(20);  // every thread starts on the same instant
  shared.end = shared.start + std::chrono::duration_cast<Clock::duration>(options.executor.total_duration());
  shared.warm_end = shared.start + std::chrono::duration_cast<Clock::duration>(options.executor.warmup);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    const int vus = pool / threads + (t < pool % threads ? 1 : 0);
    if (vus == 0) continue;
    workers.push_back(std::make_unique<Worker>(shared, t, vus));
  }
  std::atomic<int> running{static_cast<int>(workers.size())};
  std::vector<std::thread> pool_threads;
  for (auto& w : workers) {
    w->start();
    pool_threads.emplace_back([&w, &running] {
      w->run();
      --running;
    });
  }

  // The main thread merges what the threads hand over, once per interval.
  const double interval_s = std::chrono::duration<double>(options.interval).count();
  load::IntervalLogHeader log_header;
  log_header.start_time = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  log_header.base_time = log_header.start_time;
  if (options.interval_log) *options.interval_log << load::format_log_header(log_header) << std::flush;
  std::vector<IntervalPoint> intervals;
  // Room for every interval of a run with a set duration (and its graceful stop), so the series
  // never reallocates; a run bounded by iterations alone grows it as it goes.
  const auto planned = options.executor.total_duration() + options.executor.graceful_stop;
  if (options.interval.count() > 0) {
    intervals.reserve(std::min<std::size_t>(static_cast<std::size_t>(planned / options.interval) + 2, 1'000'000));
  }
  load::LoadMetrics m;  // each interval's merge, its histograms reused (interval_collector.hpp)
  const auto absorb = [&](int k) {
    shared.collector.take(m);
    m.duration_s = interval_s;
    for (const auto& [name, metric] : m.latency) {
      if (metric.corrected.total_count() == 0) continue;
      if (!options.interval_log) continue;
      *options.interval_log << load::format_log_interval(name, k * interval_s, interval_s, metric.corrected);
      ++out.log_lines;
    }
    if (options.interval_log) options.interval_log->flush();
    intervals.push_back(interval_point(k * interval_s, interval_s, m));
    out.total.add(m);
    if (options.on_progress) {
      LoadProgress p;
      p.elapsed_s = std::chrono::duration<double>(Clock::now() - shared.start).count();
      p.total_s = std::chrono::duration<double>(options.executor.total_duration()).count();
      p.interval = &m;
      p.total = &out.total;
      p.active = shared.active.load();
      options.on_progress(p);
    }
    for (const auto& t : options.thresholds) {
      if (t.abort_on_fail && out.total.iterations > 0 && !load::evaluate(t, out.total).passed) {
        out.aborted = true;
        shared.stop = true;
      }
    }
  };
  // Once no new iteration may start (the end, a signal, an aborting threshold), those in flight get
  // the graceful stop to finish; then the threads are stopped where they are.
  std::optional<Clock::time_point> stop_seen;
  bool hard_stopped = false;
  const auto grace = std::chrono::duration_cast<Clock::duration>(options.executor.graceful_stop);
  for (int k = 0; running.load() > 0; ++k) {
    const auto wake = shared.start + (k + 1) * options.interval + std::chrono::milliseconds(30);
    while (Clock::now() < wake && running.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (options.executor.total_duration().count() > 0 && Clock::now() >= shared.end) shared.stop = true;
    if (shared.stopping() && !stop_seen) stop_seen = Clock::now();
    if (stop_seen && !hard_stopped && Clock::now() >= *stop_seen + grace) {
      for (auto& w : workers) w->hard_stop();
      hard_stopped = true;
    }
    if (running.load() > 0) absorb(k);
  }
  for (auto& t : pool_threads) t.join();
  for (auto& w : workers) w->flush();
  absorb(static_cast<int>(intervals.size()));
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);

  out.total.duration_s = std::chrono::duration<double>(Clock::now() - shared.start).count();
  run.duration_ms = out.total.duration_s * 1000.0;
  run.interrupted = g_signal.load() != 0;
  out.thresholds = load::evaluate_all(options.thresholds, out.total);
  const std::string protocol = to_string(scenario.protocol);
  for (const auto& t : out.thresholds) {
    out.thresholds_failed = out.thresholds_failed || !t.passed;
    run.cases.push_back(threshold_case(t, protocol));
  }
  // The failing iterations kept, as warnings: the thresholds (or, without any, the checks) decide.
  for (auto& f : shared.collector.take_failures()) {
    f.outcome = report::Outcome::warn;
    run.cases.push_back(std::move(f));
  }
  nlohmann::json series = nlohmann::json::array();
  for (const IntervalPoint& p : intervals) series.push_back(interval_json(p));
  nlohmann::json thresholds = nlohmann::json::array();
  for (const auto& t : out.thresholds) {
    thresholds.push_back({{"metric", t.threshold.metric}, {"expression", t.threshold.expression},
                          {"abort_on_fail", t.threshold.abort_on_fail}, {"passed", t.passed},
                          {"actual", t.actual}, {"text", t.text}});
  }
  run.load = {{"scenario", scenario.id},     {"executor", load::to_json(options.executor)},
              {"threads", threads},          {"interval_s", interval_s},
              {"aborted", out.aborted},      {"metrics", load::to_json(out.total)},
              {"intervals", series},         {"thresholds", thresholds}};
  run.environment["load.executor"] = to_string(options.executor.kind);
  run.environment["load.iterations"] = std::to_string(out.total.iterations);
  return out;
}

}  // namespace facteur::runner
