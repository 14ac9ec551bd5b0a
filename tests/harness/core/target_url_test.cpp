#include "harness/core/target_url.hpp"

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace facteur {
namespace {

// The parsed URL; fails the test (and returns an empty TargetUrl) when `text` is rejected.
TargetUrl parsed(const std::string& text) {
  std::string error;
  auto url = parse_target_url(text, &error);
  EXPECT_TRUE(url.has_value()) << text << ": " << error;
  return url.value_or(TargetUrl{});
}

// The error `text` is rejected with ("" when it is accepted).
std::string error_of(const std::string& text) {
  std::string error;
  auto url = parse_target_url(text, &error);
  if (url) return "";
  EXPECT_FALSE(error.empty()) << text;
  return error;
}

struct SchemeCase {
  const char* scheme;
  Protocol protocol;
  std::uint16_t port;
  bool implicit_tls;
};

TEST(TargetUrl, EverySchemeHasItsProtocolDefaultPortAndTlsMode) {
  const SchemeCase cases[] = {
      {"smtp", Protocol::smtp, 25, false},  {"smtps", Protocol::smtp, 465, true},
      {"imap", Protocol::imap, 143, false}, {"imaps", Protocol::imap, 993, true},
      {"pop3", Protocol::pop3, 110, false}, {"pop3s", Protocol::pop3, 995, true},
      {"ftp", Protocol::ftp, 21, false},    {"ftps", Protocol::ftp, 990, true},
      {"http", Protocol::http, 80, false},  {"https", Protocol::http, 443, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.scheme);
    const TargetUrl url = parsed(std::string(c.scheme) + "://mail.example.test");
    EXPECT_EQ(url.scheme, c.scheme);
    EXPECT_EQ(url.protocol, c.protocol);
    EXPECT_EQ(url.port, c.port);
    EXPECT_EQ(url.implicit_tls, c.implicit_tls);
    EXPECT_EQ(url.host, "mail.example.test");
    EXPECT_EQ(url.path, "");
    EXPECT_EQ(url.user, "");
    EXPECT_EQ(url.password, "");

    const SchemeInfo* info = find_scheme(c.scheme);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->scheme, c.scheme);
    EXPECT_EQ(info->protocol, c.protocol);
    EXPECT_EQ(info->default_port, c.port);
    EXPECT_EQ(info->implicit_tls, c.implicit_tls);
  }
}

TEST(TargetUrl, SchemeIsCaseInsensitiveAndStoredLowerCase) {
  const TargetUrl url = parsed("SMTPS://Mail.Example.TEST");
  EXPECT_EQ(url.scheme, "smtps");
  EXPECT_EQ(url.protocol, Protocol::smtp);
  EXPECT_TRUE(url.implicit_tls);
  EXPECT_EQ(url.host, "Mail.Example.TEST");  // the host is kept as written
  ASSERT_NE(find_scheme("PoP3S"), nullptr);
  EXPECT_EQ(find_scheme("PoP3S")->scheme, "pop3s");
  EXPECT_EQ(find_scheme("lmtp"), nullptr);
  EXPECT_EQ(find_scheme(""), nullptr);
  EXPECT_EQ(find_scheme("smtp "), nullptr);
}

TEST(TargetUrl, ExplicitPortAndPath) {
  TargetUrl url = parsed("smtp://127.0.0.1:2525");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 2525);
  EXPECT_FALSE(url.implicit_tls);

  url = parsed("smtps://mail.test:2465/some/path");
  EXPECT_EQ(url.port, 2465);
  EXPECT_TRUE(url.implicit_tls);  // a port does not change the TLS mode of the scheme
  EXPECT_EQ(url.path, "/some/path");

  url = parsed("http://forms.test/contact?x=1#top");
  EXPECT_EQ(url.host, "forms.test");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.path, "/contact?x=1#top");

  url = parsed("http://forms.test?x=1");
  EXPECT_EQ(url.host, "forms.test");
  EXPECT_EQ(url.path, "?x=1");

  EXPECT_EQ(parsed("smtp://h:1").port, 1);
  EXPECT_EQ(parsed("smtp://h:65535").port, 65535);
  EXPECT_EQ(parsed("smtp://h:00025").port, 25);
  // RFC 3986 §3.2.3: an empty port is allowed and means the default.
  EXPECT_EQ(parsed("smtp://h:").port, 25);
}

TEST(TargetUrl, Ipv6Literals) {
  TargetUrl url = parsed("smtp://[::1]:2525");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 2525);
  EXPECT_TRUE(url.host_is_ip());
  EXPECT_EQ(url.display(), "smtp://[::1]:2525");

  url = parsed("imaps://[2001:db8::25]");
  EXPECT_EQ(url.host, "2001:db8::25");
  EXPECT_EQ(url.port, 993);
  EXPECT_EQ(url.display(), "imaps://[2001:db8::25]:993");

  url = parsed("smtps://alice:pw@[fe80::1]:465/x");
  EXPECT_EQ(url.host, "fe80::1");
  EXPECT_EQ(url.user, "alice");
  EXPECT_EQ(url.password, "pw");
  EXPECT_EQ(url.path, "/x");

  EXPECT_EQ(error_of("smtp://[::1"), "unterminated IPv6 literal in 'smtp://[::1'");
  EXPECT_EQ(error_of("smtp://[::1]25"), "unexpected text after IPv6 literal in 'smtp://[::1]25'");
  EXPECT_EQ(error_of("smtp://[::1]:"), "");  // empty port after a literal: the default
  EXPECT_EQ(error_of("smtp://[::1]:0"), "bad port '0' in 'smtp://[::1]:0'");
  EXPECT_EQ(error_of("smtp://[]:25"), "target URL 'smtp://[]:25' has no host");
  // Without brackets the last ':' would start the port and leave a host holding ':'.
  EXPECT_EQ(error_of("smtp://::1"), "bad host ':' in 'smtp://::1' (write IPv6 literals as [::1])");
  EXPECT_EQ(error_of("smtp://2001:db8::25:2525"),
            "bad host '2001:db8::25' in 'smtp://2001:db8::25:2525' (write IPv6 literals as [::1])");
  EXPECT_EQ(error_of("smtp://a:b:25"), "bad host 'a:b' in 'smtp://a:b:25' (write IPv6 literals as [::1])");
}

TEST(TargetUrl, HostIsIp) {
  EXPECT_TRUE(parsed("smtp://192.0.2.1").host_is_ip());
  EXPECT_TRUE(parsed("smtp://[::ffff:192.0.2.1]").host_is_ip());
  EXPECT_FALSE(parsed("smtp://mail.example.test").host_is_ip());
  EXPECT_FALSE(parsed("smtp://localhost").host_is_ip());
  EXPECT_FALSE(parsed("smtp://1a.example").host_is_ip());
  EXPECT_FALSE(TargetUrl{}.host_is_ip());
}

TEST(TargetUrl, UserinfoIsPercentDecoded) {
  TargetUrl url = parsed("smtps://alice%40lab.test:p%3Ass%25w%2fd@mail.lab.test:2465");
  EXPECT_EQ(url.user, "alice@lab.test");
  EXPECT_EQ(url.password, "p:ss%w/d");
  EXPECT_EQ(url.host, "mail.lab.test");
  EXPECT_EQ(url.port, 2465);

  url = parsed("smtp://bob@mail.test");
  EXPECT_EQ(url.user, "bob");
  EXPECT_EQ(url.password, "");

  url = parsed("smtp://bob:@mail.test");
  EXPECT_EQ(url.user, "bob");
  EXPECT_EQ(url.password, "");

  url = parsed("smtp://:secret@mail.test");
  EXPECT_EQ(url.user, "");
  EXPECT_EQ(url.password, "secret");

  // Only the first ':' separates user and password; the last '@' ends the userinfo.
  url = parsed("smtp://u:a:b@c@mail.test:26");
  EXPECT_EQ(url.user, "u");
  EXPECT_EQ(url.password, "a:b@c");
  EXPECT_EQ(url.host, "mail.test");
  EXPECT_EQ(url.port, 26);

  // A malformed escape is kept as it is (RFC 3986 §2.1 leaves it to the application).
  url = parsed("smtp://a%zz:b%4@mail.test");
  EXPECT_EQ(url.user, "a%zz");
  EXPECT_EQ(url.password, "b%4");

  url = parsed("smtp://%e2%82%ac:%00x@mail.test");
  EXPECT_EQ(url.user, "\xE2\x82\xAC");
  EXPECT_EQ(url.password, std::string("\0x", 2));
}

TEST(TargetUrl, BadPorts) {
  EXPECT_EQ(error_of("smtp://h:0"), "bad port '0' in 'smtp://h:0'");
  EXPECT_EQ(error_of("smtp://h:65536"), "bad port '65536' in 'smtp://h:65536'");
  EXPECT_EQ(error_of("smtp://h:99999999999999999999"),
            "bad port '99999999999999999999' in 'smtp://h:99999999999999999999'");
  EXPECT_EQ(error_of("smtp://h:abc"), "bad port 'abc' in 'smtp://h:abc'");
  EXPECT_EQ(error_of("smtp://h:25a"), "bad port '25a' in 'smtp://h:25a'");
  EXPECT_EQ(error_of("smtp://h:-1"), "bad port '-1' in 'smtp://h:-1'");
  EXPECT_EQ(error_of("smtp://h:+25"), "bad port '+25' in 'smtp://h:+25'");
  EXPECT_EQ(error_of("smtp://h: 25"), "bad port ' 25' in 'smtp://h: 25'");
  EXPECT_EQ(error_of("smtp://h:0x19"), "bad port '0x19' in 'smtp://h:0x19'");
}

TEST(TargetUrl, MissingHost) {
  EXPECT_EQ(error_of("smtp://"), "target URL 'smtp://' has no host");
  EXPECT_EQ(error_of("smtp://:25"), "target URL 'smtp://:25' has no host");
  EXPECT_EQ(error_of("smtp:///path"), "target URL 'smtp:///path' has no host");
  EXPECT_EQ(error_of("smtp://bob@"), "target URL 'smtp://bob@' has no host");
  EXPECT_EQ(error_of("smtp://bob@:25/x"), "target URL 'smtp://bob@:25/x' has no host");
}

TEST(TargetUrl, UnknownOrMissingScheme) {
  EXPECT_EQ(error_of("lmtp://mail.test"),
            "unknown scheme 'lmtp' (smtp, smtps, imap, imaps, pop3, pop3s, ftp, ftps, http, https)");
  EXPECT_EQ(error_of("://mail.test"),
            "unknown scheme '' (smtp, smtps, imap, imaps, pop3, pop3s, ftp, ftps, http, https)");
  EXPECT_EQ(error_of("mail.test:25"), "target URL 'mail.test:25' has no scheme (e.g. smtp://host:port)");
  EXPECT_EQ(error_of("smtp:mail.test"), "target URL 'smtp:mail.test' has no scheme (e.g. smtp://host:port)");
  EXPECT_EQ(error_of(""), "target URL '' has no scheme (e.g. smtp://host:port)");
}

TEST(TargetUrl, ErrorPointerMayBeNull) {
  EXPECT_FALSE(parse_target_url("smtp://h:0").has_value());
  EXPECT_FALSE(parse_target_url("nope").has_value());
  EXPECT_TRUE(parse_target_url("smtp://h").has_value());
}

TEST(TargetUrl, DisplayNeverShowsCredentials) {
  const TargetUrl url = parsed("smtps://alice%40lab.test:s3cr%3At@mail.lab.test:2465/sub");
  EXPECT_EQ(url.password, "s3cr:t");
  EXPECT_EQ(url.display(), "smtps://mail.lab.test:2465/sub");
  EXPECT_EQ(parsed("pop3://bob:hunter22@pop.test").display(), "pop3://pop.test:110");
  EXPECT_EQ(parsed("ftp://ftp.test").display(), "ftp://ftp.test:21");
}

TEST(TargetUrl, ErrorsNeverShowThePassword) {
  // Error messages reach stderr and, for a scenario's connect URL, the case result and reports.
  const char* bad[] = {
      "smtp://alice:hunter22@mail.test:99999",   "smtp://alice:hunter22@:25",
      "smtp://alice:hunter22@[::1",              "smtp://alice:hunter22@[::1]x",
      "alice:hunter22@mail.test:25",             "smtp://alice:hunter22@mail.test:abc/x@y",
  };
  for (const char* text : bad) {
    const std::string error = error_of(text);
    EXPECT_FALSE(error.empty()) << text;
    EXPECT_EQ(error.find("hunter22"), std::string::npos) << error;
    EXPECT_NE(error.find("alice:<redacted>@"), std::string::npos) << error;
  }
  EXPECT_EQ(error_of("smtp://alice:hunter22@mail.test:0"), "bad port '0' in 'smtp://alice:<redacted>@mail.test:0'");
  // Without a password nothing is hidden.
  EXPECT_EQ(error_of("smtp://alice@[::1]:0"), "bad port '0' in 'smtp://alice@[::1]:0'");
}

TEST(Protocol, NamesRoundTrip) {
  for (Protocol p : {Protocol::smtp, Protocol::imap, Protocol::pop3, Protocol::ftp, Protocol::http}) {
    EXPECT_EQ(protocol_from_string(to_string(p)), p);
  }
  EXPECT_STREQ(to_string(Protocol::pop3), "pop3");
  EXPECT_EQ(protocol_from_string("http-form"), Protocol::http);
  EXPECT_EQ(protocol_from_string("SMTP"), std::nullopt);
  EXPECT_EQ(protocol_from_string("smtps"), std::nullopt);
  EXPECT_EQ(protocol_from_string(""), std::nullopt);
}

}  // namespace
}  // namespace facteur
