// A one-pass JSON scanner (RFC 8259 grammar, as nlohmann accepts it) that records where each value
// starts. Iterative with an explicit stack, so nesting depth costs heap, never call stack.
#include "harness/scenario/json_locator.hpp"

#include <algorithm>
#include <limits>

#include "harness/scenario/json_pointer_segments.hpp"

namespace facteur::scenario {

Position position_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  Position position;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      line_start = i + 1;
    }
  }
  position.column = offset - line_start + 1;
  return position;
}

namespace {

using NodeId = std::uint32_t;

// Trie key of a child: the parent's id as 4 octets, then the segment.
void start_key(std::string& key, NodeId parent) {
  key.clear();
  for (int shift = 0; shift < 32; shift += 8) key.push_back(static_cast<char>((parent >> shift) & 0xFFU));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (cp >> 18)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  }
}

// Line and column of increasing offsets in amortised constant time.
class LineTracker {
 public:
  explicit LineTracker(std::string_view text) : text_(text) {}
  Position at(std::size_t offset) {
    for (; cursor_ < offset; ++cursor_) {
      if (text_[cursor_] == '\n') {
        ++line_;
        line_start_ = cursor_ + 1;
      }
    }
    return {line_, offset - line_start_ + 1};
  }

 private:
  std::string_view text_;
  std::size_t cursor_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace

class JsonIndexer {
 public:
  JsonIndexer(std::string_view text, JsonLocator& out) : text_(text), out_(out), lines_(text) {}

  // Scans until the root value ends or the first error; everything indexed so far stays.
  void run() {
    // nlohmann skips a UTF-8 byte order mark; so do we (columns still count its octets).
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    State state = State::value;
    for (;;) {
      skip_space();
      switch (state) {
        case State::value:
          if (!value(state)) return;
          break;
        case State::after_value:
          if (stack_.empty() || i_ >= text_.size()) return;  // done (trailing text is ignored)
          if (text_[i_] == ',') {
            ++i_;
            state = stack_.back().object ? State::member : State::element;
          } else if (text_[i_] == (stack_.back().object ? '}' : ']')) {
            ++i_;
            stack_.pop_back();
          } else {
            return;
          }
          break;
        case State::first_member:
        case State::first_element:
          if (i_ < text_.size() && text_[i_] == (state == State::first_member ? '}' : ']')) {
            ++i_;
            stack_.pop_back();
            state = State::after_value;
          } else {
            state = state == State::first_member ? State::member : State::element;
          }
          break;
        case State::member:
          if (!member_name()) return;
          state = State::value;
          break;
        case State::element: {
          Frame& top = stack_.back();
          start_key(key_, top.node);
          key_ += std::to_string(top.count++);
          state = State::value;
          break;
        }
      }
    }
  }

 private:
  enum class State { value, after_value, first_member, member, first_element, element };
  struct Frame {
    NodeId node;
    bool object;
    std::size_t count;  // elements seen (arrays)
  };

  void skip_space() {
    while (i_ < text_.size() && is_space(text_[i_])) ++i_;
  }

  // `"name" :` — leaves the child's trie key in key_.
  bool member_name() {
    if (i_ >= text_.size() || text_[i_] != '"') return false;
    start_key(key_, stack_.back().node);
    if (!string(&key_)) return false;
    skip_space();
    if (i_ >= text_.size() || text_[i_] != ':') return false;
    ++i_;
    return true;
  }

  // One value at i_ (the key for it is in key_ unless it is the root); sets the next state.
  bool value(State& next) {
    if (i_ >= text_.size()) return false;
    const std::size_t start = i_;
    const char c = text_[i_];
    bool ok = false;
    if (c == '{' || c == '[') {
      ++i_;
      ok = true;
    } else if (c == '"') {
      ok = string(nullptr);
    } else if (c == '-' || is_digit(c)) {
      ok = number();
    } else {
      ok = literal("true") || literal("false") || literal("null");
    }
    if (!ok || !record(start)) return false;
    if (c == '{' || c == '[') {
      stack_.push_back(Frame{static_cast<NodeId>(out_.positions_.size() - 1), c == '{', 0});
      next = c == '{' ? State::first_member : State::first_element;
    } else {
      next = State::after_value;
    }
    return true;
  }

  bool record(std::size_t offset) {
    const std::size_t id = out_.positions_.size();
    if (id >= std::numeric_limits<NodeId>::max()) return false;
    out_.positions_.push_back(lines_.at(offset));
    // A duplicate member name replaces the earlier value (as nlohmann does); the earlier value's
    // descendants become unreachable.
    if (id != 0) out_.children_.insert_or_assign(key_, static_cast<NodeId>(id));
    return true;
  }

  bool literal(std::string_view word) {
    if (text_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool digits() {
    const std::size_t start = i_;
    while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    return i_ > start;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number() {
    if (text_[i_] == '-') ++i_;
    if (i_ < text_.size() && text_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (i_ < text_.size() && text_[i_] == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (i_ < text_.size() && (text_[i_] == 'e' || text_[i_] == 'E')) {
      ++i_;
      if (i_ < text_.size() && (text_[i_] == '+' || text_[i_] == '-')) ++i_;
      if (!digits()) return false;
    }
    return true;
  }

  bool hex4(std::uint32_t& value) {
    if (text_.size() - i_ < 4) return false;
    value = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex_value(text_[i_++]);
      if (h < 0) return false;
      value = value * 16 + static_cast<std::uint32_t>(h);
    }
    return true;
  }

  // A string at i_ ('"'); appends its decoded value to `out` when given.
  bool string(std::string* out) {
    ++i_;
    while (i_ < text_.size()) {
      const char c = text_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;  // control characters must be escaped
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (i_ >= text_.size()) return false;
      const char e = text_[i_++];
      char plain = 0;
      switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': break;
        default: return false;
      }
      if (e != 'u') {
        if (out) out->push_back(plain);
        continue;
      }
      std::uint32_t cp = 0;
      if (!hex4(cp)) return false;
      if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
      if (cp >= 0xD800 && cp <= 0xDBFF) {              // must be followed by a low surrogate
        std::uint32_t low = 0;
        if (text_.substr(i_, 2) != "\\u") return false;
        i_ += 2;
        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      }
      if (out) append_utf8(*out, cp);
    }
    return false;  // unterminated
  }

  std::string_view text_;
  JsonLocator& out_;
  LineTracker lines_;
  std::size_t i_ = 0;
  std::vector<Frame> stack_;
  std::string key_;
};

JsonLocator::JsonLocator(std::string_view text) { JsonIndexer(text, *this).run(); }

JsonLocator::NodeId JsonLocator::walk(std::string_view pointer, bool& complete) const {
  NodeId node = 0;
  complete = true;
  std::string key;
  detail::for_each_pointer_token(pointer, [&](std::string_view token) {
    start_key(key, node);
    key += token;
    const auto it = children_.find(key);
    if (it == children_.end()) {
      complete = false;
      return false;
    }
    node = it->second;
    return true;
  });
  return node;
}

Position JsonLocator::find(std::string_view pointer) const {
  if (positions_.empty()) return {};
  bool complete = false;
  return positions_[walk(pointer, complete)];
}

std::optional<Position> JsonLocator::find_exact(std::string_view pointer) const {
  if (positions_.empty()) return std::nullopt;
  bool complete = false;
  const NodeId node = walk(pointer, complete);
  if (!complete) return std::nullopt;
  return positions_[node];
}

}  // namespace facteur::scenario
