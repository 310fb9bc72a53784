#include "src/common/human_bytes.h"

#include <gtest/gtest.h>

namespace roxi::common {
namespace {

TEST(HumanBytesTest, FormatsDecimalUnits) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(999), "999 B");
  EXPECT_EQ(HumanBytes(1500), "1.5 KB");
  EXPECT_EQ(HumanBytes(512'000'000), "512.0 MB");
}

TEST(ByteSizeTest, ParsesPlainBytesAndEveryUnit) {
  EXPECT_EQ(*ParseByteSize("--x", "0"), 0u);
  EXPECT_EQ(*ParseByteSize("--x", "4096"), 4096u);
  EXPECT_EQ(*ParseByteSize("--x", "4096B"), 4096u);
  EXPECT_EQ(*ParseByteSize("--x", "64k"), 65'536u);
  EXPECT_EQ(*ParseByteSize("--x", "64K"), 65'536u);
  EXPECT_EQ(*ParseByteSize("--x", "64KB"), 64'000u);
  EXPECT_EQ(*ParseByteSize("--x", "64kib"), 65'536u);
  EXPECT_EQ(*ParseByteSize("--x", "512MB"), 512'000'000u);
  EXPECT_EQ(*ParseByteSize("--x", "512 MB"), 512'000'000u);
  EXPECT_EQ(*ParseByteSize("--x", "512M"), 536'870'912u);
  EXPECT_EQ(*ParseByteSize("--x", "512MiB"), 536'870'912u);
  EXPECT_EQ(*ParseByteSize("--x", "2GiB"), 2'147'483'648u);
  EXPECT_EQ(*ParseByteSize("--x", "2gb"), 2'000'000'000u);
  EXPECT_EQ(*ParseByteSize("--x", "1.5GiB"), 1'610'612'736u);
  EXPECT_EQ(*ParseByteSize("--x", "1TiB"), 1'099'511'627'776u);
  EXPECT_EQ(*ParseByteSize("--x", "0.5k"), 512u);
}

TEST(ByteSizeTest, RejectsAnythingElseNamingTheValue) {
  for (const char* bad : {"", "MB", ".", "-1", "-1MB", "1.5", "1..5MB", " 5", "5  MB", "inf",
                          "0x10", "1e3", "12 parsecs", "5PB", "5MBs", "2000000TiB"}) {
    auto r = ParseByteSize("--memory-limit", bad);
    ASSERT_TRUE(r.status().IsInvalidArgument()) << bad;
    EXPECT_NE(r.status().message().find("--memory-limit '" + std::string(bad) + "'"),
              std::string::npos)
        << r.status().ToString();
  }
}

}  // namespace
}  // namespace roxi::common
