// Tests of src/common/utc_time.cc.
#include "src/common/utc_time.h"

#include <gtest/gtest.h>

namespace roxi::common {
namespace {

constexpr uint64_t kDec1 = 1'796'083'200'000'000;  // 2026-12-01T00:00:00Z

TEST(UtcTimeTest, ParsesWhatItPrintsAndTheUsualForms) {
  EXPECT_EQ(*ParseUtcTime("t", "2026-12-01"), kDec1);
  EXPECT_EQ(*ParseUtcTime("t", UtcTime(kDec1 + 3'600'000'000)), kDec1 + 3'600'000'000);
  EXPECT_EQ(*ParseUtcTime("t", "2026-12-01T00:01Z"), kDec1 + 60'000'000);
  EXPECT_EQ(*ParseUtcTime("t", "2026-12-01 00:00:01.25"), kDec1 + 1'250'000);
  EXPECT_EQ(*ParseUtcTime("t", "2026-12-01T01:30:00+01:30"), kDec1);
  EXPECT_EQ(*ParseUtcTime("t", "2026-11-30T22:00:00-02:00"), kDec1);
  EXPECT_EQ(*ParseUtcTime("t", "1970-01-01"), 0u);
  EXPECT_EQ(*ParseUtcTime("t", "2028-02-29"), *ParseUtcTime("t", "2028-02-28") + 86'400'000'000);
}

TEST(UtcTimeTest, RefusesWhatIsNotATime) {
  for (const char* bad : {"", "2026", "2026-12", "2026-12-1", "2026-13-01", "2026-02-29",
                          "2026-12-01T", "2026-12-01T24:00Z", "2026-12-01T10:60Z",
                          "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00Q", "1969-12-31",
                          "1970-01-01T00:00:00+01:00", "yesterday"}) {
    const Status s = ParseUtcTime("--since", bad).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_NE(s.ToString().find("--since"), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace roxi::common
