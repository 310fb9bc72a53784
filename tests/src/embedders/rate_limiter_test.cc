#include "src/embedders/rate_limiter.h"

#include <gtest/gtest.h>

#include "tests/support/fake_time.h"

namespace roxi::embedders {
namespace {

constexpr uint64_t kSecond = 1000000;

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  testing::FakeTime time;
  RateLimiter limiter(RateLimits{}, time, time);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Acquire(100000), 0u);
  EXPECT_TRUE(time.sleeps().empty());
}

TEST(RateLimiterTest, RequestsPerMinuteAllowABurstThenTheSteadyRate) {
  testing::FakeTime time;
  RateLimits limits;
  limits.requests_per_minute = 600;  // 10 a second; the bucket holds 60
  RateLimiter limiter(limits, time, time);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(limiter.Acquire(1), 0u) << i;
  // From then on one request per 100 ms.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(limiter.Acquire(1), kSecond / 10) << i;
  // 620 requests took 2 s of (fake) time: far below 600 a minute in the long run.
  EXPECT_EQ(time.MonotonicMicros(), 2 * kSecond);
}

TEST(RateLimiterTest, LongRunRateNeverExceedsTheLimit) {
  testing::FakeTime time;
  RateLimits limits;
  limits.requests_per_minute = 120;
  RateLimiter limiter(limits, time, time);
  for (int i = 0; i < 1212; ++i) (void)limiter.Acquire(1);
  // 12 burst + 1200 paced at 0.5 s each.
  EXPECT_EQ(time.MonotonicMicros(), 600 * kSecond);
}

TEST(RateLimiterTest, TokensPerMinuteChargeLargeRequestsTheirDeficit) {
  testing::FakeTime time;
  RateLimits limits;
  limits.tokens_per_minute = 60000;  // 1000 a second; the bucket holds 6000
  RateLimiter limiter(limits, time, time);
  EXPECT_EQ(limiter.Acquire(6000), 0u);
  EXPECT_EQ(limiter.Acquire(2000), 2 * kSecond);
  // A request larger than the bucket is slowed, not refused.
  EXPECT_EQ(limiter.Acquire(10000), 10 * kSecond);
}

TEST(RateLimiterTest, PauseHoldsEveryRequestUntilItEnds) {
  testing::FakeTime time;
  RateLimiter limiter(RateLimits{}, time, time);
  limiter.PauseFor(3 * kSecond);
  limiter.PauseFor(kSecond);  // a shorter pause does not shorten the longer one
  EXPECT_EQ(limiter.Acquire(1), 3 * kSecond);
  EXPECT_EQ(limiter.Acquire(1), 0u);
  EXPECT_EQ(time.sleeps(), std::vector<uint64_t>({3 * kSecond}));
}

}  // namespace
}  // namespace roxi::embedders
