// Clock: where roxi reads time, injected so tests can control it instead of sleeping.
//
// Thread-safety: SystemClock is thread-safe; a test clock states its own.
#pragma once

#include <cstdint>

namespace roxi::common {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in microseconds.
  virtual uint64_t NowMicros() const = 0;
  // A monotonic time in microseconds, for measuring durations.
  virtual uint64_t MonotonicMicros() const = 0;
};

// The real clock; a process-wide instance.
const Clock& SystemClock();

}  // namespace roxi::common
