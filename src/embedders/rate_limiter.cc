#include "src/embedders/rate_limiter.h"

#include <algorithm>

namespace roxi::embedders {

namespace {
// Limits above this many units a minute are treated as this, so scaled levels fit in int64.
constexpr uint64_t kMaxPerMinute = uint64_t{1} << 36;
}  // namespace

void RateLimiter::Configure(uint64_t per_minute, uint64_t now, Bucket* b) {
  if (per_minute == 0) return;
  per_minute = std::min(per_minute, kMaxPerMinute);
  b->per_minute = static_cast<int64_t>(per_minute);
  // A tenth of a minute's allowance, at least one unit.
  b->capacity = std::max<int64_t>(1, b->per_minute / 10) * kScale;
  b->level = b->capacity;
  b->updated = now;
}

RateLimiter::RateLimiter(const RateLimits& limits, const common::Clock& clock, Sleeper& sleeper)
    : clock_(clock), sleeper_(sleeper) {
  const uint64_t now = clock_.MonotonicMicros();
  MutexLock lock(&mu_);
  Configure(limits.requests_per_minute, now, &requests_);
  Configure(limits.tokens_per_minute, now, &tokens_);
}

void RateLimiter::Refill(Bucket* b, uint64_t now) {
  if (now <= b->updated) return;
  // Only as much time as it takes to fill up counts, which also keeps the product in range.
  const uint64_t to_full = static_cast<uint64_t>((b->capacity - b->level) / b->per_minute) + 1;
  const uint64_t elapsed = std::min(now - b->updated, to_full);
  b->level = std::min(b->capacity, b->level + static_cast<int64_t>(elapsed) * b->per_minute);
  b->updated = now;
}

uint64_t RateLimiter::Reserve(Bucket* b, uint64_t units, uint64_t now) {
  if (b->per_minute == 0) return 0;
  Refill(b, now);
  // Debt is bounded by what the callers reserve: at most a few requests of kMaxPerMinute.
  units = std::min(units, kMaxPerMinute);
  b->level -= static_cast<int64_t>(units) * kScale;
  if (b->level >= 0) return 0;
  return static_cast<uint64_t>((-b->level + b->per_minute - 1) / b->per_minute);
}

uint64_t RateLimiter::Acquire(uint64_t tokens) {
  uint64_t waited = 0;
  {
    MutexLock lock(&mu_);
    const uint64_t now = clock_.MonotonicMicros();
    const uint64_t for_requests = Reserve(&requests_, 1, now);
    const uint64_t for_tokens = Reserve(&tokens_, tokens, now);
    waited = std::max({now + for_requests, now + for_tokens, paused_until_}) - now;
  }
  if (waited > 0) sleeper_.SleepForMicros(waited);
  // A pause the server asked for while this worker waited applies to it too.
  for (;;) {
    uint64_t more = 0;
    {
      MutexLock lock(&mu_);
      const uint64_t now = clock_.MonotonicMicros();
      if (paused_until_ > now) more = paused_until_ - now;
    }
    if (more == 0) return waited;
    sleeper_.SleepForMicros(more);
    waited += more;
  }
}

void RateLimiter::PauseFor(uint64_t micros) {
  MutexLock lock(&mu_);
  paused_until_ = std::max(paused_until_, clock_.MonotonicMicros() + micros);
}

}  // namespace roxi::embedders
