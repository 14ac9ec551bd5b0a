// A Fenwick (binary indexed) tree of 0/1 marks over slots: O(log n) mark changes, prefix counts,
// "where is the k-th mark" and appends. The seq→UID map (invariants_seq_uid.hpp) keeps one for
// live messages and one for live messages with a known UID, so renumbering after EXPUNGE costs
// O(log n) instead of shifting every later message.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace facteur::imap::detail {

class Fenwick {
 public:
  std::size_t size() const { return tree_.size() - 1; }
  std::uint64_t total() const { return total_; }

  // Replaces the contents with `marks` (each 0 or 1) in O(n).
  void assign(const std::vector<std::uint8_t>& marks) {
    tree_.assign(marks.size() + 1, 0);
    total_ = 0;
    for (std::size_t j = 1; j < tree_.size(); ++j) {
      tree_[j] += marks[j - 1] ? 1u : 0u;
      total_ += marks[j - 1] ? 1u : 0u;
      const std::size_t parent = j + lowbit(j);
      if (parent < tree_.size()) tree_[parent] += tree_[j];
    }
  }

  // Appends one slot holding `mark`.
  void push_back(bool mark) {
    const std::size_t j = tree_.size();
    // The node at j covers (j - lowbit(j), j]: its own mark plus the slots before it in that span.
    const std::uint64_t covered = prefix(j - 1) - prefix(j - lowbit(j));
    tree_.push_back(static_cast<std::uint32_t>(covered + (mark ? 1u : 0u)));
    total_ += mark ? 1u : 0u;
  }

  void increment(std::size_t i) {
    for (std::size_t j = i + 1; j < tree_.size(); j += lowbit(j)) ++tree_[j];
    ++total_;
  }
  void decrement(std::size_t i) {
    for (std::size_t j = i + 1; j < tree_.size(); j += lowbit(j)) --tree_[j];
    --total_;
  }

  // Marks in slots [0, n).
  std::uint64_t prefix(std::size_t n) const {
    std::uint64_t sum = 0;
    for (std::size_t j = n; j > 0; j -= lowbit(j)) sum += tree_[j];
    return sum;
  }

  // The slot of the k-th mark, 1 <= k <= total().
  std::size_t find_kth(std::uint64_t k) const {
    std::size_t pos = 0;
    for (std::size_t step = std::bit_floor(size()); step > 0; step >>= 1) {
      if (pos + step < tree_.size() && tree_[pos + step] < k) {
        pos += step;
        k -= tree_[pos];
      }
    }
    return pos;  // 1-based pos + 1 holds it, i.e. slot `pos`
  }

 private:
  static std::size_t lowbit(std::size_t j) { return j & (~j + 1); }

  std::vector<std::uint32_t> tree_ = std::vector<std::uint32_t>(1, 0);  // 1-based; [0] unused
  std::uint64_t total_ = 0;
};

}  // namespace facteur::imap::detail
