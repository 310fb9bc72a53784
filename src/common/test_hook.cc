#include "src/common/test_hook.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace roxi::common {

namespace {

struct CrashPoint {
  std::string name;
  long after = 1;
};

const CrashPoint* Configured() {
  static const CrashPoint* point = []() -> const CrashPoint* {
    const char* at = std::getenv("ROXI_TEST_CRASH_AT");
    if (at == nullptr || *at == '\0') return nullptr;
    auto* p = new CrashPoint{at, 1};
    if (const char* after = std::getenv("ROXI_TEST_CRASH_AFTER")) p->after = std::atol(after);
    return p;
  }();
  return point;
}

std::atomic<long> g_hits{0};

}  // namespace

void TestHook(std::string_view name) {
  const CrashPoint* point = Configured();
  if (point == nullptr || point->name != name) return;
  if (g_hits.fetch_add(1) + 1 >= point->after) kill(getpid(), SIGKILL);
}

uint64_t TestEnvNumber(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? 0 : std::strtoull(v, nullptr, 10);
}

}  // namespace roxi::common
