// ExponentialBackoff: how long to wait before the next try while a dependency (the embedder) is
// unavailable. The first wait is `min`, each later one twice the previous, capped at `max`; a
// success resets it. Shared by the server's loop and foreground `roxi process`, so both ride out an
// outage the same way.
//
// Thread-safety: a value; not safe for concurrent use.
#pragma once

#include <cstdint>

namespace roxi::common {

class ExponentialBackoff {
 public:
  // Waits in microseconds. REQUIRES: 0 < min_micros <= max_micros.
  ExponentialBackoff(uint64_t min_micros, uint64_t max_micros);

  // The wait before the next try; the following call returns twice as much, up to max.
  uint64_t NextDelayMicros();

  // After a success: the next wait is min again.
  void Reset() { next_micros_ = min_micros_; }

  // Changes the limits (a reloaded configuration), keeping the current wait within them.
  // REQUIRES: 0 < min_micros <= max_micros.
  void SetLimits(uint64_t min_micros, uint64_t max_micros);

  // The wait NextDelayMicros would return now.
  uint64_t PeekDelayMicros() const { return next_micros_; }

 private:
  uint64_t min_micros_;
  uint64_t max_micros_;
  uint64_t next_micros_;
};

}  // namespace roxi::common
