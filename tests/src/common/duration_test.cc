#include "src/common/duration.h"

#include <gtest/gtest.h>

namespace roxi::common {
namespace {

TEST(DurationTest, ParsesNumbersWithAndWithoutUnits) {
  EXPECT_EQ(*ParseDurationMicros("--x", "0"), 0u);
  EXPECT_EQ(*ParseDurationMicros("--x", "90"), 90'000'000u);
  EXPECT_EQ(*ParseDurationMicros("--x", "90s"), 90'000'000u);
  EXPECT_EQ(*ParseDurationMicros("--x", "250ms"), 250'000u);
  EXPECT_EQ(*ParseDurationMicros("--x", "10m"), 600'000'000u);
  EXPECT_EQ(*ParseDurationMicros("--x", "1.5h"), 5'400'000'000u);
  EXPECT_EQ(*ParseDurationMicros("--x", "0.5"), 500'000u);
}

TEST(DurationTest, RejectsAnythingElseNamingTheValue) {
  for (const char* bad : {"", "s", "m", ".", "-1", "1d", "soon", "1..5s", " 5", "inf", "0x10",
                          "1e3", "100000h"}) {
    auto r = ParseDurationMicros("--give-up-after", bad);
    ASSERT_TRUE(r.status().IsInvalidArgument()) << bad;
    EXPECT_NE(r.status().message().find("--give-up-after " + std::string(bad)), std::string::npos)
        << r.status().ToString();
  }
}

TEST(DurationTest, FormatsForMessages) {
  EXPECT_EQ(FormatDuration(0), "0ms");
  EXPECT_EQ(FormatDuration(850'000), "850ms");
  EXPECT_EQ(FormatDuration(12'000'000), "12s");
  EXPECT_EQ(FormatDuration(1'570'000), "1.5s");
  EXPECT_EQ(FormatDuration(270'000'000), "4m30s");
  EXPECT_EQ(FormatDuration(7'200'000'000), "2h0m");
  EXPECT_EQ(FormatUtcTime(1767225600ULL * 1000000 + 3723'000'000ULL), "2026-01-01T01:02:03Z");
}

}  // namespace
}  // namespace roxi::common
