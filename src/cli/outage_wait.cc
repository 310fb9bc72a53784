#include "src/cli/outage_wait.h"

#include <algorithm>
#include <string>
#include <utility>

#include "format/dcheck.h"
#include "src/common/duration.h"
#include "src/common/log.h"

namespace roxi::cli {

OutageWait::OutageWait(OutageWaitOptions options, const common::Clock& clock,
                       embedders::Sleeper& sleeper, std::function<bool()> interrupted)
    : options_(options),
      clock_(clock),
      sleeper_(sleeper),
      interrupted_(std::move(interrupted)),
      backoff_(options.backoff_min_micros, options.backoff_max_micros) {
  ROXI_DCHECK(options_.poll_micros > 0);
}

Status OutageWait::Wait(const Status& error) {
  const uint64_t now = clock_.MonotonicMicros();
  if (!outage_start_micros_) outage_start_micros_ = now;
  const uint64_t lasted = now - *outage_start_micros_;
  if (lasted >= options_.give_up_after_micros) {
    return Status::Unavailable(
        "embedder", "still unavailable after " + common::FormatDuration(lasted) +
                        ", giving up (--give-up-after " +
                        common::FormatDuration(options_.give_up_after_micros) +
                        "): " + error.ToString());
  }
  const uint64_t delay =
      std::min(backoff_.NextDelayMicros(), options_.give_up_after_micros - lasted);
  common::LogWarn("embedder unavailable, waiting",
                  {{"error", error},
                   {"retry_in", common::FormatDuration(delay)},
                   {"retry_at", common::FormatUtcTime(clock_.NowMicros() + delay)},
                   {"outage", common::FormatDuration(lasted)},
                   {"give_up_after", common::FormatDuration(options_.give_up_after_micros)}});
  const uint64_t until = now + delay;
  for (uint64_t t = now; t < until; t = clock_.MonotonicMicros()) {
    if (interrupted_ && interrupted_()) {
      return Status::Aborted("roxi process", "interrupted while waiting for the embedder");
    }
    sleeper_.SleepForMicros(std::min(options_.poll_micros, until - t));
  }
  if (interrupted_ && interrupted_()) {
    return Status::Aborted("roxi process", "interrupted while waiting for the embedder");
  }
  return Status::OK();
}

void OutageWait::Recovered() {
  if (outage_start_micros_) {
    common::LogInfo("embedder available again",
                    {{"outage", common::FormatDuration(clock_.MonotonicMicros() -
                                                       *outage_start_micros_)}});
  }
  outage_start_micros_.reset();
  backoff_.Reset();
}

}  // namespace roxi::cli
