// Byte counts as people read them ("12.3 MB", for status output) and as they type them on the
// command line ("512MB", "2GiB", "64k"), the way durations are (duration.h).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::common {

// Decimal units (1 KB = 1000 B), one decimal place above bytes.
std::string HumanBytes(uint64_t bytes);

// `text` as a number of bytes: a non-negative decimal number, optionally followed (with or
// without one space) by a unit, any letter case:
//   B or none            bytes;
//   KB, MB, GB, TB       powers of 1000, as disks and HumanBytes count;
//   KiB, MiB, GiB, TiB   powers of 1024;
//   K, M, G, T           powers of 1024 too, as systemd's MemoryMax= and ulimit read them.
// A fraction is allowed with a unit ("1.5GiB") and rounded down to a whole byte.
// InvalidArgument naming `what` and the value for anything else (a sign, an exponent, an unknown
// unit, "inf") and for a size of 2^60 bytes or more.
Result<uint64_t> ParseByteSize(std::string_view what, std::string_view text);

}  // namespace roxi::common
