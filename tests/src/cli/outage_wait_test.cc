#include "src/cli/outage_wait.h"

#include <gtest/gtest.h>

#include "tests/support/fake_time.h"

namespace roxi::cli {
namespace {

constexpr uint64_t kSecond = 1'000'000;

OutageWaitOptions Options(uint64_t give_up_after) {
  OutageWaitOptions o;
  o.give_up_after_micros = give_up_after;
  o.backoff_min_micros = kSecond;
  o.backoff_max_micros = 4 * kSecond;
  o.poll_micros = kSecond / 4;
  return o;
}

const Status kDown = Status::Unavailable("embedder", "connection refused");

TEST(OutageWaitTest, WaitsLongerEachTimeUpToTheMaximum) {
  testing::FakeTime time;
  OutageWait wait(Options(600 * kSecond), time, time, {});
  std::vector<uint64_t> waited;
  for (int i = 0; i < 5; ++i) {
    const uint64_t before = time.MonotonicMicros();
    ASSERT_TRUE(wait.Wait(kDown).ok());
    waited.push_back(time.MonotonicMicros() - before);
  }
  EXPECT_EQ(waited, (std::vector<uint64_t>{1 * kSecond, 2 * kSecond, 4 * kSecond, 4 * kSecond,
                                           4 * kSecond}));
  // Waits are cut into polls, so an interrupt is seen within one poll.
  EXPECT_EQ(time.sleeps().front(), kSecond / 4);
}

TEST(OutageWaitTest, RecoveryStartsOverFromTheShortestWait) {
  testing::FakeTime time;
  OutageWait wait(Options(600 * kSecond), time, time, {});
  ASSERT_TRUE(wait.Wait(kDown).ok());
  ASSERT_TRUE(wait.Wait(kDown).ok());
  wait.Recovered();
  const uint64_t before = time.MonotonicMicros();
  ASSERT_TRUE(wait.Wait(kDown).ok());
  EXPECT_EQ(time.MonotonicMicros() - before, kSecond);
}

TEST(OutageWaitTest, GivesUpOnceTheOutageLastedTheLimitAfterOneLastTry) {
  testing::FakeTime time;
  OutageWait wait(Options(5 * kSecond), time, time, {});
  ASSERT_TRUE(wait.Wait(kDown).ok());  // t = 1 s
  ASSERT_TRUE(wait.Wait(kDown).ok());  // t = 3 s
  ASSERT_TRUE(wait.Wait(kDown).ok());  // 4 s would pass the limit: t = 5 s, the last try
  EXPECT_EQ(time.MonotonicMicros(), 5 * kSecond);
  Status s = wait.Wait(kDown);
  ASSERT_TRUE(s.IsUnavailable()) << s.ToString();
  EXPECT_NE(s.ToString().find("after 5s, giving up (--give-up-after 5s)"), std::string::npos)
      << s.ToString();
  EXPECT_NE(s.ToString().find("connection refused"), std::string::npos) << s.ToString();
}

TEST(OutageWaitTest, ZeroGivesUpAtOnce) {
  testing::FakeTime time;
  OutageWait wait(Options(0), time, time, {});
  EXPECT_TRUE(wait.Wait(kDown).IsUnavailable());
  EXPECT_TRUE(time.sleeps().empty());
}

TEST(OutageWaitTest, AnInterruptEndsTheWaitWithinOnePoll) {
  testing::FakeTime time;
  int polls = 0;
  OutageWait wait(Options(600 * kSecond), time, time, [&polls] { return ++polls > 2; });
  Status s = wait.Wait(kDown);
  EXPECT_TRUE(s.IsAborted()) << s.ToString();
  EXPECT_EQ(time.MonotonicMicros(), 2 * kSecond / 4);
}

}  // namespace
}  // namespace roxi::cli
