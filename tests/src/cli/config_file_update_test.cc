#include "src/cli/config_file_update.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace roxi::cli {
namespace {

TEST(ConfigFileUpdateTest, ReplacesKeysInPlaceAndKeepsEveryOtherLine) {
  const std::string before =
      "# my settings\n"
      "listen = 127.0.0.1:8844\n"
      "batch-size=8   # old value\n"
      "\n"
      "watch = /srv/a\n"
      "batch-size = 16\n";
  EXPECT_EQ(UpdateConfigText(before, {{"batch-size", "256"}, {"requests-in-flight", "4"}}),
            "# my settings\n"
            "listen = 127.0.0.1:8844\n"
            "batch-size = 256  # old value\n"
            "\n"
            "watch = /srv/a\n"
            "requests-in-flight = 4\n");
}

TEST(ConfigFileUpdateTest, CommentsNamingAKeyAreLeftAlone) {
  EXPECT_EQ(UpdateConfigText("# batch-size = 8\n", {{"batch-size", "64"}}),
            "# batch-size = 8\nbatch-size = 64\n");
  EXPECT_EQ(UpdateConfigText("", {{"batch-size", "64"}}), "batch-size = 64\n");
}

TEST(ConfigFileUpdateTest, WritesTheFileAndCreatesAMissingOne) {
  roxi::testing::TempDir dir;
  const std::string path = dir.Sub("roxi.conf");
  ASSERT_TRUE(UpdateConfigFile(path, {{"batch-size", "64"}}).ok());
  EXPECT_EQ(roxi::testing::ReadFile(path), "batch-size = 64\n");
  roxi::testing::WriteFile(path, "log-level = info\nbatch-size = 64\n");
  ASSERT_TRUE(UpdateConfigFile(path, {{"batch-size", "1024"}}).ok());
  EXPECT_EQ(roxi::testing::ReadFile(path), "log-level = info\nbatch-size = 1024\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(UpdateConfigFile(dir.Sub("missing/roxi.conf"), {{"batch-size", "1"}}).ok());
}

}  // namespace
}  // namespace roxi::cli
