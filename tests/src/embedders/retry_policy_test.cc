#include "src/embedders/retry_policy.h"

#include <gtest/gtest.h>

#include <random>

namespace roxi::embedders {
namespace {

constexpr uint64_t kSecond = 1000000;
// Wed, 21 Oct 2015 07:28:00 GMT.
constexpr uint64_t kOct21Micros = 1445412480ULL * kSecond;

HttpResponse WithHeaders(int status, std::vector<HttpHeader> headers) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

TEST(RetryPolicyTest, ClassifiesHttpStatuses) {
  for (int s : {200, 201, 204}) EXPECT_EQ(ClassifyHttpStatus(s), HttpOutcome::kSuccess) << s;
  for (int s : {408, 425, 429, 500, 502, 503, 504, 599}) {
    EXPECT_EQ(ClassifyHttpStatus(s), HttpOutcome::kTransient) << s;
  }
  for (int s : {400, 413, 422}) EXPECT_EQ(ClassifyHttpStatus(s), HttpOutcome::kBadInput) << s;
  for (int s : {301, 401, 403, 404, 405, 415, 501, 505}) {
    EXPECT_EQ(ClassifyHttpStatus(s), HttpOutcome::kConfiguration) << s;
  }
}

TEST(RetryPolicyTest, ParsesRetryAfterSeconds) {
  EXPECT_EQ(ParseRetryAfter("0", 0), 0u);
  EXPECT_EQ(ParseRetryAfter("1", 0), kSecond);
  EXPECT_EQ(ParseRetryAfter(" 120 ", 0), 120 * kSecond);
  EXPECT_EQ(ParseRetryAfter("99999999999", 0), 86400 * kSecond);  // capped at a day
}

TEST(RetryPolicyTest, ParsesRetryAfterHttpDate) {
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kOct21Micros - 5 * kSecond),
            5 * kSecond);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kOct21Micros + kSecond), 0u);
  // 2000-02-29 is a leap day; 2026-01-01T00:00:10Z is 10 s after the epoch of FakeTime.
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", 1767225600ULL * kSecond),
            10 * kSecond);
  EXPECT_EQ(ParseRetryAfter("Tue, 29 Feb 2000 00:00:01 GMT", 951782400ULL * kSecond), kSecond);
}

TEST(RetryPolicyTest, RejectsMalformedRetryAfter) {
  for (const char* bad : {"", "soon", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 UTC",
                          "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 32 Oct 2015 07:28:00 GMT",
                          "Wed 21 Oct 2015 07:28:00 GMT", "Xyz, 21 Oct 2015 07:28:00 GMT"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, 0).has_value()) << bad;
  }
}

TEST(RetryPolicyTest, ParsesResetDurations) {
  EXPECT_EQ(ParseResetDuration("1s"), kSecond);
  EXPECT_EQ(ParseResetDuration("20ms"), 20000u);
  EXPECT_EQ(ParseResetDuration("6m0s"), 360 * kSecond);
  EXPECT_EQ(ParseResetDuration("1h2m3.5s"), 3723 * kSecond + kSecond / 2);
  EXPECT_EQ(ParseResetDuration("1.5"), kSecond + kSecond / 2);
  EXPECT_EQ(ParseResetDuration("7"), 7 * kSecond);
  for (const char* bad : {"", "s", "1x", "1s2", "-1s", "abc"}) {
    EXPECT_FALSE(ParseResetDuration(bad).has_value()) << bad;
  }
}

TEST(RetryPolicyTest, ReadsServerWaits) {
  ServerWait w = ReadServerWait(WithHeaders(429, {{"retry-after", "3"}}), 0);
  EXPECT_EQ(w.retry_after_micros, 3 * kSecond);
  EXPECT_FALSE(w.pause_micros.has_value());

  // A 429 without Retry-After falls back on the reset of the exhausted limit.
  w = ReadServerWait(WithHeaders(429, {{"x-ratelimit-remaining-requests", "0"},
                                       {"x-ratelimit-reset-requests", "2s"},
                                       {"x-ratelimit-remaining-tokens", "500"},
                                       {"x-ratelimit-reset-tokens", "9s"}}),
                     0);
  EXPECT_EQ(w.retry_after_micros, 2 * kSecond);
  EXPECT_EQ(w.pause_micros, 2 * kSecond);

  // A success that used up the quota pauses everyone but is not retried.
  w = ReadServerWait(WithHeaders(200, {{"x-ratelimit-remaining-tokens", "0"},
                                       {"x-ratelimit-reset-tokens", "750ms"}}),
                     0);
  EXPECT_FALSE(w.retry_after_micros.has_value());
  EXPECT_EQ(w.pause_micros, 750000u);

  w = ReadServerWait(WithHeaders(503, {{"retry-after", "never"}}), 0);
  EXPECT_FALSE(w.retry_after_micros.has_value());
  EXPECT_FALSE(w.pause_micros.has_value());
}

TEST(RetryPolicyTest, BackoffDoublesWithinJitterBoundsUpToTheCap) {
  RetryOptions o;
  o.initial_backoff_ms = 100;
  o.max_backoff_ms = 1000;
  RetryPolicy policy(o);
  std::mt19937_64 rng(42);
  const uint64_t steps[] = {100000, 200000, 400000, 800000, 1000000, 1000000, 1000000};
  for (uint32_t retry = 1; retry <= 7; ++retry) {
    for (int trial = 0; trial < 50; ++trial) {
      const uint64_t wait = policy.BackoffMicros(retry, &rng);
      EXPECT_GE(wait, steps[retry - 1] / 2) << retry;
      EXPECT_LE(wait, steps[retry - 1]) << retry;
    }
  }
  EXPECT_LE(policy.BackoffMicros(1000, &rng), 1000000u);  // no overflow for huge retry counts
}

TEST(RetryPolicyTest, ServerWaitIsHonouredWithBoundedSpread) {
  RetryPolicy policy{RetryOptions{}};
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    const uint64_t wait = policy.ServerWaitMicros(kSecond, &rng);
    EXPECT_GE(wait, kSecond);
    EXPECT_LE(wait, kSecond + kSecond / 10);
    const uint64_t long_wait = policy.ServerWaitMicros(60 * kSecond, &rng);
    EXPECT_GE(long_wait, 60 * kSecond);
    EXPECT_LE(long_wait, 61 * kSecond);
  }
}

}  // namespace
}  // namespace roxi::embedders
