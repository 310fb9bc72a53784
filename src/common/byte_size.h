// Sizes as people type them on the command line: "4096", "64K", "200M", "4G", "1T", with an
// optional "i", "iB" or "B" after the unit letter ("4GiB", "200MB"). Units are powers of 1024.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "format/status.h"

namespace roxi::common {

// `text` as bytes: a decimal integer followed by an optional unit K, M, G or T (either case).
// InvalidArgument naming `what` and the value when malformed, or outside [min, max].
Result<uint64_t> ParseByteSize(std::string_view what, std::string_view text, uint64_t min,
                               uint64_t max);

}  // namespace roxi::common
