// LoadMonitor: whether the machine is too busy for roxi to embed right now. Reads the 1-minute load
// average per core (/proc/loadavg), memory pressure (PSI "some avg10" of /proc/pressure/memory,
// where the kernel has it) and MemAvailable (/proc/meminfo), and decides with hysteresis: pause when
// any reading crosses its threshold, resume only when every reading is back below
// threshold * resume_ratio (so a reading hovering at the threshold does not flap).
//
// Thread-safety: DecideLoadPause is pure; ReadLoad reads /proc and may run on any thread.
#pragma once

#include <optional>
#include <string>

#include "format/status.h"

namespace roxi::server {

struct LoadThresholds {
  // Pause while the 1-minute load average divided by the core count exceeds this. 0 disables.
  // Default: 1.5.
  double max_load_per_core = 1.5;
  // Pause while PSI memory "some avg10" (percent of time stalled) exceeds this. 0 disables.
  // Default: 40.
  double max_memory_pressure = 40;
  // Pause while MemAvailable is below this percent of MemTotal. 0 disables. Default: 5.
  double min_memory_available = 5;
  // Resume once readings are back within threshold * resume_ratio (below for maxima; above
  // threshold / resume_ratio for the minimum). Default: 0.8.
  double resume_ratio = 0.8;
};

struct LoadReadings {
  double load_per_core = 0;
  std::optional<double> memory_pressure;  // absent without PSI
  double memory_available_percent = 100;
};

struct LoadDecision {
  bool paused = false;
  std::string reason;  // e.g. "load: 3.20 per core > 1.50"; empty when not paused
};

// IOError naming the file if /proc/loadavg or /proc/meminfo cannot be read.
Result<LoadReadings> ReadLoad();

LoadDecision DecideLoadPause(const LoadReadings& readings, const LoadThresholds& thresholds,
                             bool currently_paused);

}  // namespace roxi::server
