#include "src/bench/peak_memory.h"

#include <cstdio>

#include "src/server/process_memory.h"

namespace roxi::bench {

PeakMemoryWindow::PeakMemoryWindow() {
  server::ReleaseFreeMemory();
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return;
  reset_ = std::fputs("5", f) >= 0;
  reset_ = std::fclose(f) == 0 && reset_;
}

uint64_t PeakMemoryWindow::PeakBytes() const { return server::PeakResidentBytes(); }

}  // namespace roxi::bench
