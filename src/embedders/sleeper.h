// Sleeper: how the embedders wait (retry backoff, Retry-After, client-side rate limits), injected
// next to a common::Clock so tests can observe every wait instead of really sleeping.
//
// Thread-safety: SystemSleeper() is thread-safe; a test sleeper states its own.
#pragma once

#include <cstdint>

namespace roxi::embedders {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Returns after about `micros` microseconds (at once for 0).
  virtual void SleepForMicros(uint64_t micros) = 0;
};

// The real sleeper (std::this_thread::sleep_for); a process-wide instance.
Sleeper& SystemSleeper();

}  // namespace roxi::embedders
