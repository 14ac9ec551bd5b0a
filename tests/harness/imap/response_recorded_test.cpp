// Responses recorded from the lab's Dovecot (the fuzz seeds fuzz/corpus/imap_response/dovecot_*):
// each parses completely, fed split at every byte, and its values print back as they were sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "harness/imap/response.hpp"
#include "tests/harness/imap/response_test_support.hpp"

namespace facteur::imap {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ImapRecorded, EveryDovecotResponseParses) {
  const std::filesystem::path dir = std::filesystem::path(FACTEUR_SOURCE_DIR) / "fuzz/corpus/imap_response";
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("dovecot_", 0) != 0) continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string wire = read_file(entry.path());
    const Response r = test::parse_split_everywhere(wire);
    if (r.kind == Response::Kind::tagged) {
      EXPECT_FALSE(r.text.empty());  // Dovecot always says something
    }
    ++count;
  }
  EXPECT_GE(count, 40u);
}

TEST(ImapRecorded, FetchPartialFromDovecot) {
  const std::string wire = read_file(std::filesystem::path(FACTEUR_SOURCE_DIR) /
                                     "fuzz/corpus/imap_response/dovecot_fetch_partial_0");
  const Response r = test::parse_split_everywhere(wire);
  ASSERT_EQ(r.data.size(), 1u);
  const auto& items = r.data[0].items;
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[2], test::atom("BODY[1]<0>"));
  EXPECT_EQ(items[3], test::literal("Hello ) { "));
  EXPECT_EQ(items[4], test::atom("BODY[HEADER.FIELDS (FROM SUBJECT)]"));
  EXPECT_EQ(r.literal_octets, 10u + items[5].text.size());
}

}  // namespace
}  // namespace facteur::imap
