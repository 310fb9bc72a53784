// ROXI_TEST_HOOK(name): a named point where crash tests stop the process. When the environment
// variable ROXI_TEST_CRASH_AT equals `name`, the process kills itself with SIGKILL on the N-th time it
// reaches that point (N from ROXI_TEST_CRASH_AFTER, default 1), exactly like `kill -9` there.
// Without the variable a hook costs one relaxed atomic load.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace roxi::common {

void TestHook(std::string_view name);

// The number in environment variable `name` (a ROXI_TEST_* knob that tests set to make rare
// conditions happen on small data), 0 when unset or not a number.
uint64_t TestEnvNumber(const char* name);

}  // namespace roxi::common

#define ROXI_TEST_HOOK(name) ::roxi::common::TestHook(name)
