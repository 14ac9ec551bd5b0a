// Where each value of a JSON text stands (line, column), by JSON Pointer (RFC 6901), so that a
// scenario error can name file:line:column and the JSON path. nlohmann::json keeps no positions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace facteur::scenario {

struct Position {
  std::size_t line = 1;    // 1-based; lines end at LF (so CRLF counts once)
  std::size_t column = 1;  // 1-based, in octets (a multi-byte UTF-8 character counts 2-4)

  friend bool operator==(const Position&, const Position&) = default;
};

// Line and column of a byte offset in `text` (offsets past the end give the end position).
Position position_of_offset(std::string_view text, std::size_t offset);

class JsonLocator {
 public:
  // Indexes every value of `text`. Tolerates invalid JSON: it indexes what it can up to the error.
  // One pass, linear time and memory, no recursion (any nesting depth).
  explicit JsonLocator(std::string_view text);
  // Position of the value at `pointer` ("" for the root, "/steps/3/expect/code"). For a pointer
  // that does not exist, the position of its nearest existing ancestor ({1,1} when nothing was
  // indexed).
  Position find(std::string_view pointer) const;
  // Position of the value at exactly `pointer`; nullopt when that value was not indexed.
  std::optional<Position> find_exact(std::string_view pointer) const;
  // Number of values indexed (a value replaced by a duplicate key still counts).
  std::size_t size() const { return positions_.size(); }
  // Positions of every indexed value, in text order.
  const std::vector<Position>& positions() const { return positions_; }

 private:
  using NodeId = std::uint32_t;
  // Walks `pointer` as far as it exists; `complete` tells whether every segment was found.
  NodeId walk(std::string_view pointer, bool& complete) const;

  friend class JsonIndexer;
  // A trie of the document: node 0 is the root; a child is keyed by its parent's id (4 octets)
  // followed by the unescaped member name or the array index in decimal. Storing segments rather
  // than whole pointers keeps indexing linear however deep the document.
  std::vector<Position> positions_;                      // by node id
  std::unordered_map<std::string, NodeId> children_;
};

// "/steps/3/expect" → "$.steps[3].expect" (the form shown to users). Array indices become [n];
// member names that are not identifiers ([A-Za-z_][A-Za-z0-9_]*) become ["name"] with '"' and '\'
// escaped. "" → "$". A pointer missing its leading '/' is read as if it had one.
std::string pointer_to_path(std::string_view pointer);

}  // namespace facteur::scenario
