#include "src/common/exponential_backoff.h"

#include <algorithm>

#include "format/dcheck.h"

namespace roxi::common {

ExponentialBackoff::ExponentialBackoff(uint64_t min_micros, uint64_t max_micros)
    : min_micros_(min_micros), max_micros_(max_micros), next_micros_(min_micros) {
  ROXI_DCHECK(min_micros > 0 && min_micros <= max_micros);
}

uint64_t ExponentialBackoff::NextDelayMicros() {
  const uint64_t delay = next_micros_;
  // Doubling saturates at max, so it never overflows.
  next_micros_ = delay >= max_micros_ / 2 ? max_micros_ : delay * 2;
  return delay;
}

void ExponentialBackoff::SetLimits(uint64_t min_micros, uint64_t max_micros) {
  ROXI_DCHECK(min_micros > 0 && min_micros <= max_micros);
  min_micros_ = min_micros;
  max_micros_ = max_micros;
  next_micros_ = std::clamp(next_micros_, min_micros_, max_micros_);
}

}  // namespace roxi::common
