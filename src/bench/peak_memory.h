// The peak resident memory of one phase of `roxi bench`, which measures every grid point in one
// process. Linux keeps a high-water mark of the resident set (VmHWM in /proc/self/status);
// writing "5" to /proc/self/clear_refs resets it to the current resident set (Linux 4.0 and
// later), so a window opened before a phase reads that phase's peak alone. The figure includes
// what the process already held when the window opened (the binary, the allocator's free lists
// after malloc_trim): what the machine has to give roxi while the phase runs.
//
// Thread-safety: not thread-safe: the mark is process-wide, so one window at a time.
#pragma once

#include <cstdint>

namespace roxi::bench {

class PeakMemoryWindow {
 public:
  // Returns free heap pages to the OS, then resets the high-water mark.
  PeakMemoryWindow();
  PeakMemoryWindow(const PeakMemoryWindow&) = delete;
  PeakMemoryWindow& operator=(const PeakMemoryWindow&) = delete;

  // The peak resident set since the window opened, in bytes (since the process started when the
  // reset was refused: see reset()); 0 when /proc/self/status cannot be read.
  uint64_t PeakBytes() const;
  // False when the kernel refused the reset, so PeakBytes covers the whole process's life.
  bool reset() const { return reset_; }

 private:
  bool reset_ = false;
};

}  // namespace roxi::bench
