// Split-at-every-byte checks for the pure framers (STYLE.md: tests re-feed each message split at
// every byte). A one-shot parser is a pure function over the octets received so far, so "split at
// k" means "only k octets arrived". `parse(octets)` is the parser under test; its result has
// `status` (an enum with complete, need_more and error), `consumed` and `error`. Streaming
// decoders, fed chunks instead of a growing buffer, are cut by every_chunking. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::test {

// Every proper prefix → need_more (consumed 0, no error); the whole wire → complete, consuming all
// of it. Returns the whole wire's result.
template <class Parse>
auto complete_split_everywhere(std::string_view wire, Parse parse) {
  using Status = decltype(parse(wire).status);
  for (std::size_t k = 0; k < wire.size(); ++k) {
    const auto r = parse(wire.substr(0, k));
    if (r.status != Status::need_more || r.consumed != 0 || !r.error.empty()) {
      ADD_FAILURE() << "prefix of " << k << " octets was not need_more: " << r.error;
      break;
    }
  }
  auto full = parse(wire);
  EXPECT_EQ(full.status, Status::complete) << full.error;
  EXPECT_EQ(full.consumed, wire.size());
  EXPECT_TRUE(full.error.empty());
  return full;
}

struct ErrorAt {
  std::size_t first_failing_prefix = 0;  // octets received when the error was first reported
  std::string message;
};

// Every prefix is need_more until one fails; from then on every longer prefix fails the same way
// (never complete), and the whole wire fails.
template <class Parse>
ErrorAt error_split_everywhere(std::string_view wire, Parse parse) {
  using Status = decltype(parse(wire).status);
  ErrorAt found;
  bool failed = false;
  for (std::size_t k = 0; k <= wire.size(); ++k) {
    const auto r = parse(wire.substr(0, k));
    EXPECT_EQ(r.consumed, 0u) << "prefix " << k;
    if (failed) {
      EXPECT_EQ(r.status, Status::error) << "prefix " << k << " recovered from an error";
      EXPECT_EQ(r.error, found.message) << "prefix " << k;
    } else if (r.status == Status::error) {
      EXPECT_FALSE(r.error.empty());
      failed = true;
      found = ErrorAt{k, r.error};
    } else {
      EXPECT_EQ(r.status, Status::need_more) << "prefix " << k;
    }
  }
  EXPECT_TRUE(failed) << "never failed: " << wire;
  return found;
}

// A resumable framer (a fresh one from `make()`, whose feed(buffer) takes everything received so
// far) fed `wire` growing by `step` octets at a time; the last feed is all of it.
template <class MakeFramer>
auto feed_in_steps(std::string_view wire, std::size_t step, MakeFramer make) {
  auto framer = make();
  for (std::size_t k = 0;; k = std::min(wire.size(), k + step)) {
    auto r = framer.feed(wire.substr(0, k));
    if (r.status != decltype(r.status)::need_more || k == wire.size()) return r;
  }
}

// The framer fed `wire` growing by `step` octets answers every feed as the one-shot `parse` of the
// same octets: the same status, consumed and error, and (`expect_same(a, b)`) the same message.
template <class MakeFramer, class Parse, class ExpectSame>
void framer_matches_one_shot(std::string_view wire, std::size_t step, MakeFramer make, Parse parse,
                             ExpectSame expect_same) {
  auto framer = make();
  for (std::size_t k = 0;; k = std::min(wire.size(), k + step)) {
    const auto fed = framer.feed(wire.substr(0, k));
    const auto one = parse(wire.substr(0, k));
    EXPECT_EQ(fed.status, one.status) << "step " << step << ", prefix " << k << ": " << fed.error;
    EXPECT_EQ(fed.consumed, one.consumed) << "step " << step << ", prefix " << k;
    EXPECT_EQ(fed.error, one.error) << "step " << step << ", prefix " << k;
    if (fed.status == one.status && fed.status == decltype(fed.status)::complete) expect_same(fed, one);
    if (k == wire.size() || testing::Test::HasFailure()) return;
  }
}

// The ways of cutting `wire` into chunks that a streaming decoder must not notice: in two at every
// position (the whole wire and an empty chunk included), one octet at a time, seven at a time.
inline std::vector<std::vector<std::string_view>> every_chunking(std::string_view wire) {
  std::vector<std::vector<std::string_view>> cuts;
  for (std::size_t k = 0; k <= wire.size(); ++k) cuts.push_back({wire.substr(0, k), wire.substr(k)});
  for (const std::size_t step : {1, 7}) {
    std::vector<std::string_view> chunks;
    for (std::size_t k = 0; k < wire.size(); k += step) chunks.push_back(wire.substr(k, step));
    cuts.push_back(std::move(chunks));
  }
  return cuts;
}

}  // namespace facteur::test
