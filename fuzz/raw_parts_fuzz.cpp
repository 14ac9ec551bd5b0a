// Fuzzes the octets → raw-step parts codec that findings are written with (harness/fuzz/payload.hpp)
// against the loader that reads them back (harness/scenario/raw_parts.cpp): any octets, split into
// text and a repeated run, must come back exactly, through JSON text, the loader and template expansion.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/fuzz/payload.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/template.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace facteur;
  if (size < 2) return 0;
  // First octet: where the input splits into text and a repeated unit; second: the repeat count.
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = std::min<std::size_t>(data[0], in.size());
  const std::size_t count = data[1] % 64;
  fuzz::Payload p = fuzz::text(in.substr(0, cut));
  std::string expected(in.substr(0, cut));
  const std::string_view unit = in.substr(cut, std::min<std::size_t>(8, in.size() - cut));
  if (!unit.empty()) {
    p.push_back(fuzz::Part{fuzz::Part::Kind::repeat, std::string(unit), count});
    for (std::size_t k = 0; k < count; ++k) expected += unit;
  }
  fuzz::append(p, in.substr(std::min(in.size(), cut + unit.size())));
  expected += in.substr(std::min(in.size(), cut + unit.size()));
  require(fuzz::size(p) == expected.size());

  nlohmann::ordered_json doc{{"facteur", 1}, {"id", "fuzz/raw-parts"}, {"title", "t"}, {"protocol", "smtp"},
                             {"spec", {{{"rfc", "5321"}, {"section", "2.3.8"}, {"level", "MUST"}}}}};
  doc["steps"] = {{{"connect", true}}, {{"raw", {{"parts", fuzz::to_parts_json(p)}}}}};
  const scenario::Scenario s = scenario::parse_scenario(doc.dump(), "raw-parts.json");
  scenario::TemplateContext ctx;
  require(scenario::expand(s.steps[1].text, {}, ctx) == expected);
  (void)fuzz::describe(p);
  return 0;
}
