#include "tests/support/allocation_probe.h"

#include <cstdlib>
#include <new>

namespace {
// Plain thread_local PODs: reading them never allocates, so operator new may touch them.
thread_local bool probe_active = false;
thread_local size_t largest_allocation = 0;
}  // namespace

void* operator new(size_t size) {
  if (probe_active && size > largest_allocation) largest_allocation = size;
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace roxi::testing {

size_t LargestAllocationDuring(const std::function<void()>& fn) {
  struct Active {
    Active() { probe_active = true; }
    ~Active() { probe_active = false; }
  };
  largest_allocation = 0;
  {
    const Active active;
    fn();
  }
  return largest_allocation;
}

}  // namespace roxi::testing
