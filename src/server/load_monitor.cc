#include "src/server/load_monitor.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace roxi::server {

namespace {

std::string Format(const char* fmt, double a, double b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

}  // namespace

Result<LoadReadings> ReadLoad() {
  LoadReadings r;
  {
    std::ifstream in("/proc/loadavg");
    double one_minute = 0;
    if (!(in >> one_minute)) return Status::IOError("read /proc/loadavg", "no load average");
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    r.load_per_core = one_minute / static_cast<double>(cores > 0 ? cores : 1);
  }
  {
    std::ifstream in("/proc/meminfo");
    if (!in) return Status::IOError("read /proc/meminfo", "cannot open");
    std::string key;
    uint64_t value = 0;
    std::string unit;
    uint64_t total = 0, available = 0;
    while (in >> key >> value) {
      std::getline(in, unit);
      if (key == "MemTotal:") total = value;
      if (key == "MemAvailable:") available = value;
    }
    if (total > 0) r.memory_available_percent = 100.0 * static_cast<double>(available) / total;
  }
  {
    // "some avg10=0.00 avg60=0.00 avg300=0.00 total=0": absent on kernels without PSI.
    std::ifstream in("/proc/pressure/memory");
    std::string line;
    if (in && std::getline(in, line) && line.rfind("some ", 0) == 0) {
      const size_t at = line.find("avg10=");
      if (at != std::string::npos) r.memory_pressure = std::atof(line.c_str() + at + 6);
    }
  }
  return r;
}

LoadDecision DecideLoadPause(const LoadReadings& r, const LoadThresholds& t, bool currently_paused) {
  // While paused, the bar to stay paused is lower (hysteresis).
  const double factor = currently_paused ? t.resume_ratio : 1.0;
  LoadDecision d;
  if (t.max_load_per_core > 0 && r.load_per_core > t.max_load_per_core * factor) {
    d.paused = true;
    d.reason = Format("load: %.2f per core > %.2f", r.load_per_core, t.max_load_per_core * factor);
  } else if (t.max_memory_pressure > 0 && r.memory_pressure &&
             *r.memory_pressure > t.max_memory_pressure * factor) {
    d.paused = true;
    d.reason = Format("memory pressure: %.1f%% > %.1f%%", *r.memory_pressure,
                      t.max_memory_pressure * factor);
  } else if (t.min_memory_available > 0 &&
             r.memory_available_percent < t.min_memory_available / factor) {
    d.paused = true;
    d.reason = Format("memory available: %.1f%% < %.1f%%", r.memory_available_percent,
                      t.min_memory_available / factor);
  }
  return d;
}

}  // namespace roxi::server
