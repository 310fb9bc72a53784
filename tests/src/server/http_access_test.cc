#include "src/server/http_access.h"

#include <gtest/gtest.h>

namespace roxi::server {
namespace {

TEST(HttpAccessTest, WithoutKeysEveryRouteIsOpen) {
  const ApiKeys none;
  for (Access a : {Access::kPublic, Access::kRead, Access::kAdmin}) {
    EXPECT_EQ(CheckAccess(none, "", a), 0);
    EXPECT_EQ(CheckAccess(none, "Bearer anything", a), 0);
  }
}

TEST(HttpAccessTest, AdminKeyOpensEverythingReadKeyOnlyReads) {
  const ApiKeys keys{"admin-secret", "read-secret"};
  EXPECT_EQ(CheckAccess(keys, "", Access::kPublic), 0);
  EXPECT_EQ(CheckAccess(keys, "Bearer admin-secret", Access::kAdmin), 0);
  EXPECT_EQ(CheckAccess(keys, "Bearer admin-secret", Access::kRead), 0);
  EXPECT_EQ(CheckAccess(keys, "Bearer read-secret", Access::kRead), 0);
  EXPECT_EQ(CheckAccess(keys, "Bearer read-secret", Access::kAdmin), 403);
}

TEST(HttpAccessTest, MissingMalformedOrWrongKeysAre401) {
  const ApiKeys keys{"admin-secret", "read-secret"};
  for (const char* header :
       {"", "admin-secret", "Basic admin-secret", "Bearer ", "Bearer admin", "Bearer admin-secret2",
        "bearer admin-secret", "Bearer  admin-secret"}) {
    EXPECT_EQ(CheckAccess(keys, header, Access::kRead), 401) << header;
    EXPECT_EQ(CheckAccess(keys, header, Access::kAdmin), 401) << header;
  }
}

TEST(HttpAccessTest, AnEmptyReadKeyNeverMatches) {
  const ApiKeys keys{"admin-secret", ""};
  EXPECT_EQ(CheckAccess(keys, "Bearer ", Access::kRead), 401);
}

TEST(HttpAccessTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("ab", "abc"));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace roxi::server
