// Durations as people type them on the command line: "90", "90s", "10m", "1.5h", "250ms".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::common {

// `text` as microseconds: a non-negative decimal number followed by an optional unit, ms, s
// (the default), m or h. InvalidArgument naming `what` and the value otherwise, or when it is
// longer than 10 years.
Result<uint64_t> ParseDurationMicros(std::string_view what, std::string_view text);

// "850ms", "1.5s", "12s", "4m30s", "2h0m": a wait or an elapsed time for messages, rounded down
// to the unit shown (tenths of a second below a minute).
std::string FormatDuration(uint64_t micros);

// "2026-11-25T01:02:03Z": a Unix time in microseconds as UTC, to the second.
std::string FormatUtcTime(uint64_t unix_micros);

}  // namespace roxi::common
