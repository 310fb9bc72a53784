// UtcTime: Unix times as the ISO 8601 UTC text roxi prints in reports ("2026-11-24T12:00:00Z"),
// and the RFC 3339 text users type back.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::common {

// "2026-11-24T12:00:00Z" for a Unix time in microseconds; "never" for 0.
std::string UtcTime(uint64_t unix_micros);

// A Unix time in microseconds from "2026-11-24" (midnight UTC), "2026-11-24T12:00:00Z",
// "2026-11-24T12:00Z", "2026-11-24 12:00:00.5", "2026-11-24T14:00:00+02:00" (no zone: UTC).
// InvalidArgument naming `what` and the text when it is none of these, a field is out of range,
// or the time is before 1970.
Result<uint64_t> ParseUtcTime(std::string_view what, std::string_view text);

}  // namespace roxi::common
