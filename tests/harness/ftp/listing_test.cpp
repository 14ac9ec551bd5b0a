// Listings off the data connection: LIST lines, NLST names, MLSD entries; limits, malformed data
// with its message, and the same result however the data is cut into chunks.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "harness/ftp/listing.hpp"
#include "tests/support/split_everywhere.hpp"

namespace facteur::ftp {
namespace {

using Lines = std::vector<std::string>;

// What a streaming reader (LineSplitter, MlsdParser) made of some data: the items up to an error,
// the verdict and the message.
template <class Item>
struct Streamed {
  bool ok = false;
  std::vector<Item> items;
  std::string error;
};

// `reader` fed `chunks`, stopping at the first failing feed as a caller would, then finished.
template <class Item, class Reader>
Streamed<Item> stream(Reader reader, const std::vector<std::string_view>& chunks) {
  Streamed<Item> out;
  for (const std::string_view chunk : chunks) {
    if (!reader.feed(chunk, out.items)) break;
  }
  out.ok = reader.finish();
  out.error = reader.error();
  return out;
}

// Every way of cutting `data` gives what the whole data gives, and the one-shot form agrees.
template <class Item, class MakeReader, class OneShot>
Streamed<Item> stream_everywhere(std::string_view data, MakeReader make, OneShot one_shot) {
  const Streamed<Item> whole = stream<Item>(make(), {data});
  const auto parsed = one_shot(data);
  EXPECT_EQ(parsed.ok(), whole.ok);
  EXPECT_EQ(parsed.error, whole.error);
  if (parsed.ok()) {
    EXPECT_EQ(parsed.value, whole.items);
  }
  for (const auto& chunks : test::every_chunking(data)) {
    const Streamed<Item> cut = stream<Item>(make(), chunks);
    EXPECT_EQ(cut.ok, whole.ok) << chunks.size() << " chunks";
    EXPECT_EQ(cut.items, whole.items) << chunks.size() << " chunks";
    EXPECT_EQ(cut.error, whole.error) << chunks.size() << " chunks";
    if (testing::Test::HasFailure()) break;
  }
  return whole;
}

struct Split {
  bool ok = false;
  Lines lines;
  std::string error;
};

Split split_everywhere(std::string_view data, const ListingLimits& limits = {}) {
  Streamed<std::string> s = stream_everywhere<std::string>(
      data, [&] { return LineSplitter(limits); }, [&](std::string_view d) { return split_lines(d, limits); });
  return Split{s.ok, std::move(s.items), std::move(s.error)};
}

TEST(LineSplitter, VsftpdList) {
  const Split s = split_everywhere(
      "drwxr-xr-x    2 0        0            4096 Jan 01 12:00 pub\r\n"
      "-rw-r--r--    1 0        0              38 Jan 01 12:00 hello world.txt\r\n");
  ASSERT_TRUE(s.ok) << s.error;
  EXPECT_EQ(s.lines, (Lines{"drwxr-xr-x    2 0        0            4096 Jan 01 12:00 pub",
                            "-rw-r--r--    1 0        0              38 Jan 01 12:00 hello world.txt"}));
}

TEST(LineSplitter, EmptyDataEmptyLinesAndCrInsideALine) {
  EXPECT_TRUE(split_everywhere("").lines.empty());
  EXPECT_TRUE(split_everywhere("").ok);
  EXPECT_EQ(split_everywhere("total 0\r\n\r\n").lines, (Lines{"total 0", ""}));  // LIST may say anything
  EXPECT_EQ(split_everywhere("a\rb\r\n\r\r\n").lines, (Lines{"a\rb", "\r"}));
}

TEST(LineSplitter, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"a\r\nb\n", "bare LF in listing line 2"},
      {"\n", "bare LF in listing line 1"},
      {"a\r\nb", "listing line 2 has no CRLF at the end of the data"},
      {"a\r\n\r", "listing line 2 has no CRLF at the end of the data"},
      {"a\nb", "bare LF in listing line 1"},  // the earlier proof wins
  };
  for (const auto& [data, message] : cases) {
    const Split s = split_everywhere(data);
    EXPECT_FALSE(s.ok) << data;
    EXPECT_EQ(s.error, message) << data;
  }
}

TEST(LineSplitter, Limits) {
  ListingLimits limits;
  limits.max_line = 8;
  limits.max_lines = 3;
  EXPECT_EQ(split_everywhere("123456\r\n", limits).lines, Lines{"123456"});  // 8 octets with CRLF
  EXPECT_EQ(split_everywhere("1234567\r\n", limits).error, "listing line 1 exceeds 8 octets");
  EXPECT_EQ(split_everywhere("a\r\n" + std::string(100, 'x'), limits).error, "listing line 2 exceeds 8 octets");
  EXPECT_EQ(split_everywhere("a\r\nb\r\nc\r\n", limits).lines.size(), 3u);
  EXPECT_EQ(split_everywhere("a\r\nb\r\nc\r\nd\r\n", limits).error, "listing has more than 3 lines");
  // The line limit is checked before a bare LF past it.
  EXPECT_EQ(split_everywhere("12345678\n", limits).error, "listing line 1 exceeds 8 octets");
}

TEST(LineSplitter, AnEndlessLineIsNotBuffered) {
  // 64 MiB without a LF, fed in 1 MiB chunks: refused in the first chunk, the rest never looked at.
  LineSplitter splitter;
  std::vector<std::string> lines;
  const std::string mib(1 << 20, 'x');
  std::size_t fed = 0;
  while (fed < 64 && splitter.feed(mib, lines)) ++fed;
  EXPECT_EQ(fed, 0u);
  EXPECT_EQ(splitter.error(), "listing line 1 exceeds 65536 octets");
  EXPECT_FALSE(splitter.feed("\r\n", lines));
  EXPECT_FALSE(splitter.finish());
}

TEST(Nlst, Names) {
  const Parsed<Lines> names = parse_nlst("pub\r\nhello world.txt\r\n.hidden\r\n");
  ASSERT_TRUE(names.ok()) << names.error;
  EXPECT_EQ(names.value, (Lines{"pub", "hello world.txt", ".hidden"}));
  EXPECT_TRUE(parse_nlst("").value.empty());
  EXPECT_EQ(parse_nlst("a\r\n\r\nb\r\n").error, "NLST line 2 is empty, not a pathname");
  EXPECT_EQ(parse_nlst("a\nb\n").error, "bare LF in listing line 1");
}

struct Mlsd {
  bool ok = false;
  std::vector<Entry> entries;
  std::string error;
};

Mlsd mlsd_everywhere(std::string_view data, const ListingLimits& limits = {}) {
  Streamed<Entry> s = stream_everywhere<Entry>(
      data, [&] { return MlsdParser(limits); }, [&](std::string_view d) { return parse_mlsd(d, limits); });
  return Mlsd{s.ok, std::move(s.items), std::move(s.error)};
}

TEST(Mlsd, PureFtpdListing) {
  const Mlsd m = mlsd_everywhere(
      "type=cdir;sizd=4096;modify=20260101120000;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g1c2d1; .\r\n"
      "type=pdir;sizd=4096;modify=20251231120000;UNIX.mode=0755;UNIX.uid=0;UNIX.gid=0;unique=803g2; ..\r\n"
      "type=file;size=38;modify=20260101120000;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;unique=803g1c2d4; "
      "hello world.txt\r\n"
      "type=dir;sizd=4096;modify=20260101120000;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g1c2d5; a;b\r\n");
  ASSERT_TRUE(m.ok) << m.error;
  ASSERT_EQ(m.entries.size(), 4u);
  EXPECT_EQ(m.entries[0].type(), "cdir");
  EXPECT_EQ(m.entries[2].path, "hello world.txt");
  EXPECT_EQ(m.entries[2].size().value, 38u);
  EXPECT_EQ(m.entries[3].path, "a;b");
}

TEST(Mlsd, Rfc3659Example) {
  // RFC 3659 §7.7.3.
  const Mlsd m = mlsd_everywhere(
      "Type=cdir;Perm=el;Unique=keVO1+ZF4; test\r\n"
      "Type=file;Size=1024990;Perm=r; cap60.pl198.tar.gz\r\n"
      "Type=dir;Modify=19981107085215;Perm=el;Unique=keVO1+1G4; incoming\r\n");
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.entries[2].modify().value.str(), "19981107085215");
}

TEST(Mlsd, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"type=file; a\r\n\r\n", "MLSD line 2: entry \"\" has no space between the facts and the pathname"},
      {"type=file; a\r\ntype=file b\r\n", "MLSD line 2: entry \"type=file b\": the facts do not end with ';'"},
      {"type=file; a\r\ntype=file; b\n", "bare LF in listing line 2"},
      {"type=file; a\r\ntype=file; b", "listing line 2 has no CRLF at the end of the data"},
      // An entry error before a framing error in the same chunk: the earlier one.
      {"type; a\r\nb\n", "MLSD line 1: entry \"type; a\": fact \"type\" has no '='"},
  };
  for (const auto& [data, message] : cases) {
    const Mlsd m = mlsd_everywhere(data);
    EXPECT_FALSE(m.ok) << data;
    EXPECT_EQ(m.error, message) << data;
  }
  ListingLimits limits;
  limits.max_lines = 1;
  EXPECT_EQ(mlsd_everywhere("type=file; a\r\ntype=file; b\r\n", limits).error, "listing has more than 1 lines");
}

}  // namespace
}  // namespace facteur::ftp
