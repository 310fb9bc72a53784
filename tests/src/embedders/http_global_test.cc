#include "src/embedders/http_global.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(HttpGlobalTest, InitIsIdempotent) {
  ASSERT_TRUE(InitHttpGlobal().ok());
  ASSERT_TRUE(InitHttpGlobal().ok());
}

// The libcurl roxi links is the one tools/build-curl.sh configures.
TEST(HttpGlobalTest, VersionNamesTheStaticHttpStack) {
  const std::string version = HttpClientVersion();
  EXPECT_THAT(version, StartsWith("libcurl/"));
  EXPECT_THAT(version, HasSubstr(" OpenSSL/3."));
  EXPECT_THAT(version, HasSubstr(" c-ares/"));
  EXPECT_THAT(version, HasSubstr(" nghttp2/"));
  EXPECT_THAT(version, HasSubstr(" zlib/"));
}

}  // namespace
}  // namespace roxi::embedders
