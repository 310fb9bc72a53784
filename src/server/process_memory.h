// The process's own memory: what it holds (resident set, from /proc/self/status) and a way to hand
// freed heap pages back to the OS (malloc_trim), used when the daemon enters deep sleep.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>

namespace roxi::server {

// VmRSS in bytes; 0 if /proc/self/status cannot be read.
uint64_t ResidentBytes();
// Peak resident set (VmHWM) in bytes; 0 if unknown.
uint64_t PeakResidentBytes();
// Returns free heap memory to the OS (glibc malloc_trim(0)).
void ReleaseFreeMemory();

}  // namespace roxi::server
