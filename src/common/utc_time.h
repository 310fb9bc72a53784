// UtcTime: Unix times as the ISO 8601 UTC text roxi prints in reports ("2026-11-24T12:00:00Z").
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>

namespace roxi::common {

// "2026-11-24T12:00:00Z" for a Unix time in microseconds; "never" for 0.
std::string UtcTime(uint64_t unix_micros);

}  // namespace roxi::common
