// LargestAllocationDuring: measures the largest single heap allocation a piece of code makes, so
// tests can check that a decoder refuses an over-limit length *before* allocating for it.
//
// Linking this file replaces the global operator new/delete of the test program with thin wrappers
// over malloc/free that record sizes only while a probe is active on the calling thread.
//
// Thread-safety: the probe is per thread; allocations on other threads are not counted.
#pragma once

#include <cstddef>
#include <functional>

namespace roxi::testing {

// Runs `fn` and returns the size in bytes of the largest operator new / new[] request it made on
// this thread (0 if none). Nested calls are not supported.
size_t LargestAllocationDuring(const std::function<void()>& fn);

}  // namespace roxi::testing
