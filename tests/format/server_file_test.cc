#include "format/server_file.h"

#include <gtest/gtest.h>

#include "format/hash.h"

namespace roxi::format {
namespace {

ServerFileRecord Example() {
  ServerFileRecord r;
  r.pid = 4242;
  r.host = "127.0.0.1";
  r.port = 45678;
  r.started_at_micros = 1764000000000000;
  r.roxi_version = "0.1.0";
  return r;
}

TEST(ServerFileTest, RoundTripsAndIsReadableText) {
  const std::string bytes = EncodeServerFile(Example());
  EXPECT_EQ(bytes.rfind("roxisrv\nversion=1\npid=4242\nlisten=127.0.0.1:45678\n", 0), 0u) << bytes;
  auto decoded = DecodeServerFile(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, Example());
  EXPECT_EQ(EncodeServerFile(*decoded), bytes);
}

TEST(ServerFileTest, RejectsEveryTruncatedPrefix) {
  const std::string bytes = EncodeServerFile(Example());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = DecodeServerFile(bytes.substr(0, n));
    EXPECT_TRUE(decoded.status().IsCorruption()) << n << ": " << decoded.status().ToString();
  }
}

TEST(ServerFileTest, RejectsEverySingleByteChange) {
  const std::string bytes = EncodeServerFile(Example());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    EXPECT_FALSE(DecodeServerFile(damaged).ok()) << "byte " << i;
  }
}

TEST(ServerFileTest, AnotherVersionIsNotSupported) {
  std::string body = "roxisrv\nversion=2\npid=1\nlisten=h:1\nstarted_at_micros=0\nroxi=x\n";
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Xxh3(body)));
  body += std::string("xxh3=") + hex + "\n";
  EXPECT_TRUE(DecodeServerFile(body).status().IsNotSupported());
}

TEST(ServerFileTest, RejectsOversizeInput) {
  EXPECT_TRUE(DecodeServerFile(std::string(kMaxServerFileBytes + 1, 'x')).status().IsCorruption());
}

}  // namespace
}  // namespace roxi::format
