// Progress output of long-running commands, on stderr: a redrawn bar on a terminal, a plain line
// every few seconds otherwise (logs, pipes, CI).
//
// Thread-safety: used by one thread.
#pragma once

#include <cstdint>

#include "format/meta_records.h"

namespace roxi::cli {

class ProgressReporter {
 public:
  // enabled=false prints nothing. Whether stderr is a terminal is detected here.
  explicit ProgressReporter(bool enabled);
  // Reports the store's counters after some work; `done_this_run` counts chunks handled since start.
  void Update(const format::CountersRecord& counters, uint64_t done_this_run);
  // Final line (always printed when enabled).
  void Finish(const format::CountersRecord& counters, uint64_t done_this_run);

 private:
  void Print(const format::CountersRecord& counters, uint64_t done_this_run, bool final);

  const bool enabled_;
  const bool tty_;
  const uint64_t start_micros_;
  uint64_t last_print_micros_ = 0;
};

}  // namespace roxi::cli
