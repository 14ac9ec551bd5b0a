// FEAT replies (RFC 2389 §3) from real servers and RFC 3659 §7.8, the no-features and unknown-FEAT
// answers, MLST's fact list, and every malformed feature line with its message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/ftp/features.hpp"
#include "harness/ftp/reply.hpp"
#include "tests/harness/ftp/reply_test_support.hpp"

namespace facteur::ftp {
namespace {

Parsed<Features> feat(std::string_view wire) { return parse_feat(test::reply_of(wire)); }

Features feat_ok(std::string_view wire) {
  const Parsed<Features> f = feat(wire);
  EXPECT_TRUE(f.ok()) << f.error;
  return f.value;
}

constexpr std::string_view kVsftpd =
    "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n";
constexpr std::string_view kVsftpdTls =
    "211-Features:\r\n AUTH TLS\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n"
    " TVFS\r\n UTF8\r\n211 End\r\n";

TEST(Feat, Vsftpd) {
  const Features f = feat_ok(kVsftpd);
  EXPECT_TRUE(f.supported);
  EXPECT_EQ(f.labels.size(), 8u);
  for (std::string_view label : {"EPRT", "EPSV", "MDTM", "PASV", "REST", "SIZE", "TVFS", "UTF8"}) {
    EXPECT_TRUE(f.has(label)) << label;
  }
  EXPECT_TRUE(f.has("rest"));
  EXPECT_TRUE(f.has("Epsv"));
  EXPECT_FALSE(f.has("MLST"));
  EXPECT_FALSE(f.has("AUTH"));
  ASSERT_NE(f.params("REST"), nullptr);
  EXPECT_EQ(*f.params("rest"), "STREAM");
  EXPECT_EQ(*f.params("UTF8"), "");
  EXPECT_EQ(f.params("MLST"), nullptr);
  EXPECT_TRUE(f.mlst_facts().empty());
}

TEST(Feat, VsftpdWithTls) {
  const Features f = feat_ok(kVsftpdTls);
  EXPECT_EQ(*f.params("AUTH"), "TLS");  // RFC 4217 §6
  EXPECT_TRUE(f.has("PBSZ"));
  EXPECT_TRUE(f.has("PROT"));
}

TEST(Feat, Rfc3659Examples) {
  const Features first = feat_ok(
      "211- Features supported\r\n REST STREAM\r\n MDTM\r\n SIZE\r\n TVFS\r\n UTF8\r\n"
      " MLST Type*;Size*;Modify*;Perm*;Unique*;UNIX.mode;UNIX.chgd;X.hidden;\r\n211 End\r\n");
  EXPECT_EQ(first.mlst_facts(), (std::vector<MlstFact>{{"type", true},
                                                       {"size", true},
                                                       {"modify", true},
                                                       {"perm", true},
                                                       {"unique", true},
                                                       {"unix.mode", false},
                                                       {"unix.chgd", false},
                                                       {"x.hidden", false}}));
  const Features second = feat_ok(
      "211-Extensions supported:\r\n CLNT\r\n MDTM\r\n MLST type*;size*;modify*;UNIX.mode*;UNIX.owner;UNIX.group;unique;\r\n"
      " PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n Compliance Level: 19981201 (IETF mlst-05)\r\n211 End.\r\n");
  EXPECT_EQ(*second.params("COMPLIANCE"), "Level: 19981201 (IETF mlst-05)");
  EXPECT_EQ(second.mlst_facts().size(), 7u);
  EXPECT_EQ(second.mlst_facts()[3], (MlstFact{"unix.mode", true}));
}

TEST(Feat, ProftpdAndPureFtpd) {
  const Features proftpd = feat_ok(
      "211-Features:\r\n AUTH TLS\r\n CCC\r\n CLNT\r\n EPRT\r\n EPSV\r\n HOST\r\n LANG en-US*\r\n MDTM\r\n MFF modify;UNIX.group;UNIX.mode;\r\n"
      " MFMT\r\n MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.groupname*;UNIX.mode*;UNIX.owner*;"
      "UNIX.ownername*;\r\n PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n SSCN\r\n TVFS\r\n211 End\r\n");
  EXPECT_EQ(*proftpd.params("LANG"), "en-US*");
  EXPECT_EQ(proftpd.mlst_facts().size(), 10u);
  const Features pure = feat_ok(
      "211-Extensions supported:\r\n UTF8\r\n EPRT\r\n IDLE\r\n MDTM\r\n SIZE\r\n MFMT\r\n REST STREAM\r\n"
      " MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;\r\n MLSD\r\n PRET\r\n AUTH TLS\r\n"
      " PBSZ\r\n PROT\r\n TVFS\r\n ESTA\r\n PASV\r\n EPSV\r\n ESTP\r\n211 End.\r\n");
  EXPECT_TRUE(pure.has("MLSD"));
  EXPECT_EQ(pure.mlst_facts()[2], (MlstFact{"sizd", true}));
}

TEST(Feat, PrefixedLinesFromTheFramer) {
  // ProFTPD with MultilineRFC2228 prefixes every line; the framer removes "211-".
  const Features f = feat_ok("211-Features:\r\n211- MDTM\r\n211- REST STREAM\r\n211 End\r\n");
  EXPECT_TRUE(f.has("MDTM"));
  EXPECT_EQ(*f.params("REST"), "STREAM");
}

TEST(Feat, ParametersKeepTheirSpacesAndTabs) {
  const Features f = feat_ok("211-x\r\n X  a\tb \r\n211 End\r\n");
  EXPECT_EQ(*f.params("X"), " a\tb ");
}

TEST(Feat, RepeatedLabelKeepsTheFirst) {
  const Features f = feat_ok("211-x\r\n AUTH TLS\r\n auth SSL\r\n211 End\r\n");
  EXPECT_EQ(*f.params("AUTH"), "TLS");
}

TEST(Feat, NoFeaturesAndUnknownFeat) {
  const Features none = feat_ok("211 no features\r\n");
  EXPECT_TRUE(none.supported);
  EXPECT_TRUE(none.labels.empty());
  for (std::string_view wire : {"500 Unknown command.\r\n", "502 Command not implemented.\r\n"}) {
    const Features unknown = feat_ok(wire);
    EXPECT_FALSE(unknown.supported) << wire;
    EXPECT_FALSE(unknown.has("UTF8"));
  }
}

TEST(Feat, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"530 Please login with USER and PASS.\r\n", "FEAT answered 530, not 211, 500 or 502"},
      {"501 no arguments\r\n", "FEAT answered 501, not 211, 500 or 502"},
      {"211-Features:\r\n211 End\r\n",
       "multi-line 211 without feature lines (RFC 2389 §3: no-features is one line)"},
      {"211-Features:\r\nEPSV\r\n211 End\r\n", "FEAT line 2 \"EPSV\": does not begin with a space (RFC 2389 §3)"},
      {"211-Features:\r\n EPSV\r\n\r\n211 End\r\n", "FEAT line 3 \"\": does not begin with a space (RFC 2389 §3)"},
      {"211-Features:\r\n  EPSV\r\n211 End\r\n", "FEAT line 2 \"  EPSV\": no feature label after the one leading space"},
      {"211-Features:\r\n \r\n211 End\r\n", "FEAT line 2 \" \": no feature label after the one leading space"},
      {"211-Features:\r\n UTF8 \r\n211 End\r\n", "FEAT line 2 \" UTF8 \": a space after the label but no parameters"},
      {"211-Features:\r\n UT\tF8\r\n211 End\r\n", "FEAT line 2 \" UT\\x09F8\": the label has an octet outside VCHAR"},
      {"211-Features:\r\n LANG fr\xc3\xa9\r\n211 End\r\n",
       "FEAT line 2 \" LANG fr\\xc3\\xa9\": the parameters have an octet outside TCHAR"},
      {"211-Features:\r\n REST\rSTREAM\r\n211 End\r\n",
       "FEAT line 2 \" REST\\rSTREAM\": the label has an octet outside VCHAR"},
  };
  for (const auto& [wire, message] : cases) EXPECT_EQ(feat(wire).error, message) << wire;
}

TEST(Feat, LinesNotAllKept) {
  ReplyLimits limits;
  limits.keep_lines = 2;
  EXPECT_EQ(parse_feat(test::reply_of(kVsftpd, limits)).error, "FEAT reply has 10 lines, only 2 were kept");
}

}  // namespace
}  // namespace facteur::ftp
