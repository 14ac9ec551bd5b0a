// Choosing the data connection's address (PASV/EPSV replies, PORT/EPRT commands) and the octets
// of an urgent ABOR.
#include "harness/ftp/data_channel.hpp"

#include <gtest/gtest.h>

#include "harness/ftp/session_state.hpp"

namespace facteur::ftp {
namespace {

Reply reply(int code, std::string text) {
  Reply r;
  r.code = code;
  r.lines = {std::move(text)};
  r.line_count = 1;
  return r;
}

TEST(DataChannel, PasvConnectsToTheAddressItNamesWhenItIsTheServers) {
  const auto e = passive_endpoint(DataMode::pasv, reply(227, "Entering Passive Mode (127,0,0,1,82,13)."), "127.0.0.1");
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.value.address, "127.0.0.1");
  EXPECT_EQ(e.value.port, 82 * 256 + 13);
  // An IPv4-mapped control peer is the same host.
  EXPECT_TRUE(passive_endpoint(DataMode::pasv, reply(227, "=192,0,2,1,4,1"), "::ffff:192.0.2.1").ok());
}

TEST(DataChannel, PasvPointingElsewhereIsRefusedWithBothAddresses) {
  const auto e = passive_endpoint(DataMode::pasv, reply(227, "Entering Passive Mode (10,9,8,7,4,1)"), "127.0.0.1");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error.find("10.9.8.7:1025"), std::string::npos) << e.error;
  EXPECT_NE(e.error.find("127.0.0.1"), std::string::npos) << e.error;
}

TEST(DataChannel, PasvAndEpsvRepliesMustBeWellFormed) {
  EXPECT_FALSE(passive_endpoint(DataMode::pasv, reply(227, "no numbers"), "127.0.0.1").ok());
  EXPECT_FALSE(passive_endpoint(DataMode::pasv, reply(550, "Permission denied."), "127.0.0.1").ok());
  EXPECT_FALSE(passive_endpoint(DataMode::epsv, reply(229, "Entering Extended Passive Mode (|1|127.0.0.1|5|)"), "127.0.0.1").ok());
  EXPECT_FALSE(passive_endpoint(DataMode::epsv, reply(522, "Bad network protocol."), "127.0.0.1").ok());
}

TEST(DataChannel, EpsvUsesTheControlConnectionsHost) {
  auto e = passive_endpoint(DataMode::epsv, reply(229, "Entering Extended Passive Mode (|||21010|)"), "127.0.0.1");
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.value, (Endpoint{Family::ipv4, "127.0.0.1", 21010}));
  e = passive_endpoint(DataMode::epsv, reply(229, "(!!!6446!)"), "::1");
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.value, (Endpoint{Family::ipv6, "::1", 6446}));
  e = passive_endpoint(DataMode::epsv, reply(229, "(|||6446|)"), "::ffff:127.0.0.1");
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.value.address, "127.0.0.1");
}

TEST(DataChannel, ActiveCommandsNameTheListeningEndpoint) {
  const Endpoint v4{Family::ipv4, "127.0.0.1", 53973};
  auto c = active_command(DataMode::port, v4);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.value, "PORT 127,0,0,1,210,213");
  c = active_command(DataMode::eprt, v4);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.value, "EPRT |1|127.0.0.1|53973|");
  c = active_command(DataMode::eprt, Endpoint{Family::ipv6, "::1", 6275});
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.value, "EPRT |2|::1|6275|");
  c = active_command(DataMode::port, Endpoint{Family::ipv6, "::1", 6275});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error.find("EPRT"), std::string::npos);
  EXPECT_FALSE(active_command(DataMode::pasv, v4).ok());
  EXPECT_EQ(family_of("::1"), Family::ipv6);
  EXPECT_EQ(family_of("10.0.0.1"), Family::ipv4);
}

TEST(DataChannel, UrgentAbortIsTelnetIpThenSynchThenAbor) {
  const UrgentAbort a = urgent_abort();
  // RFC 854: IAC = 255, IP = 244, DM = 242; the DM alone is urgent (RFC 959 §4.1.3).
  EXPECT_EQ(a.before, std::string("\xFF\xF4\xFF", 3));
  EXPECT_EQ(a.urgent, std::string("\xF2", 1));
  EXPECT_EQ(a.command, "ABOR\r\n");
}

TEST(SessionState, FollowsWhatTheServerAccepted) {
  SessionState s;
  EXPECT_EQ(s.type, 'A');  // RFC 959 §3.1.1.1: ASCII until told otherwise
  s.observe("TYPE I", reply(200, "Switching to Binary mode."));
  EXPECT_EQ(s.type, 'I');
  s.observe("TYPE A", reply(504, "no"));
  EXPECT_EQ(s.type, 'I');
  s.observe("type a", reply(200, "ok"));
  EXPECT_EQ(s.type, 'A');
  s.observe("TYPE L 8", reply(200, "ok"));
  EXPECT_EQ(s.type, 'I');
  s.observe("PROT P", reply(536, "PBSZ first"));
  EXPECT_FALSE(s.prot_private);
  s.observe("PBSZ 0", reply(200, "PBSZ set to 0."));
  s.observe("PROT P", reply(200, "PROT now Private."));
  EXPECT_TRUE(s.pbsz);
  EXPECT_TRUE(s.prot_private);
  s.observe("PROT C", reply(200, "PROT now Clear."));
  EXPECT_FALSE(s.prot_private);
  s.observe("REST 1048576", reply(350, "Restart position accepted (1048576)."));
  EXPECT_EQ(s.rest, 1048576U);
  s.transfer_started();
  EXPECT_FALSE(s.rest);
  s.observe("REST 12", reply(350, "ok"));
  s.observe("REST x", reply(501, "bad"));
  EXPECT_FALSE(s.rest);
  s.observe("EPSV", reply(229, "(|||1|)"));
  EXPECT_FALSE(s.epsv_all);
  s.observe("EPSV ALL", reply(200, "EPSV ALL ok."));
  EXPECT_TRUE(s.epsv_all);
  s.observe("AUTH TLS", reply(234, "Proceed with negotiation."));
  EXPECT_TRUE(s.tls);
  s.observe("USER u", reply(331, "password"));
  EXPECT_FALSE(s.logged_in);
  s.observe("PASS p", reply(230, "Login successful."));
  EXPECT_TRUE(s.logged_in);
}

}  // namespace
}  // namespace facteur::ftp
