#include "src/server/process_memory.h"

#include <malloc.h>

#include <fstream>
#include <string>

namespace roxi::server {

namespace {

uint64_t StatusField(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key) {
    if (key == field) {
      in >> kib;
      return kib * 1024;
    }
    std::getline(in, unit);
  }
  return 0;
}

}  // namespace

uint64_t ResidentBytes() { return StatusField("VmRSS:"); }
uint64_t PeakResidentBytes() { return StatusField("VmHWM:"); }
void ReleaseFreeMemory() { malloc_trim(0); }

}  // namespace roxi::server
