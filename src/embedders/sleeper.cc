#include "src/embedders/sleeper.h"

#include <chrono>
#include <thread>

namespace roxi::embedders {

namespace {

class RealSleeper final : public Sleeper {
 public:
  void SleepForMicros(uint64_t micros) override {
    if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  }
};

}  // namespace

Sleeper& SystemSleeper() {
  static RealSleeper sleeper;
  return sleeper;
}

}  // namespace roxi::embedders
