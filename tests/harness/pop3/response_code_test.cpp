// parse_response_code (RFC 2449 §8) and the body hash.
#include <gtest/gtest.h>

#include "harness/pop3/response.hpp"

namespace facteur::pop3 {
namespace {

TEST(ResponseCode, WellFormed) {
  EXPECT_EQ(parse_response_code("[IN-USE] Do you have another POP session running?"), "IN-USE");
  EXPECT_EQ(parse_response_code("[SYS/TEMP] later"), "SYS/TEMP");
  EXPECT_EQ(parse_response_code("[sys/perm/x]"), "SYS/PERM/X");
  EXPECT_EQ(parse_response_code("[AUTH]"), "AUTH");
  EXPECT_EQ(parse_response_code("[a[b]"), "A[B");  // "[" is an rchar
}

TEST(ResponseCode, NoneOrMalformed) {
  EXPECT_EQ(parse_response_code(""), "");
  EXPECT_EQ(parse_response_code("IN-USE"), "");
  EXPECT_EQ(parse_response_code(" [IN-USE]"), "");
  EXPECT_EQ(parse_response_code("[]"), "");
  EXPECT_EQ(parse_response_code("[IN-USE"), "");
  EXPECT_EQ(parse_response_code("[IN USE]"), "");
  EXPECT_EQ(parse_response_code("[SYS/]"), "");
  EXPECT_EQ(parse_response_code("[/TEMP]"), "");
  EXPECT_EQ(parse_response_code("[SYS//TEMP]"), "");
}

TEST(BodyHash, Fnv1a64KnownValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(fnv1a64("bar", fnv1a64("foo")), fnv1a64("foobar"));  // piecewise
}

}  // namespace
}  // namespace facteur::pop3
