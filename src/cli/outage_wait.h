// OutageWait: how foreground `roxi process` rides out an embedder outage. When the embedder cannot
// serve a batch (Unavailable or TimedOut: a server down, restarting or overloaded), the command
// waits with exponential backoff (common/exponential_backoff.h, as the server does), logs each
// wait with the reason and the time of the next try, and tries the batch again, charging no chunk
// an attempt. It gives up once the outage has lasted give_up_after; Ctrl-C ends a wait at once.
//
// Thread-safety: used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "format/status.h"
#include "src/common/clock.h"
#include "src/common/exponential_backoff.h"
#include "src/embedders/sleeper.h"

namespace roxi::cli {

struct OutageWaitOptions {
  // How long an outage may last before the command gives up; 0 gives up at once. Default: 10 min.
  uint64_t give_up_after_micros = 600'000'000;
  // Backoff between tries, doubling from min to max. Defaults: 1 s, 60 s.
  uint64_t backoff_min_micros = 1'000'000;
  uint64_t backoff_max_micros = 60'000'000;
  // How often a wait checks for an interrupt. Default: 50 ms.
  uint64_t poll_micros = 50'000;
};

class OutageWait {
 public:
  // `interrupted` is polled during waits. REQUIRES: clock and sleeper outlive the OutageWait;
  // 0 < backoff_min_micros <= backoff_max_micros; poll_micros > 0.
  OutageWait(OutageWaitOptions options, const common::Clock& clock, embedders::Sleeper& sleeper,
             std::function<bool()> interrupted);

  // Called with the error of a batch the embedder could not serve. Waits (never past the give-up
  // time, which gets one last try) and returns OK to try again; Unavailable, naming the outage's
  // length, the option and `error`, once the outage has lasted give_up_after; Aborted when
  // interrupted during the wait.
  Status Wait(const Status& error);

  // The embedder served a batch: the outage is over, the next one starts from the shortest wait.
  void Recovered();

 private:
  const OutageWaitOptions options_;
  const common::Clock& clock_;
  embedders::Sleeper& sleeper_;
  const std::function<bool()> interrupted_;
  common::ExponentialBackoff backoff_;
  std::optional<uint64_t> outage_start_micros_;  // monotonic; set while an outage lasts
};

}  // namespace roxi::cli
