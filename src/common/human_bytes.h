// Byte counts as people read them ("12.3 MB"), for status output.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>

namespace roxi::common {

// Decimal units (1 KB = 1000 B), one decimal place above bytes.
std::string HumanBytes(uint64_t bytes);

}  // namespace roxi::common
