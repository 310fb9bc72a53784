#include "src/embedders/redacted_url.h"

#include <gtest/gtest.h>

namespace roxi::embedders {
namespace {

TEST(RedactedUrlTest, KeepsPlainUrls) {
  EXPECT_EQ(RedactUrl("https://api.example.com/v1/embeddings"),
            "https://api.example.com/v1/embeddings");
  EXPECT_EQ(RedactUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
}

TEST(RedactedUrlTest, DropsUserinfo) {
  EXPECT_EQ(RedactUrl("https://user:pa@ss@host:443/v1"), "https://host:443/v1");
  EXPECT_EQ(RedactUrl("http://token@host"), "http://host");
}

TEST(RedactedUrlTest, RedactsQueryAndDropsFragment) {
  EXPECT_EQ(RedactUrl("https://host/v1?key=secret&x=1#frag"), "https://host/v1?<redacted>");
  EXPECT_EQ(RedactUrl("https://host/v1#frag"), "https://host/v1");
}

TEST(RedactedUrlTest, AtSignInPathIsNotUserinfo) {
  EXPECT_EQ(RedactUrl("https://host/users/@me"), "https://host/users/@me");
}

TEST(RedactedUrlTest, HandlesTextThatIsNotAUrl) {
  EXPECT_EQ(RedactUrl(""), "");
  EXPECT_EQ(RedactUrl("secret@host/path?q"), "host/path?<redacted>");
}

}  // namespace
}  // namespace roxi::embedders
