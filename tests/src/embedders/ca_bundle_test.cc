#include "src/embedders/ca_bundle.h"

#include <gtest/gtest.h>

#include "tests/support/scoped_env.h"

namespace roxi::embedders {
namespace {

using roxi::testing::ScopedEnv;

TEST(CaBundleTest, DefaultsToTheSystemBundle) {
  ScopedEnv roxi("ROXI_CA_BUNDLE", std::nullopt);
  ScopedEnv ssl("SSL_CERT_FILE", std::nullopt);
  CaBundle ca = ResolveCaBundle(std::nullopt);
  EXPECT_EQ(ca.path, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(ca.source, "default");
  EXPECT_TRUE(ca.is_default());
}

TEST(CaBundleTest, OptionWinsOverEnvironment) {
  ScopedEnv roxi("ROXI_CA_BUNDLE", "/env/roxi.pem");
  ScopedEnv ssl("SSL_CERT_FILE", "/env/ssl.pem");
  CaBundle ca = ResolveCaBundle(std::string("/opt/ca.pem"));
  EXPECT_EQ(ca.path, "/opt/ca.pem");
  EXPECT_EQ(ca.source, "option");
  EXPECT_FALSE(ca.is_default());
}

TEST(CaBundleTest, RoxiVariableWinsOverSslCertFile) {
  ScopedEnv roxi("ROXI_CA_BUNDLE", "/env/roxi.pem");
  ScopedEnv ssl("SSL_CERT_FILE", "/env/ssl.pem");
  CaBundle ca = ResolveCaBundle(std::nullopt);
  EXPECT_EQ(ca.path, "/env/roxi.pem");
  EXPECT_EQ(ca.source, "ROXI_CA_BUNDLE");
}

TEST(CaBundleTest, SslCertFileIsHonoured) {
  ScopedEnv roxi("ROXI_CA_BUNDLE", std::nullopt);
  ScopedEnv ssl("SSL_CERT_FILE", "/env/ssl.pem");
  CaBundle ca = ResolveCaBundle(std::nullopt);
  EXPECT_EQ(ca.path, "/env/ssl.pem");
  EXPECT_EQ(ca.source, "SSL_CERT_FILE");
}

TEST(CaBundleTest, EmptyValuesCountAsUnset) {
  ScopedEnv roxi("ROXI_CA_BUNDLE", "");
  ScopedEnv ssl("SSL_CERT_FILE", "");
  CaBundle ca = ResolveCaBundle(std::string());
  EXPECT_EQ(ca.source, "default");
}

}  // namespace
}  // namespace roxi::embedders
