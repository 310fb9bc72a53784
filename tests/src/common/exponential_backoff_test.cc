#include "src/common/exponential_backoff.h"

#include <gtest/gtest.h>

namespace roxi::common {
namespace {

TEST(ExponentialBackoffTest, DoublesUpToTheMaximumAndResets) {
  ExponentialBackoff b(1000, 5000);
  EXPECT_EQ(b.NextDelayMicros(), 1000u);
  EXPECT_EQ(b.NextDelayMicros(), 2000u);
  EXPECT_EQ(b.NextDelayMicros(), 4000u);
  EXPECT_EQ(b.NextDelayMicros(), 5000u);
  EXPECT_EQ(b.NextDelayMicros(), 5000u);
  b.Reset();
  EXPECT_EQ(b.PeekDelayMicros(), 1000u);
  EXPECT_EQ(b.NextDelayMicros(), 1000u);
}

TEST(ExponentialBackoffTest, NeverOverflowsNearTheTopOfTheRange) {
  ExponentialBackoff b(UINT64_MAX / 2 + 1, UINT64_MAX);
  EXPECT_EQ(b.NextDelayMicros(), UINT64_MAX / 2 + 1);
  EXPECT_EQ(b.NextDelayMicros(), UINT64_MAX);
  EXPECT_EQ(b.NextDelayMicros(), UINT64_MAX);
}

TEST(ExponentialBackoffTest, NewLimitsClampTheCurrentWait) {
  ExponentialBackoff b(1000, 64000);
  for (int i = 0; i < 5; ++i) b.NextDelayMicros();
  EXPECT_EQ(b.PeekDelayMicros(), 32000u);
  b.SetLimits(1000, 10000);
  EXPECT_EQ(b.NextDelayMicros(), 10000u);
  b.SetLimits(20000, 40000);
  EXPECT_EQ(b.NextDelayMicros(), 20000u);
  b.Reset();
  EXPECT_EQ(b.NextDelayMicros(), 20000u);
}

}  // namespace
}  // namespace roxi::common
