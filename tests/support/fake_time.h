// FakeTime: a common::Clock and an embedders::Sleeper in one, for tests: sleeping advances the
// clock at once and is recorded, so code that waits (backoff, Retry-After, rate limits) runs
// instantly and the test can check every wait it asked for.
//
// Thread-safety: thread-safe. Concurrent sleepers each advance the shared time by their own wait,
// so under concurrency time moves further than any one wait; tests check the recorded waits.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "src/common/clock.h"
#include "src/embedders/sleeper.h"

namespace roxi::testing {

class FakeTime final : public common::Clock, public embedders::Sleeper {
 public:
  // Unix time of monotonic 0: 2026-01-01T00:00:00Z.
  static constexpr uint64_t kUnixEpochMicros = 1767225600ULL * 1000000;

  uint64_t NowMicros() const override { return kUnixEpochMicros + MonotonicMicros(); }
  uint64_t MonotonicMicros() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void SleepForMicros(uint64_t micros) override {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += micros;
    if (micros > 0) sleeps_.push_back(micros);
  }
  void Advance(uint64_t micros) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += micros;
  }
  // Every non-zero wait, in the order asked for.
  std::vector<uint64_t> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  uint64_t total_slept() const {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t sum = 0;
    for (uint64_t s : sleeps_) sum += s;
    return sum;
  }

 private:
  mutable std::mutex mu_;
  uint64_t now_ = 0;
  std::vector<uint64_t> sleeps_;
};

}  // namespace roxi::testing
