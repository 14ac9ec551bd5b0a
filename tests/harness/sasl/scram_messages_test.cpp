// SCRAM message grammar (RFC 5802 §7): saslname escaping, server-first and server-final parsing.
#include <gtest/gtest.h>

#include "harness/sasl/detail/scram_messages.hpp"

namespace facteur::sasl::detail {
namespace {

constexpr std::string_view nonce = "abc";

std::string first_error(std::string_view message) {
  return parse_server_first(message, nonce).error;
}

TEST(ScramMessages, EscapesSaslname) {
  EXPECT_EQ(saslname_escape("plain"), "plain");
  EXPECT_EQ(saslname_escape("a,b=c"), "a=2Cb=3Dc");
  EXPECT_EQ(saslname_escape(",,=="), "=2C=2C=3D=3D");
  EXPECT_EQ(saslname_escape("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(ScramMessages, ParsesServerFirst) {
  const auto parsed = parse_server_first("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096", nonce);
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->nonce, "abcdef");
  EXPECT_EQ(parsed.value->salt, "\x41\x25\xc2\x47\xe4\x3a\xb1\xe9\x3c\x6d\xff\x76");
  EXPECT_EQ(parsed.value->iterations, 4096u);
  EXPECT_EQ(parsed.error, "");
}

TEST(ScramMessages, IgnoresOptionalExtensions) {
  const auto parsed = parse_server_first("r=abcd,s=QQ==,i=1,x=1,y=two", nonce);
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->nonce, "abcd");
  EXPECT_EQ(parsed.value->salt, "A");
  EXPECT_EQ(parsed.value->iterations, 1u);
}

TEST(ScramMessages, AcceptsTheIterationLimit) {
  const auto parsed = parse_server_first("r=abcd,s=QQ==,i=10000000", nonce);
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->iterations, 10'000'000u);
}

TEST(ScramMessages, RejectsBadServerFirst) {
  EXPECT_EQ(first_error(""), "server-first-message: empty message");
  EXPECT_EQ(first_error("r=abcd,s=QQ=="), "server-first-message must start r=...,s=...,i=... (RFC 5802 7)");
  EXPECT_EQ(first_error("s=QQ==,r=abcd,i=1"), "server-first-message must start r=...,s=...,i=... (RFC 5802 7)");
  EXPECT_EQ(first_error("r=abcd,i=1"), "server-first-message must start r=...,s=...,i=... (RFC 5802 7)");
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=1,"), "server-first-message: attribute 4 is not attr=value (RFC 5802 7)");
  EXPECT_EQ(first_error("r=abcd,s=,i=1"), "server-first-message: attribute 2 is not attr=value (RFC 5802 7)");
  EXPECT_EQ(first_error("r=abcd,1=QQ==,i=1"), "server-first-message: attribute 2 is not attr=value (RFC 5802 7)");
  EXPECT_EQ(first_error(std::string_view("r=ab\0d,s=QQ==,i=1", 17)),
            "server-first-message: attribute 1 is not attr=value (RFC 5802 7)");
  EXPECT_EQ(first_error("m=ext,r=abcd,s=QQ==,i=1"),
            "server requires a mandatory extension (m=) the client does not support (RFC 5802 5.1)");
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=1,m=late"),
            "server requires a mandatory extension (m=) the client does not support (RFC 5802 5.1)");
  EXPECT_EQ(first_error("e=other-error"), "server error instead of server-first-message: other-error");
}

TEST(ScramMessages, RejectsBadNonce) {
  EXPECT_EQ(first_error("r=xbcd,s=QQ==,i=1"), "server nonce does not start with the client nonce (RFC 5802 5.1)");
  EXPECT_EQ(first_error("r=ab,s=QQ==,i=1"), "server nonce does not start with the client nonce (RFC 5802 5.1)");
  EXPECT_EQ(first_error("r=abc,s=QQ==,i=1"), "server did not append its own nonce (RFC 5802 5.1)");
  EXPECT_EQ(first_error("r=abc d,s=QQ==,i=1"), "nonce has a non-printable character (RFC 5802 7 printable)");
  EXPECT_EQ(first_error("r=abc\x7f,s=QQ==,i=1"), "nonce has a non-printable character (RFC 5802 7 printable)");
}

TEST(ScramMessages, RejectsBadSalt) {
  EXPECT_EQ(first_error("r=abcd,s=QQ,i=1"), "salt is not valid non-empty base64 (RFC 5802 7)");
  EXPECT_EQ(first_error("r=abcd,s=Q!==,i=1"), "salt is not valid non-empty base64 (RFC 5802 7)");
}

TEST(ScramMessages, RejectsBadIterationCount) {
  const std::string not_positive = "iteration count is not a positive number (RFC 5802 7 posit-number)";
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=0"), not_positive);
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=0100"), not_positive);
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=-1"), not_positive);
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=+5"), not_positive);
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=12a"), not_positive);
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=10000001"), "iteration count above the client's limit of 10000000");
  EXPECT_EQ(first_error("r=abcd,s=QQ==,i=99999999999999999999999"),
            "iteration count above the client's limit of 10000000");
}

TEST(ScramMessages, ParsesServerFinal) {
  const auto verifier = parse_server_final("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=,x=ignored");
  ASSERT_TRUE(verifier.value) << verifier.error;
  EXPECT_EQ(verifier.value->verifier.size(), 20u);
  EXPECT_EQ(verifier.value->error, "");
  const auto error = parse_server_final("e=invalid-proof");
  ASSERT_TRUE(error.value) << error.error;
  EXPECT_EQ(error.value->error, "invalid-proof");
  EXPECT_EQ(error.value->verifier, "");
}

TEST(ScramMessages, RejectsBadServerFinal) {
  EXPECT_EQ(parse_server_final("").error, "server-final-message: empty message");
  EXPECT_EQ(parse_server_final("x=1,v=QQ==").error, "server-final-message must start with v= or e= (RFC 5802 7)");
  EXPECT_EQ(parse_server_final("v=QQ").error, "server signature v= is not valid base64 (RFC 5802 7)");
  EXPECT_EQ(parse_server_final("v=").error, "server-final-message: attribute 1 is not attr=value (RFC 5802 7)");
  EXPECT_EQ(parse_server_final("v=QQ==,m=x").error,
            "server requires a mandatory extension (m=) the client does not support (RFC 5802 5.1)");
}

}  // namespace
}  // namespace facteur::sasl::detail
