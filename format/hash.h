// XXH3 hashes used as record checksums and content fingerprints (FORMAT.md §1.5). XXH3-64 with seed 0,
// as defined by xxHash 0.8, so values are stable across versions and machines.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace roxi::format {

inline constexpr size_t kXxh3Size = 8;

uint64_t Xxh3(std::string_view data);

}  // namespace roxi::format
