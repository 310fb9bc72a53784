// What a benchmark run costs the process beyond wall time: its peak resident memory and the CPU
// time of all its threads (RocksDB's background flushes and compactions included).
//
// Linux keeps a high-water mark of the resident set (VmHWM in /proc/self/status, also
// getrusage's ru_maxrss). Writing "5" to /proc/self/clear_refs resets it to the current resident
// set (Linux 4.0 and later), so a PeakRss started at the top of a benchmark reports the peak of
// that run alone. The figure still includes whatever the process held when the run began (shown as
// start_rss_MB), e.g. the benchmark library and earlier runs' memory the allocator kept.
//
// CPU time comes from getrusage(RUSAGE_SELF): user plus system time of every thread. On a shared
// machine it moves far less than wall time when other work competes for the cores.
//
// Thread-safety: PeakRss is not thread-safe (it resets a process-wide counter); the rest is.
#pragma once

#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace roxi::bench {

// The value of a "Name:   123 kB" line of /proc/self/status, in kB; -1 when absent.
inline long ProcStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const size_t len = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, len, field) == 0 && line.size() > len && line[len] == ':') {
      return std::strtol(line.c_str() + len + 1, nullptr, 10);
    }
  }
  return -1;
}

// User plus system CPU seconds of all the process's threads so far.
inline double ProcessCpuSeconds() {
  struct rusage usage {};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

class PeakRss {
 public:
  PeakRss() {
    // Hand memory that earlier runs freed back to the kernel first, so that it does not count.
    ::malloc_trim(0);
    std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (f != nullptr) {
      reset_ = std::fputs("5", f) >= 0;
      reset_ = (std::fclose(f) == 0) && reset_;
    }
    start_kb_ = ProcStatusKb("VmRSS");
  }
  PeakRss(const PeakRss&) = delete;
  PeakRss& operator=(const PeakRss&) = delete;

  // Peak resident set since construction if the reset worked, else since the process started; MiB.
  double PeakMiB() const {
    long kb = ProcStatusKb("VmHWM");
    if (kb < 0) {
      struct rusage usage {};
      if (::getrusage(RUSAGE_SELF, &usage) == 0) kb = usage.ru_maxrss;
    }
    return static_cast<double>(kb) / 1024.0;
  }
  double StartMiB() const { return static_cast<double>(start_kb_) / 1024.0; }
  // False when the high-water mark could not be reset, so PeakMiB covers the whole process.
  bool reset() const { return reset_; }

 private:
  bool reset_ = false;
  long start_kb_ = -1;
};

}  // namespace roxi::bench
