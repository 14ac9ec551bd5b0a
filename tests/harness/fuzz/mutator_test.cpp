// Mutations: reproducible from the generator's seed, protocol-aware (literals only for IMAP, the
// STARTTLS injection only when STARTTLS is offered), and never splitting a template reference, so
// that a password is sent by reference and never written into a finding.
#include <gtest/gtest.h>

#include "harness/fuzz/mutator.hpp"

namespace facteur::fuzz {
namespace {

using json = nlohmann::ordered_json;

std::vector<SeedLine> lines_of(const char* steps, Protocol p) {
  return seed_lines(json::parse(std::string(R"({"steps": )") + steps + "}"), p);
}

std::string flat(const Payload& p) {
  std::string out;
  for (const Part& part : p) {
    for (std::size_t k = 0; k < (part.kind == Part::Kind::repeat ? part.count : 1); ++k) out += part.bytes;
  }
  return out;
}

TEST(SeedLines, EachCommandStepGivesItsWireLine) {
  const auto smtp = lines_of(R"([{"connect": true}, {"ehlo": true}, {"mail": "${sender}"},
      {"rcpt": {"to": "a@b", "params": []}}, {"data": true}, {"sleep": 5}, {"quit": true}])", Protocol::smtp);
  ASSERT_EQ(smtp.size(), 5u);
  EXPECT_EQ(flat(smtp[0].line), "EHLO client.facteur.test");
  EXPECT_EQ(smtp[1].step, 2u);
  EXPECT_EQ(smtp[1].line[1].bytes, "${sender}");
  EXPECT_EQ(smtp[1].verb, "MAIL");
  EXPECT_EQ(flat(smtp[2].line), "RCPT TO:<a@b>");
  EXPECT_EQ(smtp[4].verb, "QUIT");

  const auto imap = lines_of(R"([{"connect": true}, {"login": true}, {"imap": "SELECT INBOX", "session": "b"},
      {"imap": "APPEND x {}", "literals": ["m"]}])", Protocol::imap);
  ASSERT_EQ(imap.size(), 2u);  // a command with literals is left to the engine
  EXPECT_EQ(flat(imap[0].line), "fz1 LOGIN \"${imap_user}\" \"${imap_password}\"");
  EXPECT_EQ(imap[1].verb, "SELECT");
  EXPECT_EQ(imap[1].session, "b");
}

TEST(Mutator, SameSeedSameInput) {
  const auto lines = lines_of(R"([{"connect": true}, {"ehlo": true}, {"mail": "a@b"}])", Protocol::smtp);
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    MutationContext ctx{Protocol::smtp, &lines[1], &lines, false};
    std::mt19937_64 a(seed), b(seed);
    const Mutation x = mutate(ctx, a), y = mutate(ctx, b);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(to_parts_json(x.payload), to_parts_json(y.payload));
  }
}

TEST(Mutator, ApplicableDependsOnProtocolAndTarget) {
  const auto lines = lines_of(R"([{"ehlo": true}, {"mail": "a@b"}])", Protocol::smtp);
  MutationContext ctx{Protocol::smtp, &lines[0], &lines, false};
  auto names = applicable(ctx);
  EXPECT_EQ(std::count(names.begin(), names.end(), "literal-huge"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "starttls-injection"), 0);
  ctx.starttls_offered = true;
  names = applicable(ctx);
  EXPECT_EQ(std::count(names.begin(), names.end(), "starttls-injection"), 1);
  const auto imap = lines_of(R"([{"imap": "NOOP"}])", Protocol::imap);
  MutationContext ictx{Protocol::imap, &imap[0], &imap, true};
  names = applicable(ictx);
  EXPECT_EQ(std::count(names.begin(), names.end(), "literal-huge-plus"), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), "wrong-state"), 0);  // one line: nothing to swap in
}

TEST(Mutator, EveryMutationKeepsReferencesWhole) {
  const auto lines = lines_of(R"([{"login": true}, {"imap": "SELECT ${box}"}])", Protocol::imap);
  for (const auto& name : mutation_names()) {
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      MutationContext ctx{Protocol::imap, &lines[seed % 2], &lines, true};
      const auto names = applicable(ctx);
      if (std::find(names.begin(), names.end(), name) == names.end()) continue;
      std::mt19937_64 rng(seed);
      const Mutation m = mutate(ctx, rng, name);
      EXPECT_EQ(m.name, name);
      for (const Part& part : m.payload) {
        if (part.kind == Part::Kind::text) {
          EXPECT_EQ(part.bytes.find("${"), std::string::npos) << name << " split a reference: " << describe(m.payload);
        }
      }
      if (m.steps.is_null()) {
        EXPECT_FALSE(m.payload.empty()) << name;
      }
    }
  }
}

TEST(Mutator, LineSplitsCarryTheirRule) {
  const auto lines = lines_of(R"([{"ehlo": true}])", Protocol::smtp);
  MutationContext ctx{Protocol::smtp, &lines[0], &lines, false};
  std::mt19937_64 rng(1);
  const Mutation m = mutate(ctx, rng, "bare-lf-inside");
  EXPECT_EQ(flat(m.payload), "EHLO client.facteur.test\nNOOP\r\n");
  EXPECT_EQ(m.max_replies, 2);
  ASSERT_TRUE(m.oracle);
  EXPECT_EQ(m.oracle->rfc, "5321");
  EXPECT_EQ(m.oracle->section, "2.3.8");
  EXPECT_TRUE(m.sync);
  const Mutation cut = mutate(ctx, rng, "truncated-close");
  EXPECT_TRUE(cut.close_after);
  EXPECT_FALSE(cut.sync);
  EXPECT_LT(flat(cut.payload).size(), flat(lines[0].line).size() + 1);
  const Mutation tls = mutate(MutationContext{Protocol::smtp, &lines[0], &lines, true}, rng, "starttls-injection");
  ASSERT_TRUE(tls.steps.is_array());
  EXPECT_EQ(tls.steps[0]["starttls"]["pipelined"][0], "NOOP");
}

TEST(Mutator, HugeLiteralsForImap) {
  const auto lines = lines_of(R"([{"imap": "SELECT INBOX"}])", Protocol::imap);
  MutationContext ctx{Protocol::imap, &lines[0], &lines, false};
  std::mt19937_64 rng(3);
  EXPECT_EQ(flat(mutate(ctx, rng, "literal-huge-plus").payload), "fz1 SELECT INBOX {4294967295+}\r\n");
  EXPECT_EQ(flat(mutate(ctx, rng, "overlong-verb").payload).substr(0, 5), "fz1 X");
}

}  // namespace
}  // namespace facteur::fuzz
