// MLSx entries (RFC 3659 §7.2, §7.4-7.5): RFC 3659 §7.7's examples and servers' lines, pathnames
// with spaces and semicolons, case-insensitive fact names, typed standard facts, every malformed
// entry with its message, the MLST reply, and parse_entry(e.str()) == e.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "harness/ftp/facts.hpp"
#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

using Facts = std::map<std::string, std::string>;

Entry entry_ok(std::string_view line) {
  const Parsed<Entry> e = parse_entry(line);
  EXPECT_TRUE(e.ok()) << line << ": " << e.error;
  if (e.ok()) {
    EXPECT_EQ(parse_entry(e.value.str()).value, e.value) << line;
  }
  return e.value;
}

TEST(Entry, TheBriefsExample) {
  const Entry e = entry_ok("type=file;size=1024;modify=20260101120000;perm=r; name with spaces.txt");
  EXPECT_EQ(e.facts, (Facts{{"type", "file"}, {"size", "1024"}, {"modify", "20260101120000"}, {"perm", "r"}}));
  EXPECT_EQ(e.path, "name with spaces.txt");
  EXPECT_EQ(e.type(), "file");
  EXPECT_EQ(e.size().value, 1024u);
  EXPECT_EQ(e.modify().value.unix_seconds(), 1767268800);
}

TEST(Entry, Rfc3659Examples) {
  // §7.7.3, §7.7.4 and §7.7.8 (fact names in any case).
  EXPECT_EQ(entry_ok("Type=cdir;Perm=el;Unique=keVO1+ZF4; test").path, "test");
  const Entry pdir = entry_ok("Type=pdir;Perm=e;Unique=keVO1+d?3; ..");
  EXPECT_EQ(pdir.type(), "pdir");
  EXPECT_EQ(*pdir.fact("UNIQUE"), "keVO1+d?3");
  const Entry file = entry_ok("Type=file;Size=25730;Modify=19940728095854;Perm=; capmux.tar.z");
  EXPECT_EQ(*file.fact("perm"), "");  // an empty value
  EXPECT_EQ(file.size().value, 25730u);
  const Entry os = entry_ok("type=OS.unix=slink:/foo;unique=keVO1+4G4; foo");
  EXPECT_EQ(os.type(), "os.unix=slink:/foo");  // the value keeps its '='
  EXPECT_EQ(*os.fact("type"), "OS.unix=slink:/foo");
  EXPECT_EQ(entry_ok("size=4161;lang=en-US;modify=19970214165800;create=19961001124534;type=file;x.myfact=foo,bar; "
                     "file.txt")
                .facts.size(),
            6u);
  EXPECT_EQ(entry_ok("TyPe=file;SiZe=1;MoDiFy=19990929003355; ReAdMe").facts,
            (Facts{{"type", "file"}, {"size", "1"}, {"modify", "19990929003355"}}));
}

TEST(Entry, ServersLines) {
  // pure-ftpd and proftpd MLSD lines.
  const Entry pure = entry_ok("type=file;size=38;modify=20260101120000;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;"
                              "unique=803g1c2d4; hello.txt");
  EXPECT_EQ(*pure.fact("unix.mode"), "0644");
  const Entry pro = entry_ok("modify=20260101120000;perm=flcdmpe;type=dir;unique=FD00U1C2D4;UNIX.group=0;"
                             "UNIX.groupname=root;UNIX.mode=0755;UNIX.owner=0;UNIX.ownername=root; pub");
  EXPECT_EQ(pro.type(), "dir");
  EXPECT_EQ(pro.facts.size(), 9u);
}

TEST(Entry, Pathnames) {
  EXPECT_EQ(entry_ok("type=file; a;b=c; d ").path, "a;b=c; d ");  // spaces and ';' belong to the name
  EXPECT_EQ(entry_ok("type=file;  leading space").path, " leading space");
  EXPECT_EQ(entry_ok(" no-facts").path, "no-facts");  // MLST/MLSD with no facts
  EXPECT_TRUE(entry_ok(" no-facts").facts.empty());
  EXPECT_EQ(entry_ok("type=cdir; ").path, "");  // MLST of the current directory
  EXPECT_EQ(entry_ok(" ").path, "");
  EXPECT_EQ(entry_ok("type=file; \xc3\xa9t\xc3\xa9.txt").path, "\xc3\xa9t\xc3\xa9.txt");  // RFC 3659 §7.3 UTF-8
  EXPECT_EQ(entry_ok("type=file; a\rb").path, "a\rb");
  EXPECT_EQ(entry_ok("x.owner=\xc3\xa9lise; f").facts.at("x.owner"), "\xc3\xa9lise");  // 8-bit values kept
}

TEST(Entry, TypedFactsAbsentOrMalformed) {
  const Entry none = entry_ok(" f");
  EXPECT_EQ(none.size().error, "no size fact");
  EXPECT_EQ(none.modify().error, "no modify fact");
  EXPECT_EQ(none.type(), "");
  EXPECT_EQ(none.fact("type"), nullptr);
  const Entry bad = entry_ok("size=12k;modify=2026;type=FILE; f");
  EXPECT_EQ(bad.size().error, "size fact \"12k\" is not a decimal number of 64 bits");
  EXPECT_EQ(bad.modify().error, "modify fact: time-val \"2026\": does not start with 14 digits YYYYMMDDHHMMSS");
  EXPECT_EQ(bad.type(), "file");
  EXPECT_EQ(entry_ok("size=18446744073709551616; f").size().error,
            "size fact \"18446744073709551616\" is not a decimal number of 64 bits");
}

TEST(Entry, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "entry \"\" has no space between the facts and the pathname"},
      {"type=file;size=1", "entry \"type=file;size=1\" has no space between the facts and the pathname"},
      {"type=file;size=1 f", "entry \"type=file;size=1 f\": the facts do not end with ';'"},
      {"type=file f", "entry \"type=file f\": the facts do not end with ';'"},
      {"type; f", "entry \"type; f\": fact \"type\" has no '='"},
      {"type=file;; f", "entry \"type=file;; f\": fact \"\" has no '='"},
      {"=file; f", "entry \"=file; f\": fact \"=file\" has no name"},
      {"ty\x01pe=file; f", "entry \"ty\\x01pe=file; f\": fact name \"ty\\x01pe\" has an octet outside visible ASCII"},
      {"t\xc3\xa9=1; f", "entry \"t\\xc3\\xa9=1; f\": fact name \"t\\xc3\\xa9\" has an octet outside visible ASCII"},
      {"type=fi\tle; f", "entry \"type=fi\\x09le; f\": fact \"type=fi\\x09le\" has a control octet in its value"},
      {"type=fi\x7fle; f", "entry \"type=fi\\x7fle; f\": fact \"type=fi\\x7fle\" has a control octet in its value"},
      {"size=1;SIZE=2; f", "entry \"size=1;SIZE=2; f\": fact \"size\" is given twice"},
      // The tab is not the space that ends the facts (RFC 3659 §7.2: no tabs for spaces).
      {"type=file;\tf", "entry \"type=file;\\x09f\" has no space between the facts and the pathname"},
  };
  for (const auto& [line, message] : cases) EXPECT_EQ(parse_entry(line).error, message) << line;
}

Parsed<std::vector<Entry>> mlst(std::string_view wire) { return parse_mlst(test::reply_of(wire)); }

TEST(Mlst, Replies) {
  // RFC 3659 §7.7.1.
  const auto simple = mlst("250-Listing tmp\r\n Type=file;Size=1024990;Perm=r; /tmp/cap60.pl198.tar.gz\r\n250 End\r\n");
  ASSERT_TRUE(simple.ok()) << simple.error;
  ASSERT_EQ(simple.value.size(), 1u);
  EXPECT_EQ(simple.value[0].path, "/tmp/cap60.pl198.tar.gz");
  EXPECT_EQ(simple.value[0].size().value, 1024990u);
  // Two types of one path (RFC 3659 §7.2), an entry without facts, the end line without text.
  EXPECT_EQ(mlst("250-x\r\n type=dir; /a b\r\n type=OS.unix=slink:/c; /a b\r\n250\r\n").value.size(), 2u);
  EXPECT_EQ(mlst("250-x\r\n  /\r\n250 End\r\n").value[0].path, "/");
  // ProFTPD with prefixed lines.
  EXPECT_EQ(mlst("250-Start of list for /pub\r\n250- modify=20260101120000;type=dir; /pub\r\n250 End\r\n").value[0].type(),
            "dir");
}

TEST(Mlst, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"550 /nope: No such file or directory\r\n", "MLST answered 550, not 250"},
      {"250 type=file; /x\r\n", "MLST reply holds no entry line"},
      {"250-Listing\r\n250 End\r\n", "MLST reply holds no entry line"},
      {"250-Listing\r\ntype=file; /x\r\n250 End\r\n", "MLST line 2 \"type=file; /x\" does not begin with a space"},
      {"250-Listing\r\n type=file /x\r\n250 End\r\n",
       "MLST line 2: entry \"type=file /x\": the facts do not end with ';'"},
      {"250-Listing\r\n type=file; /x\r\n type=dir; /y\r\n250 End\r\n",
       "MLST line 3 names \"/y\", line 2 \"/x\": one path per reply"},
  };
  for (const auto& [wire, message] : cases) EXPECT_EQ(mlst(wire).error, message) << wire;
  ReplyLimits limits;
  limits.keep_lines = 2;
  EXPECT_EQ(parse_mlst(test::reply_of("250-x\r\n type=file; /x\r\n250 End\r\n", limits)).error,
            "MLST reply has 3 lines, only 2 were kept");
}

}  // namespace
}  // namespace facteur::ftp
