// The FTP probe reads FEAT into capabilities, so that `requires` skips cases a server cannot run
// (RFC 2389 §3): labels, LABEL=WORD per parameter word, nothing from a server without FEAT.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "harness/runner/probe.hpp"
#include "tests/support/raw_server.hpp"
#include "tests/support/run_case.hpp"

namespace facteur::runner {
namespace {
using namespace std::chrono_literals;

ProbeResult probe_of(std::uint16_t port) {
  boost::asio::io_context io;
  ProbeResult out;
  boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> { out = co_await probe(testing::local_settings("ftp", port)); },
                        boost::asio::detached);
  io.run();
  return out;
}

// Greets (with a 120 first), answers FEAT with `feat`, 221 to QUIT, 500 to anything else.
testing::RawServer::Script server(std::string feat) {
  return [feat](testing::RawConnection& c) {
    c.send("120 soon\r\n220-Welcome\r\n220 ready\r\n");
    for (;;) {
      const std::string line = c.read_line(2000ms);
      if (line.empty()) return;
      if (line.rfind("FEAT", 0) == 0) c.send(feat);
      else if (line.rfind("QUIT", 0) == 0) {
        c.send("221 bye\r\n");
        return;
      } else c.send("500 what\r\n");
    }
  };
}

TEST(ProbeFtp, FeaturesBecomeCapabilities) {
  testing::RawServer s(server("211-Features:\r\n EPSV\r\n MDTM\r\n REST STREAM\r\n MLST type*;size*;modify*;\r\n"
                              " UTF8\r\n211 End\r\n"));
  const ProbeResult r = probe_of(s.port());
  EXPECT_TRUE(r.error.empty()) << r.error;
  ASSERT_TRUE(r.caps.probed);
  for (const char* cap : {"EPSV", "MDTM", "REST", "REST=STREAM", "REST STREAM", "MLST", "UTF8"}) {
    EXPECT_TRUE(r.caps.has(cap)) << cap;
  }
  EXPECT_FALSE(r.caps.has("AUTH"));
  EXPECT_FALSE(r.caps.has("MLSD"));
  EXPECT_FALSE(r.caps.has("TLS"));
  EXPECT_EQ(r.facts.at("greeting").rfind("220 Welcome", 0), 0u) << r.facts.at("greeting");
}

TEST(ProbeFtp, AServerWithoutFeatAnnouncesNothing) {
  testing::RawServer s(server("502 FEAT not implemented\r\n"));
  const ProbeResult r = probe_of(s.port());
  ASSERT_TRUE(r.caps.probed);
  EXPECT_TRUE(r.caps.items.empty());
}

TEST(ProbeFtp, AuthTlsThatFailsIsSaid) {
  // AUTH TLS announced, then refused: no TLS capability, and the report says why.
  testing::RawServer s(server("211-Features:\r\n AUTH TLS\r\n PBSZ\r\n211 End\r\n"));
  const ProbeResult r = probe_of(s.port());
  EXPECT_TRUE(r.caps.has("AUTH=TLS"));
  EXPECT_TRUE(r.caps.has("AUTH TLS"));
  EXPECT_TRUE(r.caps.has("PBSZ"));
  EXPECT_FALSE(r.caps.has("TLS"));
  EXPECT_EQ(r.facts.at("tls"), "AUTH TLS announced but failed");
}

TEST(ProbeFtp, NoGreetingIsAnError) {
  testing::RawServer s([](testing::RawConnection& c) { c.send("421 go away\r\n"); });
  const ProbeResult r = probe_of(s.port());
  EXPECT_FALSE(r.caps.probed);
  EXPECT_NE(r.error.find("no FTP greeting"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace facteur::runner
