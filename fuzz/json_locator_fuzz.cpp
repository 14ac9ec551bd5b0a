// JsonLocator never crashes; every position it records lies inside the text, in text order; and for
// JSON that nlohmann accepts, every value nlohmann sees is found exactly, at a character that can
// start a value of its type.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/scenario/json_locator.hpp"

namespace {

using facteur::scenario::JsonLocator;
using facteur::scenario::Position;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

std::string escape_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

bool starts_value(char c, const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: return c == '{';
    case nlohmann::json::value_t::array: return c == '[';
    case nlohmann::json::value_t::string: return c == '"';
    case nlohmann::json::value_t::boolean: return c == (v.get<bool>() ? 't' : 'f');
    case nlohmann::json::value_t::null: return c == 'n';
    default: return c == '-' || (c >= '0' && c <= '9');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const JsonLocator locator(text);

  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < size; ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  auto offset_of = [&](Position p) {
    check(p.line >= 1 && p.line <= line_starts.size() && p.column >= 1);
    const std::size_t offset = line_starts[p.line - 1] + p.column - 1;
    check(offset < size);
    check(p.line == line_starts.size() || offset < line_starts[p.line]);  // not past its line
    return offset;
  };
  std::size_t previous = 0;
  bool first = true;
  for (const Position& p : locator.positions()) {
    const std::size_t offset = offset_of(p);
    check(first || offset > previous);
    check(facteur::scenario::position_of_offset(text, offset) == p);
    previous = offset;
    first = false;
  }
  check(locator.size() == locator.positions().size());

  // Arbitrary pointers (the input itself) must not crash either.
  (void)locator.find(text);
  (void)locator.find_exact(text);
  (void)facteur::scenario::pointer_to_path(text);

  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  // Iterative walk of what nlohmann parsed: (pointer, value).
  std::vector<std::pair<std::string, const nlohmann::json*>> todo{{"", &doc}};
  while (!todo.empty()) {
    auto [pointer, value] = std::move(todo.back());
    todo.pop_back();
    const auto found = locator.find_exact(pointer);
    check(found.has_value());
    check(starts_value(text[offset_of(*found)], *value));
    if (pointer.size() > 4096) continue;  // deep enough; keeps the walk linear-ish
    if (value->is_object()) {
      for (const auto& [key, child] : value->items()) todo.emplace_back(pointer + "/" + escape_token(key), &child);
    } else if (value->is_array()) {
      for (std::size_t i = 0; i < value->size(); ++i) {
        todo.emplace_back(pointer + "/" + std::to_string(i), &(*value)[i]);
      }
    }
  }
  return 0;
}
