// Threshold expressions and their verdicts (thresholds.hpp).
#include "harness/load/thresholds.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "harness/load/executor.hpp"

namespace facteur::load {
namespace {

using Stat = Threshold::Stat;
using Op = Threshold::Op;

// What a metric name refers to, and so which stats it takes.
enum class Family { latency, checks, errors, error_kind };

constexpr std::string_view kErrorPrefix = "errors.";

Family family_of(std::string_view metric) {
  if (metric == "checks") return Family::checks;
  if (metric == "errors") return Family::errors;
  if (metric.starts_with(kErrorPrefix)) return Family::error_kind;
  return Family::latency;
}

// "timeout" of "errors.timeout"; empty for "errors" (every kind).
std::string_view error_kind_of(std::string_view metric) {
  return metric.starts_with(kErrorPrefix) ? metric.substr(kErrorPrefix.size()) : std::string_view{};
}

bool is_time(Stat s) { return s != Stat::count && s != Stat::rate; }

struct OpName {
  std::string_view text;
  Op op;
};
// Two-character operators first, so that "<=" is not read as "<".
constexpr std::array<OpName, 5> kOps{{{"<=", Op::le}, {">=", Op::ge}, {"==", Op::eq}, {"<", Op::lt}, {">", Op::gt}}};

struct StatName {
  std::string_view text;
  Stat stat;
};
constexpr std::array<StatName, 6> kStats{{{"avg", Stat::avg},
                                          {"min", Stat::min},
                                          {"max", Stat::max},
                                          {"med", Stat::med},
                                          {"count", Stat::count},
                                          {"rate", Stat::rate}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A whole plain number ("0.5", "12"); false for anything else, "inf" and "nan" included.
bool parse_number(std::string_view text, double& out) {
  if (text.empty() || text.front() == '+') return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && std::isfinite(out);
}

// Reads "p(99.9)" or a stat name into t; the reason it cannot otherwise.
std::string parse_stat(std::string_view text, Threshold& t) {
  if (text.starts_with("p(") && text.ends_with(")")) {
    t.stat = Stat::percentile;
    if (!parse_number(text.substr(2, text.size() - 3), t.percentile) || t.percentile < 0 || t.percentile > 100) {
      return fmt::format("'{}': a percentile is p(N) with N from 0 to 100", text);
    }
    return {};
  }
  for (const StatName& s : kStats) {
    if (text == s.text) {
      t.stat = s.stat;
      return {};
    }
  }
  return fmt::format("'{}' is not a statistic (p(N), avg, min, max, med, count, rate)", text);
}

std::string check_family(const Threshold& t) {
  switch (family_of(t.metric)) {
    case Family::latency:
      return t.stat == Stat::rate ? fmt::format("{} is a latency metric: rate is for checks and errors", t.metric)
                                  : std::string{};
    case Family::checks:
      return t.stat == Stat::rate ? std::string{} : "checks takes rate only";
    case Family::errors:
    case Family::error_kind:
      break;
  }
  return t.stat == Stat::rate || t.stat == Stat::count ? std::string{}
                                                       : fmt::format("{} takes rate or count only", t.metric);
}

std::string parse_bound(std::string_view text, Threshold& t) {
  if (text.empty()) return "a bound is missing after the operator";
  double value = 0;
  if (t.stat == Stat::rate) {
    const bool percent = text.ends_with('%');
    if (!parse_number(percent ? text.substr(0, text.size() - 1) : text, value)) {
      return fmt::format("'{}' is not a rate (a fraction such as 0.99, or a percentage such as 99%)", text);
    }
    t.bound = percent ? value / 100 : value;
    if (t.bound < 0 || t.bound > 1) return fmt::format("'{}': a rate is from 0 to 1 (0% to 100%)", text);
    return {};
  }
  if (t.stat == Stat::count) {
    if (!parse_number(text, value) || value < 0) return fmt::format("'{}' is not a count (a number ≥ 0)", text);
    t.bound = value;
    return {};
  }
  if (text != "0" && parse_number(text, value)) return "a time needs a unit (us, ms, s, m)";
  std::string why;
  const std::optional<Nanos> d = parse_duration(text, &why);
  if (!d) return why;
  t.bound = static_cast<double>(d.value_or(Nanos{0}).count()) / 1000.0;  // µs
  return {};
}

std::string parse(Threshold& t) {
  if (t.metric.empty()) return "a threshold needs a metric";
  if (family_of(t.metric) == Family::error_kind) {
    const std::string_view kind = error_kind_of(t.metric);
    if (std::find(std::begin(kErrorKinds), std::end(kErrorKinds), kind) == std::end(kErrorKinds)) {
      return fmt::format("{}: '{}' is not a kind of error ({})", t.metric, kind, fmt::join(kErrorKinds, ", "));
    }
  }
  const std::string_view expression = t.expression;
  const std::size_t at = expression.find_first_of("<>=!");
  if (at == std::string_view::npos) return "expected <stat><operator><bound>, such as p(99)<250ms";
  std::string why = parse_stat(trim(expression.substr(0, at)), t);
  if (!why.empty()) return why;
  std::string_view rest = expression.substr(at);
  const auto op = std::find_if(kOps.begin(), kOps.end(), [&](const OpName& o) { return rest.starts_with(o.text); });
  if (op == kOps.end()) return fmt::format("unknown operator at '{}' (<, <=, >, >=, ==)", rest);
  t.op = op->op;
  rest.remove_prefix(op->text.size());
  why = check_family(t);
  if (!why.empty()) return why;
  return parse_bound(trim(rest), t);
}

// ≥ 4 significant digits, one decimal at most from 100 up, no trailing zeros: 312.4, 0.9975, 3.
std::string format_number(double v) {
  const double a = std::fabs(v);
  int decimals = 1;
  if (a == 0) decimals = 0;
  else if (a < 100) decimals = std::min(9, 3 - static_cast<int>(std::floor(std::log10(a))));
  std::string out = fmt::format("{:.{}f}", v, decimals);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

// The unit a time bound was written in ("ms" of "<250ms", "s" of "<1m30s"); ms for a bare 0.
struct TimeUnit {
  std::string_view name;
  double us;
};
TimeUnit display_unit(std::string_view expression) {
  static constexpr std::array<TimeUnit, 7> units{
      {{"ns", 0.001}, {"us", 1}, {"µs", 1}, {"ms", 1000}, {"s", 1e6}, {"m", 6e7}, {"h", 3.6e9}}};
  expression = trim(expression);
  std::size_t start = expression.size();
  while (start > 0 && (expression[start - 1] < '0' || expression[start - 1] > '9')) --start;
  for (const TimeUnit& u : units) {
    if (expression.substr(start) == u.name) return u;
  }
  return {"ms", 1000};
}

std::string format_actual(const Threshold& t, double actual) {
  if (is_time(t.stat)) {
    const TimeUnit u = display_unit(t.expression);
    return format_number(actual / u.us) + std::string(u.name);
  }
  if (t.stat == Stat::rate && trim(t.expression).ends_with('%')) return format_number(actual * 100) + "%";
  return format_number(actual);
}

bool holds(double actual, Op op, double bound) {
  switch (op) {
    case Op::lt: return actual < bound;
    case Op::le: return actual <= bound;
    case Op::gt: return actual > bound;
    case Op::ge: return actual >= bound;
    case Op::eq: break;
  }
  return actual == bound;
}

std::uint64_t error_count(const LoadMetrics& m, std::string_view kind) {
  std::uint64_t total = 0;
  for (const auto& [name, count] : m.errors) {
    if (kind.empty() || name == kind) total += count;
  }
  return total;
}

// The measured value in the bound's unit, or the reason there is none.
struct Measure {
  double value = 0;
  const char* missing = nullptr;
};

Measure measure(const Threshold& t, const LoadMetrics& m) {
  const Family family = family_of(t.metric);
  if (family == Family::checks) {
    const std::uint64_t all = m.checks_passed + m.checks_failed;
    if (all == 0) return {0, "no iterations"};
    return {static_cast<double>(m.checks_passed) / static_cast<double>(all)};
  }
  if (family != Family::latency) {
    const auto count = static_cast<double>(error_count(m, error_kind_of(t.metric)));
    if (t.stat == Stat::count) return {count};
    if (m.iterations == 0) return {0, "no iterations"};
    return {count / static_cast<double>(m.iterations)};
  }
  const auto found = m.latency.find(t.metric);
  if (found == m.latency.end() || found->second.corrected.total_count() == 0) return {0, "no samples"};
  const HdrHistogram& h = found->second.corrected;
  switch (t.stat) {
    case Stat::percentile: return {static_cast<double>(h.value_at_percentile(t.percentile))};
    case Stat::avg: return {h.mean()};
    case Stat::min: return {static_cast<double>(h.min())};
    case Stat::max: return {static_cast<double>(h.max())};
    case Stat::med: return {static_cast<double>(h.value_at_percentile(50))};
    case Stat::count:
    case Stat::rate: break;
  }
  return {static_cast<double>(h.total_count())};
}

}  // namespace

std::optional<Threshold> parse_threshold(std::string_view metric, std::string_view expression, std::string* error) {
  Threshold t;
  t.metric = metric;
  t.expression = expression;
  const std::string why = parse(t);
  if (!why.empty()) {
    if (error) *error = fmt::format("{}: {}", expression, why);
    return std::nullopt;
  }
  return t;
}

ThresholdResult evaluate(const Threshold& t, const LoadMetrics& m) {
  const Measure got = measure(t, m);
  ThresholdResult r{t, false, got.value, {}};
  r.passed = got.missing == nullptr && holds(got.value, t.op, t.bound);
  r.text = fmt::format("{} {}: {}", t.metric, t.expression, got.missing ? got.missing : format_actual(t, got.value));
  return r;
}

std::vector<ThresholdResult> evaluate_all(const std::vector<Threshold>& ts, const LoadMetrics& m) {
  std::vector<ThresholdResult> out;
  out.reserve(ts.size());
  for (const Threshold& t : ts) out.push_back(evaluate(t, m));
  return out;
}

}  // namespace facteur::load
