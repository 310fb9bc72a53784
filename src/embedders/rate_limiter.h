// RateLimiter: the client-side limits of the OpenAI-compatible embedder, shared by its workers.
//
// Two token buckets, one counting requests and one counting (estimated) input tokens, each holding
// a tenth of its per-minute allowance (at least one request's worth) and refilled continuously, so
// bursts stay short and the long-run rate never exceeds the limit. A request that needs more than
// the bucket holds waits for the deficit, so a large request is slowed, never refused. A third
// gate is set by the server: after a 429 with Retry-After, or x-ratelimit-remaining-* reaching 0,
// no worker starts a request before the time it named.
//
// Acquire reserves capacity at once (the bucket may go into debt) and then waits outside the lock,
// so waiting workers are served in the order they arrived and the lock is never held while
// sleeping.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>

#include "format/thread_annotations.h"
#include "src/common/clock.h"
#include "src/embedders/sleeper.h"

namespace roxi::embedders {

struct RateLimits {
  // Most requests started per minute; 0 for no limit. Default: 0.
  uint64_t requests_per_minute = 0;
  // Most estimated input tokens sent per minute; 0 for no limit. Default: 0.
  uint64_t tokens_per_minute = 0;
};

class RateLimiter {
 public:
  // REQUIRES: clock and sleeper outlive the limiter.
  RateLimiter(const RateLimits& limits, const common::Clock& clock, Sleeper& sleeper);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Waits (through the sleeper) until a request carrying `tokens` estimated tokens may start, and
  // charges it to both buckets. Returns the microseconds waited.
  uint64_t Acquire(uint64_t tokens) ROXI_EXCLUDES(mu_);

  // No request may start within `micros` from now (a later pause is kept if one is already set).
  void PauseFor(uint64_t micros) ROXI_EXCLUDES(mu_);

 private:
  // Levels are kept in units x 60e6 (one unit = kScale), so a refill of `per_minute` units a
  // minute adds exactly `per_minute` per microsecond: integer arithmetic, no rounding drift.
  static constexpr int64_t kScale = 60000000;
  struct Bucket {
    int64_t per_minute = 0;  // 0 means unlimited
    int64_t capacity = 0;    // scaled
    int64_t level = 0;       // scaled; negative when reserved ahead of the refill
    uint64_t updated = 0;    // monotonic micros of `level`
  };
  static void Configure(uint64_t per_minute, uint64_t now, Bucket* b);
  static void Refill(Bucket* b, uint64_t now);
  // Charges `units` and returns how many microseconds after `now` the bucket is out of debt.
  static uint64_t Reserve(Bucket* b, uint64_t units, uint64_t now);

  const common::Clock& clock_;
  Sleeper& sleeper_;
  Mutex mu_;
  Bucket requests_ ROXI_GUARDED_BY(mu_);
  Bucket tokens_ ROXI_GUARDED_BY(mu_);
  uint64_t paused_until_ ROXI_GUARDED_BY(mu_) = 0;  // monotonic micros
};

}  // namespace roxi::embedders
