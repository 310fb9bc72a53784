// IEEE 754 binary16 ("half") conversion, used for every stored vector (FORMAT.md §1.4).
//
// FloatToHalf rounds to nearest, ties to even; overflows become infinity, values below the smallest
// subnormal round to (signed) zero, NaN stays NaN (quiet, sign and top payload bits kept).
// HalfToFloat is exact for every one of the 65,536 halves.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace roxi::format {

uint16_t FloatToHalf(float value);
float HalfToFloat(uint16_t half);

// Bulk forms: n values from src to dst.
void FloatsToHalfs(const float* src, size_t n, uint16_t* dst);
void HalfsToFloats(const uint16_t* src, size_t n, float* dst);

}  // namespace roxi::format
