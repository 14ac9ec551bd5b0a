// The session cookie jar (RFC 6265 §5.1.4 paths, §5.3 replacement, Max-Age=0 deleting).
#include <gtest/gtest.h>

#include "harness/http/cookie_jar.hpp"

namespace facteur::http {
namespace {

TEST(CookieJar, KeepsAndSendsBack) {
  CookieJar jar;
  jar.store("PHPSESSID=abc123; path=/; HttpOnly; SameSite=Lax", "/contact.php");
  EXPECT_EQ(jar.header_for("/contact.php"), "PHPSESSID=abc123");
  EXPECT_EQ(jar.header_for("/"), "PHPSESSID=abc123");
  jar.store("theme=dark", "/contact.php");  // default path "/" (the request path has one slash)
  EXPECT_EQ(jar.header_for("/thanks.php"), "PHPSESSID=abc123; theme=dark");
}

TEST(CookieJar, SameNameAndPathReplaces) {
  CookieJar jar;
  jar.store("a=1; Path=/", "/");
  jar.store("a=2; Path=/", "/");
  EXPECT_EQ(jar.header_for("/x"), "a=2");
  EXPECT_EQ(jar.cookies().size(), 1u);
}

TEST(CookieJar, MaxAgeZeroOrNegativeDeletes) {
  CookieJar jar;
  jar.store("a=1; Path=/", "/");
  jar.store("a=; Max-Age=0; Path=/", "/");
  EXPECT_EQ(jar.header_for("/"), "");
  jar.store("b=1", "/");
  jar.store("b=1; max-age=-5", "/");
  EXPECT_TRUE(jar.cookies().empty());
  jar.store("c=1; Max-Age=60", "/");
  EXPECT_EQ(jar.header_for("/"), "c=1");
}

TEST(CookieJar, PathsMatchBySegments) {
  CookieJar jar;
  jar.store("deep=1; Path=/forms", "/");
  jar.store("top=1; Path=/", "/");
  EXPECT_EQ(jar.header_for("/forms/contact"), "deep=1; top=1");  // longer path first
  EXPECT_EQ(jar.header_for("/forms"), "deep=1; top=1");
  EXPECT_EQ(jar.header_for("/formsX"), "top=1");
  EXPECT_TRUE(path_matches("/a/b", "/a/"));
  EXPECT_FALSE(path_matches("/ab", "/a/"));
  EXPECT_EQ(default_cookie_path("/forms/contact.php"), "/forms");
  EXPECT_EQ(default_cookie_path("/contact.php"), "/");
  EXPECT_EQ(default_cookie_path(""), "/");
}

TEST(CookieJar, IgnoresNamelessOrValueless) {
  CookieJar jar;
  jar.store("novalue; Path=/", "/");
  jar.store("=x; Path=/", "/");
  EXPECT_TRUE(jar.cookies().empty());
  jar.store(" spaced = v ; Path=/", "/");
  EXPECT_EQ(jar.header_for("/"), "spaced=v");
}

}  // namespace
}  // namespace facteur::http
